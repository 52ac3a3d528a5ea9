"""docker-compose.yml cannot run here (no Docker engine): keep it valid and true by checking it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_services_with_health_checks() -> None:
    services = _compose()["services"]
    assert {"web", "db", "redis"} <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
        assert service["healthcheck"]["test"], name
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_compose_web_points_at_its_own_database_and_cache() -> None:
    compose = _compose()
    web = compose["services"]["web"]
    db = compose["services"]["db"]["environment"]
    url = web["environment"]["DATABASE_URL"]
    assert (
        url
        == f"postgres://{db['POSTGRES_USER']}:{db['POSTGRES_PASSWORD']}@db:5432/{db['POSTGRES_DB']}"
    )
    assert web["environment"]["CACHE_URL"].startswith("redis://redis:6379/")
    assert web["env_file"] == ".env"
    assert "chatadmin.core.probe" in " ".join(web["healthcheck"]["test"])
    assert "gunicorn chatadmin.wsgi" in web["command"]


def test_compose_and_dockerfile_use_modules_that_exist() -> None:
    assert (ROOT / "chatadmin" / "wsgi.py").exists()
    assert (ROOT / "chatadmin" / "core" / "probe.py").exists()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync --locked --no-dev" in dockerfile
    assert '"chatadmin.wsgi"' in dockerfile


def test_env_example_names_every_setting_read_from_the_environment() -> None:
    settings_source = (ROOT / "chatadmin" / "settings.py").read_text()
    read = set(re.findall(r'ENV(?:\.get\(|\[|, )"([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert {"SECRET_KEY", "DATABASE_URL", "CHAT_ACCOUNT_TYPE"} <= read, (
        "the pattern missed settings"
    )
    missing = read - documented
    assert not missing, f".env.example does not mention {sorted(missing)}"


def test_compose_runs_the_sandbox_with_its_own_data() -> None:
    compose = _compose()
    sandbox = compose["services"]["sandbox"]
    assert sandbox["build"] == compose["services"]["web"]["build"]  # the same image
    assert sandbox["command"] == ["python", "manage.py", "runsandbox", "0.0.0.0:8001"]
    assert "8001:8001" in sandbox["ports"]
    assert sandbox["healthcheck"]["test"][-2:] == ["chatadmin.core.probe", "8001"]
    # Its SQLite file lives on its own volume, mounted where the image lets it write.
    url = sandbox["environment"]["SANDBOX_DATABASE_URL"]
    mounts = dict(volume.split(":", 1)[::-1] for volume in sandbox["volumes"])
    assert url.startswith("sqlite:////") and url.removeprefix("sqlite:///").startswith(
        tuple(mounts)
    )
    assert set(mounts.values()) <= set(compose["volumes"])
    assert "/app/var" in mounts and "chown chatadmin /app/var" in (ROOT / "Dockerfile").read_text()
    assert "sandbox" in sandbox["environment"]["SANDBOX_ALLOWED_HOSTS"].split(",")
    assert "env_file" not in sandbox  # it needs none of the dashboard's secrets


def test_compose_sandbox_settings_are_ones_the_sandbox_reads() -> None:
    sandbox = _compose()["services"]["sandbox"]
    source = (ROOT / "chatadmin" / "sandbox" / "settings.py").read_text()
    for name in sandbox["environment"]:
        assert f'"{name}"' in source, f"chatadmin/sandbox/settings.py does not read {name}"
    assert (ROOT / "chatadmin" / "sandbox" / "management" / "commands" / "runsandbox.py").exists()
    manage = (ROOT / "manage.py").read_text()
    assert '"runsandbox"' in manage and "chatadmin.sandbox.settings" in manage
