"""Deliverable 0 of issue 25: a production deployment never carries the demo's published passwords.

``load_demo_content`` refuses production settings (DEBUG off) unless forced, and then gives the demo accounts a
fresh password instead of the published one; ``ensure_admin`` prints a generated password once, never resets an
existing admin and never accepts a published password.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from actieplan.partnerships import demo as partnership_demo

pytestmark = pytest.mark.django_db


def test_load_demo_content_refuses_production_settings_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG staat uit"):
        call_command("load_demo_content", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="marieke.vandenheuvel").exists()


def test_forced_demo_in_production_never_gets_the_published_password(settings):
    settings.DEBUG = False
    out = io.StringIO()
    partnership_demo.load(out)
    user = get_user_model().objects.get(username="marieke.vandenheuvel")
    assert not user.check_password(partnership_demo.DEMO_PASSWORD)
    printed = out.getvalue().split("wachtwoord voor allemaal: ", 1)[1].split()[0]
    assert user.check_password(printed) and len(printed) >= 16


def test_the_embedded_default_keeps_the_published_demo_password(settings):
    settings.DEBUG = True
    partnership_demo.load(io.StringIO())
    assert get_user_model().objects.get(username="lotte.bakker").check_password(partnership_demo.DEMO_PASSWORD)


def test_ensure_admin_in_production_prints_a_generated_password_once(settings, monkeypatch, tmp_path):
    settings.DEBUG = False
    settings.BASE_DIR = tmp_path
    monkeypatch.delenv("LOB_ADMIN_PASSWORD", raising=False)
    first = io.StringIO()
    call_command("ensure_admin", stdout=first)
    password = first.getvalue().split("Wachtwoord:", 1)[1].split()[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password) and len(password) >= 20
    assert not (tmp_path / ".demo-admin-password").exists()  # stored nowhere

    # The admin changes it; a restart neither resets it nor prints a password again.
    admin.set_password("mijn-eigen-lange-wachtwoord-2027")
    admin.save()
    second = io.StringIO()
    call_command("ensure_admin", stdout=second)
    assert "Wachtwoord:" not in second.getvalue() and "bestaat al" in second.getvalue()
    admin.refresh_from_db()
    assert admin.check_password("mijn-eigen-lange-wachtwoord-2027")


@pytest.mark.parametrize("published", [partnership_demo.DEMO_PASSWORD, "admin", "12345678"])
def test_ensure_admin_refuses_a_published_or_weak_password(settings, monkeypatch, tmp_path, published):
    settings.DEBUG = False
    monkeypatch.setenv("LOB_ADMIN_PASSWORD", published)
    with pytest.raises(CommandError, match="LOB_ADMIN_PASSWORD"):
        call_command("ensure_admin", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()
