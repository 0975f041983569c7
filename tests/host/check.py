"""Run inside a host site made with ``wagtail start`` that installed the wheel (tests/test_host_site.py).

``python <checkout>/tests/host/check.py`` from the host's folder, with the host's own Python and settings
(``DJANGO_SETTINGS_MODULE=mysite.settings.dev``). It imports the apps from the host's virtualenv, never from the
checkout (this folder holds no app), builds a little content the way the site's people would, visits the pages
as an anonymous visitor, a member of a partnership and an editor with Django's test client, and prints one JSON
object for the test to judge. It asserts nothing itself.
"""

import datetime
import importlib.util
import json
import re
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core import mail  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page, Site  # noqa: E402
from wagtail.users.models import UserProfile  # noqa: E402

import actieplan  # noqa: E402
from actieplan.models import (  # noqa: E402
    Action, MandateLevel, Meeting, Membership, Organisation, Partnership, ReflectionQuestion, ReflectionSession,
    ReflectionTheme, Role,
)
from actieplan.progress.demo import ensure_progress_page  # noqa: E402
from good_practices.models import (  # noqa: E402
    GoodPracticeIndexPage, GoodPracticePage, ProeftuinIndexPage, ProeftuinPage,
)

setup_test_environment()
CSS = "/static/actieplan/base.css"
User = get_user_model()

# --- content, as the site's people would make it ----------------------------------------------------------
partnership = Partnership.objects.create(name="Regio Noord", slug="regio-noord")
organisation = Organisation.objects.create(name="Noorderpoort", organisation_type="mbo-3-4")
member = User.objects.create_user("lid", email="lid@example.org", password="geheim-wachtwoord-123",
                                  first_name="Lia", last_name="Lid")
colleague = User.objects.create_user("collega", email="collega@example.org", first_name="Cor", last_name="Collega")
editor = User.objects.create_user("redacteur", email="redacteur@example.org", password="geheim-wachtwoord-123")
for user, role in ((member, Role.PROCESBEWAKER), (colleague, Role.WERKGROEPLID)):
    Membership.objects.create(partnership=partnership, user=user, organisation=organisation, role=role,
                              mandate_level=MandateLevel.UITVOEREND)
# The groups come from `manage.py lob_setup_groups` (a README step); "Editors" is the host's own Wagtail group.
member.groups.add(Group.objects.get(name="Werkgroep"))
editor.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Redacteuren"))
daadkracht = ReflectionTheme.objects.get(name="Daadkracht")
action = Action.objects.create(title="Overdrachtsformulier afspreken", partnership=partnership, theme=daadkracht,
                               owner=member, created_by=member, mandate_level=MandateLevel.UITVOEREND,
                               deadline=timezone.localdate() + datetime.timedelta(days=14))
session = ReflectionSession.objects.create(partnership=partnership, title="Voorjaarssessie", facilitator=member)
meeting = Meeting.objects.create(partnership=partnership, title="Werkgroep maart", chair=member, created_by=member,
                                 starts_at=timezone.now() + datetime.timedelta(days=5))
meeting.invited.add(member, colleague)

site = Site.objects.get(is_default_site=True)
home = site.root_page.specific
library = home.add_child(instance=GoodPracticeIndexPage(title="Het delen waard", slug="het-delen-waard"))
practice = library.add_child(instance=GoodPracticePage(
    title="Warme overdracht vo – mbo", slug="warme-overdracht",
    summary="Mentoren van vo en mbo bespreken samen elke overstapper."))
action.linked_pages.add(practice)
proeftuinen = home.add_child(instance=ProeftuinIndexPage(title="Proeftuinen", slug="proeftuinen"))
proeftuin = proeftuinen.add_child(instance=ProeftuinPage(
    title="Vergadertijgers", slug="vergadertijgers", summary="Ervaring ontstaat door doen.",
    aim="Leerlingen leiden zelf het overleg."))
progress = ensure_progress_page(partnership, parent=home)
# The host's home page with each of the apps' StreamField blocks (README: "Blocks on your own pages").
block_values = {
    "action_list": {"title": "Acties Daadkracht", "partnership": str(partnership.pk), "theme": "", "board": "",
                    "status": [], "linked_page": None, "number": 5, "order": "deadline", "public_display": "count"},
    "progress_summary": {"title": "Kerncijfers", "partnership": str(partnership.pk), "public_display": "figures"},
    "reflection": {"title": "Reflectie", "partnership": str(partnership.pk), "chart": "trend", "sessions": 4},
}
home.body = json.dumps([{"type": kind, "value": value} for kind, value in block_values.items()])
home.save_revision().publish()

# --- visits ------------------------------------------------------------------------------------------------
PAGES = {
    "home": "/",
    "action_list": "/actieplan/",
    "action_board": "/actieplan/bord/",
    "action_detail": f"/actieplan/acties/{action.pk}/",
    "action_new": "/actieplan/acties/nieuw/",
    "library": library.url,
    "practice": practice.url,
    "proeftuinen": proeftuinen.url,
    "proeftuin": proeftuin.url,
    "reflection_list": "/actieplan/reflectie/",
    "reflection_session": f"/actieplan/reflectie/{session.pk}/",
    "meetings": "/actieplan/overleg/",
    "meeting": f"/actieplan/overleg/{meeting.pk}/",
    "progress": progress.url,
    "preferences": "/actieplan/voorkeuren/",
    "calendar": "/actieplan/agenda/",
}


def visit(client, url, method="get", data=None):
    response = getattr(client, method)(url, data or {}, follow=True)
    html = response.content.decode(errors="replace")
    return {
        "status": response.status_code,
        "final": response.request["PATH_INFO"],
        "redirects": [target for target, _code in response.redirect_chain],
        "css": CSS in html,
        "html": html,
    }


def admin_menu(client):
    """The labels of the admin sidebar's top level and of the apps' folded entry, from Wagtail's sidebar JSON."""
    response = client.get("/admin/")
    html = response.content.decode()
    match = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)
    if response.status_code != 200 or not match:
        return {"status": response.status_code, "top": [], "folded": []}
    props = json.loads(match.group(1))
    top, folded = [], []

    def walk(node):
        if isinstance(node, dict):
            if node.get("_type") == "wagtail.sidebar.MainMenuModule":
                for item in node["_args"][0]:
                    name, label = item["_args"][0]["name"], item["_args"][0]["label"]
                    top.append(label)
                    if name == "lob-platform":
                        folded.extend(sub["_args"][0]["label"] for sub in item["_args"][1])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return {"status": response.status_code, "top": top, "folded": folded}


results = {"actieplan_file": actieplan.__file__, "python": sys.version.split()[0],
           "wagtail": __import__("wagtail").__version__, "django": django.__version__,
           "celery_installed": importlib.util.find_spec("celery") is not None,
           "static_css": Client().get(CSS).status_code, "roles": {}}
for role, user in (("anonymous", None), ("member", member), ("editor", editor)):
    client = Client()
    if user:
        client.force_login(user)
    results["roles"][role] = {name: visit(client, url) for name, url in PAGES.items()}
    results["roles"][role]["admin_menu"] = admin_menu(client)

# Languages: the host speaks English; with LocaleMiddleware (a README step) a browser that asks for Dutch gets the
# apps in Dutch, and an editor whose Wagtail profile says Dutch gets the admin menus in Dutch.
dutch_browser = Client(HTTP_ACCEPT_LANGUAGE="nl")
dutch_browser.force_login(member)
profile = UserProfile.get_for_user(member)
profile.preferred_language = "nl"
profile.save()
results["dutch"] = {"action_list": visit(dutch_browser, PAGES["action_list"]), "admin_menu": admin_menu(dutch_browser)}

# The reflection answer steps, as a participant on a phone (no account): the link, each step, the thanks.
participant = Client()
steps = []
response = participant.get(f"/actieplan/r/{session.code}/", follow=True)
steps.append({"url": response.request["PATH_INFO"], "status": response.status_code,
              "css": CSS in response.content.decode()})
scores = {f"score_{question.pk}": "4" for question in ReflectionQuestion.objects.all()}
for number in range(1, 7):
    url = f"/actieplan/r/{session.code}/stap/{number}/"
    page = participant.get(url)
    posted = participant.post(url, scores, follow=True)
    steps.append({"url": url, "status": page.status_code, "css": CSS in page.content.decode(),
                  "after_post": posted.request["PATH_INFO"], "post_status": posted.status_code})
results["reflection_steps"] = steps
results["reflection_answers"] = session.responses.count()

# A valid new action from the front-end form, assigned to a colleague: the mail goes out after the commit,
# without Celery (the wheel was installed without the [celery] extra).
client = Client()
client.force_login(member)
mail.outbox.clear()
posted = client.post("/actieplan/acties/nieuw/", {
    "title": "Stagebank vullen", "partnership": partnership.pk, "theme": daadkracht.pk, "owner": colleague.pk,
    "mandate_level": MandateLevel.UITVOEREND,
    "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()})
results["action_post"] = {"status": posted.status_code, "location": posted.get("Location", ""),
                          "created": Action.objects.filter(title="Stagebank vullen").exists(),
                          "errors": str(getattr(posted, "context", None) and posted.context.get("form").errors)
                          if posted.status_code == 200 else ""}
results["mails"] = [{"to": message.to, "subject": message.subject} for message in mail.outbox]
results["root_page_rights"] = sorted(set(
    Page.objects.get(depth=1).group_permissions.values_list("group__name", flat=True)))
print(json.dumps(results))
