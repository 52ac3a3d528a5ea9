# chatadmin: `make demo` runs the dashboard with the sandbox; `make test` runs every test.
# python3 resolves to 3.13 here through .python-version (pyenv); any Python >= 3.12 works.
PYTHON ?= $(shell python3 -c 'import sys; print(sys.executable)')
UV = $(PYTHON) -m uv
VENV = .venv
export UV_PYTHON_DOWNLOADS = never

.PHONY: install demo test lint check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "chatadmin needs Python 3.12 or newer (found %s)" % sys.version.split()[0])'

$(VENV)/.installed: pyproject.toml uv.lock | check-python
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(UV) sync --locked --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed

demo: install
	CHATADMIN_DEMO=1 $(VENV)/bin/python manage.py rundemo

test: install
	$(VENV)/bin/python -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	CHATADMIN_DEMO=1 $(VENV)/bin/mypy chatadmin tests
