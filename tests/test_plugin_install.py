"""What a host site relies on when it installs the plugin, checked in-process: the version check, mail without a
broker, groups only on request, one admin menu, a login page that exists, and templates and CSS the apps ship
themselves. (The whole journey in a real `wagtail start` site is tests/test_host_site.py.)"""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.template import engines
from django.test import override_settings
from wagtail.models import GroupPagePermission, Page, Site

from actieplan import accounts, compat
from actieplan.partnerships.groups import GROUPS
from actieplan.reminders import tasks
from tests.factories import make_action, make_user

ROOT = Path(__file__).resolve().parent.parent
APP_TEMPLATES = [p for app in ("actieplan", "good_practices") for p in (ROOT / app / "templates").rglob("*.html")]
#: Class-name prefixes that belong to the apps; anything else in their pages could meet a host's own CSS.
NAMESPACES = ("ap-", "gp-", "mt-", "pg-", "reflection-", "radar-", "actieplan-")


# --- versions ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("wagtail_version,django_version,ok", [
    ((7, 4), (5, 2), True), ((7, 4), (6, 0), True), ((8, 0), (5, 2), True), ((8, 3), (6, 1), True),
    ((7, 3), (5, 2), False), ((6, 4), (5, 1), False), ((9, 0), (6, 1), False), ((8, 0), (5, 1), False),
])
def test_a_start_on_an_unsupported_wagtail_fails_with_one_line_naming_the_versions(wagtail_version, django_version,
                                                                                    ok, monkeypatch):
    message = compat.unsupported_message(wagtail_version, django_version)
    if ok:
        assert message is None
        return
    assert "\n" not in message
    assert "Wagtail 7.4 LTS or 8.x" in message
    found = "Wagtail {}.{} on Django {}.{}".format(*wagtail_version, *django_version)
    assert found in message
    monkeypatch.setattr(compat.wagtail, "VERSION", (*wagtail_version, 0, "final", 0))
    monkeypatch.setattr(compat.django, "VERSION", (*django_version, 0, "final", 0))
    with pytest.raises(ImproperlyConfigured, match=re.escape(found)):
        compat.check_versions()


# --- mail without Celery -----------------------------------------------------------------------------------

# serialized_rollback like every transactional test of the suite: a plain flush recreates the content types, and
# the next test that restores the serialized database would then meet them twice.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_a_configured_broker_the_mail_goes_out_after_commit_and_no_broker_is_tried(people, monkeypatch):
    """A site that never set Celery up: Celery's default app has no broker_url. Queuing would try
    amqp://localhost:5672 for every mail; instead the mail is sent once the transaction commits."""
    from django.db import transaction

    conf = tasks.deliver_reminder.app.conf
    monkeypatch.setitem(conf, "broker_url", None)
    monkeypatch.setitem(conf, "task_always_eager", False)

    def no_broker(*args, **kwargs):
        raise AssertionError("a broker was asked for")

    monkeypatch.setattr(tasks.deliver_reminder, "delay", no_broker)
    monkeypatch.setattr(tasks.deliver_reminder, "apply_async", no_broker)
    mail.outbox.clear()
    with transaction.atomic():
        make_action(people.partnership, people.owner, title="Stagebank vullen", created_by=people.procesbewaker)
        assert mail.outbox == []  # not before the commit
    assert [message.to for message in mail.outbox] == [[people.owner.email]]


def test_with_a_broker_configured_the_mail_is_queued_as_before(monkeypatch):
    conf = tasks.deliver_reminder.app.conf
    monkeypatch.setitem(conf, "broker_url", "redis://127.0.0.1:6379/0")
    monkeypatch.setitem(conf, "task_always_eager", False)
    assert tasks.broker_configured()
    monkeypatch.setitem(conf, "task_always_eager", True)
    assert not tasks.broker_configured()  # eager (the embedded default): in-process, no queue
    monkeypatch.setattr(tasks, "shared_task", None)
    monkeypatch.setitem(conf, "task_always_eager", False)
    assert not tasks.broker_configured()  # Celery not installed


# --- groups only on request ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_groups_come_from_the_command_with_page_rights_only_where_the_site_says(capsys):
    Group.objects.filter(name__in=GROUPS).delete()
    root = Page.objects.get(depth=1)
    home = Site.objects.get(is_default_site=True).root_page
    call_command("lob_setup_groups")
    assert set(Group.objects.filter(name__in=GROUPS).values_list("name", flat=True)) == set(GROUPS)
    editors = Group.objects.get(name="Redacteuren")
    assert not GroupPagePermission.objects.filter(group=editors).exists()
    assert editors.permissions.filter(codename="change_reflectiontheme").exists()
    werkgroep = Group.objects.get(name="Werkgroep")
    assert werkgroep.permissions.filter(codename="add_action").exists()
    assert "geen paginarechten" in capsys.readouterr().out

    call_command("lob_setup_groups", "--editor-page", str(home.pk))
    pages = set(GroupPagePermission.objects.filter(group=editors).values_list("page_id", flat=True))
    assert pages == {home.pk} and root.pk not in pages
    count = editors.permissions.count()
    call_command("lob_setup_groups", "--editor-page", str(home.pk))  # again: nothing doubles, nothing is lost
    assert editors.permissions.count() == count
    assert GroupPagePermission.objects.filter(group=editors).count() == 3
    assert not GroupPagePermission.objects.filter(group=editors, permission__codename="publish_page").exists()
    with pytest.raises(CommandError, match="Geen pagina met id 999999"):
        call_command("lob_setup_groups", "--editor-page", "999999")


def test_the_apps_migrations_create_no_group_and_grant_nothing():
    """Only the reference site's own migration (lobplatform/home) sets the groups up; the apps' migrations don't."""
    migrations = [p for app in ("actieplan", "good_practices") for p in (ROOT / app / "migrations").glob("0*.py")]
    for path in migrations:
        source = path.read_text()
        assert "get_or_create(name=" not in source, path.name
        assert "GroupPagePermission.objects.get_or_create" not in source, path.name
        assert "GroupPagePermission.objects.create" not in source, path.name
        assert "Group.objects.create" not in source, path.name


def test_the_apps_migrations_load_on_wagtail_7_4_which_has_no_swappable_page_model():
    """Wagtail 7.4 defines no WAGTAIL_PAGE_MODEL: a migration that names the setting stops every host on 7.4 at
    its first makemigrations (the matrix caught 0021 so). They point at ``actieplan.compat.PAGE_MODEL``."""
    for app in ("actieplan", "good_practices"):
        for path in (ROOT / app / "migrations").glob("0*.py"):
            assert "settings.WAGTAIL_PAGE_MODEL" not in path.read_text(), path.name


# --- one admin menu ------------------------------------------------------------------------------------------

def sidebar_labels(client):
    html = client.get("/admin/").content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    return props.group(1)


@pytest.mark.django_db
def test_the_apps_admin_menus_fold_under_one_entry_the_site_can_rename(client, settings):
    client.force_login(make_user("beheerder", is_superuser=True, is_staff=True))
    props = sidebar_labels(client)
    assert props.count('"label": "LOB-platform"') == 1
    # The five menus are still there, one level down.
    for label in ("Actieplan", "Overleg", "Reflectietool", "Herinneringenlog", "Indeling Het delen waard"):
        assert f'"label": "{label}"' in props
    from wagtail.admin.menu import admin_menu
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = make_user("beheerder2", is_superuser=True, is_staff=True)
    top = [item.name for item in admin_menu.menu_items_for_request(request)]
    assert "lob-platform" in top and not {"actieplan", "overleg", "reflectietool"} & set(top)
    settings.LOB_ADMIN_MENU_LABEL = "Samenwerking"
    props = sidebar_labels(client)
    assert '"label": "Samenwerking"' in props and '"label": "LOB-platform"' not in props


# --- logging in ------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_visitors_go_to_the_sites_login_page_when_it_has_one_else_to_the_apps_own(client, settings):
    assert accounts.login_url() == "/inloggen/"  # the reference site: LOGIN_URL = "login"
    response = client.get("/actieplan/")
    assert response["Location"] == "/inloggen/?next=/actieplan/"
    for missing in ("/accounts/login/", "login-bestaat-niet", "/een/pagina/"):
        settings.LOGIN_URL = missing
        assert accounts.login_url() == "/actieplan/inloggen/", missing
        response = client.get("/actieplan/")
        assert response["Location"] == "/actieplan/inloggen/?next=/actieplan/"
    settings.LOGIN_URL = "https://sso.example.org/login"
    assert accounts.login_url() == "https://sso.example.org/login"


@pytest.mark.django_db
def test_the_apps_own_login_page_logs_in_and_lands_on_the_action_plan(client, people):
    page = client.get("/actieplan/inloggen/?next=/actieplan/overleg/")
    assert page.status_code == 200 and "actieplan/base.css" in page.content.decode()
    people.werkgroeplid.set_password("geheim-wachtwoord-123")
    people.werkgroeplid.save()
    response = client.post("/actieplan/inloggen/", {"username": people.werkgroeplid.username,
                                                    "password": "geheim-wachtwoord-123", "next": "/actieplan/overleg/"})
    assert response.status_code == 302 and response["Location"] == "/actieplan/overleg/"
    wrong = client.post("/actieplan/inloggen/", {"username": "niemand", "password": "fout"})
    assert wrong.status_code == 200 and "ap-form-errors" in wrong.content.decode()


@override_settings(LOGIN_REDIRECT_URL="/accounts/profile/")
def test_after_the_apps_login_without_a_site_redirect_members_land_on_their_plan():
    assert accounts.LoginView().get_default_redirect_url() == "/actieplan/na-inloggen/"


# --- templates and CSS the apps ship ------------------------------------------------------------------------

def test_every_template_the_apps_include_or_extend_ships_with_them():
    shipped = {str(p).split("/templates/", 1)[1] for p in APP_TEMPLATES}
    missing = []
    for path in APP_TEMPLATES:
        for name in re.findall(r'\{% (?:include|extends) "([^"]+)"', path.read_text()):
            if name not in shipped and name != "base.html" and not name.startswith("wagtailadmin/"):
                missing.append((path.name, name))
    assert missing == []


def test_the_apps_pages_use_only_namespaced_class_names():
    tag = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
    bare = set()
    for path in APP_TEMPLATES:
        relative = str(path)
        if "/admin/" in relative or "/email/" in relative or relative.endswith("pdf.html"):
            continue  # Wagtail's admin classes; mails and PDFs carry their own styles
        for value in re.findall(r'class="((?:[^"{]|\{%.*?%\}|\{\{.*?\}\})*)"', path.read_text(), re.S):
            for name in tag.sub(" ", value).split():
                if not name.startswith(NAMESPACES):
                    bare.add((path.name, name))
    assert bare == set()


def test_the_apps_css_defines_its_own_variables_and_styles_no_host_class():
    sheets = [p for app in ("actieplan", "good_practices") for p in (ROOT / app / "static").rglob("*.css")]
    for sheet in sheets:
        css = sheet.read_text()
        assert not re.search(r"var\(--(?!ap-)", css), sheet.name  # only the apps' own variables
        selectors = re.findall(r"([^{}]+)\{", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
        for selector in selectors:
            if selector.strip().startswith("@"):
                continue
            for name in re.findall(r"\.([a-zA-Z][\w-]*)", selector):
                assert name.startswith(NAMESPACES), (sheet.name, selector.strip())
    base = (ROOT / "actieplan/static/actieplan/base.css").read_text()
    for variable in ("--ap-accent", "--ap-line", "--ap-muted", "--ap-late", "--ap-radius"):
        assert f"{variable}:" in base


@pytest.mark.django_db
def test_pages_link_their_stylesheets_inside_the_content_for_a_base_without_a_css_block(client, people, tmp_path,
                                                                                     settings):
    (tmp_path / "base.html").write_text("<!DOCTYPE html><html><head><title>{% block title %}{% endblock %}</title>"
                                        "</head><body>{% block content %}{% endblock %}</body></html>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    engines._templates = None
    engines.__dict__.pop("templates", None)
    client.force_login(people.werkgroeplid)
    html = client.get("/actieplan/").content.decode()
    body = html[html.index("<body>"):]
    assert '<link rel="stylesheet" href="/static/actieplan/base.css">' in body
    assert '<link rel="stylesheet" href="/static/actieplan/actieplan.css">' in body


@pytest.mark.django_db
def test_blocks_rendered_without_the_request_carry_an_editor_only_hint():
    from actieplan.blocks import ActionListBlock

    block = ActionListBlock()
    value = block.to_python({"title": "Acties", "partnership": "", "theme": "", "board": "", "status": [],
                             "linked_page": None, "number": 5, "order": "deadline", "public_display": "count"})
    without = block.render(value)  # what {{ page.body }} does
    assert "ap-block__no-request" in without and "include_block page.body" in without
    css = (ROOT / "actieplan/static/actieplan/base.css").read_text()
    assert ".ap-block__no-request { display: none; }" in css
    assert "body:has(#wagtail-userbar-template) .ap-block__no-request" in css  # shown where the user bar is
