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
