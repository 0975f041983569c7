"""docker-compose.yml describes the full stack with commands this project really has.

No Docker engine runs here, so the file is parsed and each command is checked against the project.
"""

import importlib
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def _commands(service):
    command = service.get("command", "")
    if isinstance(command, list):
        command = shlex.join(command)
    if command.startswith("sh -c "):
        command = shlex.split(command)[2]
    return [shlex.split(part) for part in command.split("&&") if part.strip()]


def test_full_stack_has_every_service_with_healthchecks():
    assert set(SERVICES) >= {"nginx", "web", "db", "redis", "worker", "beat", "mail"}
    for name in ("nginx", "web", "db", "redis", "worker", "mail"):
        assert "healthcheck" in SERVICES[name], name
    assert SERVICES["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert SERVICES["worker"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_app_services_are_configured_from_the_example_env():
    example = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines()
               if line and not line.startswith("#")}
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL"} <= example
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["env_file"] == ".env"
        assert SERVICES[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "lobplatform.settings.production"


@pytest.mark.parametrize("name", ["web", "web2", "worker", "beat"])
def test_every_command_exists_in_the_project(name):
    management_commands = get_commands()
    for argv in _commands(SERVICES[name]):
        program = argv[0]
        if program == "python" and argv[1] == "manage.py":
            assert argv[2] in management_commands, f"{name}: manage.py {argv[2]} does not exist"
        elif program == "gunicorn":
            module, attr = argv[1].split(":")
            assert callable(getattr(importlib.import_module(module), attr))
        elif program == "celery":
            assert argv[1:3] == ["-A", "lobplatform"]
            assert argv[3] in {"worker", "beat"}
        else:
            pytest.fail(f"{name}: unknown program {program}")


def test_beat_schedules_only_tasks_the_worker_has():
    from lobplatform.celery import app

    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def _volume(service, target):
    """The named volume ``service`` mounts at ``target``."""
    for entry in SERVICES[service].get("volumes", []):
        source, path, *_mode = entry.split(":")
        if path == target:
            return source
    return None


def test_nginx_is_the_front_door_serving_static_and_media_and_proxying_to_web():
    nginx, web = SERVICES["nginx"], SERVICES["web"]
    assert nginx["build"]["target"] == "proxy" and web["build"]["target"] == "app"
    assert nginx["ports"] == ["8000:80"] and "ports" not in web, "the site is reached through nginx only"
    env = nginx["environment"]
    assert env["NGINX_UPSTREAM"] == "web:8000" and env["NGINX_LISTEN"] == "80"
    # The uploads web writes (MEDIA_ROOT is /app/media in the image) are the files nginx serves, read-only.
    assert _volume("web", "/app/media") == _volume("nginx", env["NGINX_MEDIA_ROOT"]) == "media"
    assert f"media:{env['NGINX_MEDIA_ROOT']}:ro" in nginx["volumes"]
    assert nginx["depends_on"]["web"]["condition"] == "service_healthy"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM nginx:" in dockerfile and "AS proxy" in dockerfile
    assert "COPY deploy/nginx/default.conf.template /etc/nginx/templates/default.conf.template" in dockerfile
    assert f"COPY --from=app /app/staticfiles {env['NGINX_STATIC_ROOT']}" in dockerfile
    template = (ROOT / "deploy/nginx/default.conf.template").read_text()
    assert set(re.findall(r"\$\{(NGINX_[A-Z0-9_]+)\}", template)) == set(env), "compose sets every variable it uses"


def test_two_web_processes_on_their_own_ports_behind_nginx_and_only_the_first_migrates():
    """Issue 28: nginx spreads requests over web and web2 (tests/test_scale_out.py runs that shape on loopback)."""
    env = SERVICES["nginx"]["environment"]
    assert (env["NGINX_UPSTREAM"], env["NGINX_UPSTREAM_2"]) == ("web:8000", "web2:8001")
    web, web2 = _commands(SERVICES["web"]), _commands(SERVICES["web2"])
    assert ["--bind", "0.0.0.0:8000"] == web[-1][2:4] and ["--bind", "0.0.0.0:8001"] == web2[-1][2:4]
    assert [argv[0] for argv in web2] == ["gunicorn"], "web2 serves only: web runs the migrations"
    assert SERVICES["web2"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert _volume("web2", "/app/media") == "media" and "ports" not in SERVICES["web2"]
    assert SERVICES["web2"]["environment"]["DJANGO_SETTINGS_MODULE"] == "lobplatform.settings.production"


def test_healthchecks_of_web_and_nginx_ask_only_what_serving_pages_needs():
    """A Redis restart or a stopped worker must not mark web unhealthy (beat waits for a healthy web)."""
    assert "/health/web/" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "/health/web/" in " ".join(SERVICES["nginx"]["healthcheck"]["test"])


# --- no demo accounts in production ----------------------------------------------------------------

def _production_services():
    return {name: service for name, service in SERVICES.items()
            if service.get("environment", {}).get("DJANGO_SETTINGS_MODULE") == "lobplatform.settings.production"}


def test_no_production_service_loads_demo_content_or_a_known_password():
    """The production start never creates the demo partnership's accounts (published password in the README)."""
    production = _production_services()
    assert set(production) >= {"web", "worker", "beat"}
    for name, service in production.items():
        for argv in _commands(service):
            assert "load_demo_content" not in argv, f"{name} laadt demo-inhoud bij de start"
        environment = service.get("environment", {})
        assert "LOB_ADMIN_PASSWORD" not in environment, f"{name} zet een vast beheerderswachtwoord"
    example = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    assert example.get("DEBUG") == "0"
    assert "LOB_ADMIN_PASSWORD" not in example
    assert "lob-demo-2026" not in (ROOT / "docker-compose.yml").read_text()
