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


def test_gunicorn_serves_with_our_config_and_logs_no_query_strings(tmp_path: Path) -> None:
    """The server config really serves, and codes in query strings stay out of its access log."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "CHATADMIN_DEMO": "1",
        "CHATADMIN_VAR_DIR": str(tmp_path),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "DJANGO_SETTINGS_MODULE": "chatadmin.settings",
    }
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "chatadmin.wsgi",
            "-c",
            "python:chatadmin.gunicorn_conf",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                url = f"http://127.0.0.1:{port}/health/?code=SECRET-CODE&state=xyz"
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert '"GET /health/ HTTP/1.1" 200' in output
    assert "SECRET-CODE" not in output
