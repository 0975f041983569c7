"""The platform starts, its pages answer, and its configuration holds together."""

import io
import secrets
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def test_home_page_answers_in_dutch(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert 'href="#inhoud"' in html and 'id="inhoud"' in html  # skip link to the main landmark
    assert "Samen werken aan LOB en doorstroom" in html


def test_unknown_page_gives_dutch_404(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_admin_login_page_is_dutch(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Inloggen" in response.content.decode() or "Aanmelden" in response.content.decode()


def test_site_search_finds_published_pages(client):
    call_command("load_demo_content", force=True, stdout=io.StringIO())  # publishing indexes the page
    response = client.get("/zoeken/", {"q": "doorstroom"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Samen werken aan LOB en" in html and "doorstroom</mark>" in html  # the term is highlighted


def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "lobplatform.settings.production",
           "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "lob.example.nl", "WAGTAILADMIN_BASE_URL": "https://lob.example.nl"})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("base_url,hosts,complaint", [
    ("", "lob.example.nl", "WAGTAILADMIN_BASE_URL moet het echte adres"),
    ("https://lob.example.nl/admin", "lob.example.nl", "geen adres zonder pad"),
    ("http://localhost", "lob.example.nl", "staat niet in ALLOWED_HOSTS"),
])
def test_production_refuses_to_start_without_the_sites_real_address(base_url, hosts, complaint):
    """Links in mails (ours and Wagtail's moderation mails) come from one setting, checked at start."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "WAGTAILADMIN_BASE_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": "lobplatform.settings.production", "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": hosts, "WAGTAILADMIN_BASE_URL": base_url})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "lobplatform.settings.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_celery_app_reads_django_settings():
    from lobplatform.celery import app

    assert app.conf.timezone == "Europe/Amsterdam"
    assert app.conf.task_acks_late is True
    schedule = app.conf.beat_schedule
    assert {entry["task"] for entry in schedule.values()} >= {"actieplan.tasks.scan_reminders"}


def test_broker_comes_from_redis_url():
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6391/2", "DJANGO_SETTINGS_MODULE": "lobplatform.settings.dev"}
    code = "import django; django.setup(); from lobplatform.celery import app; print(app.conf.broker_url, app.conf.task_always_eager)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["redis://127.0.0.1:6391/2", "False"], result.stderr


def _counts():
    from django.apps import apps

    return {model._meta.label: model.objects.count()
            for app_label in ("home", "actieplan", "good_practices", "wagtailcore", "auth")
            for model in apps.get_app_config(app_label).get_models()}


def test_load_demo_content_twice_duplicates_nothing_and_mails_nobody(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_content", force=True, stdout=io.StringIO())
    assert mailoutbox == []
    first = _counts()
    call_command("load_demo_content", force=True, stdout=io.StringIO())
    assert _counts() == first


def test_postgresql_runs_the_sites_queries_without_jit():
    """PostgreSQL's JIT compiled the cold Voortgang page's queries for 60 ms where they ran in 13 ms
    (benchmarks/national.py at 400,000 actions): the reference site's connections switch it off."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
