"""Run inside the minimal site (after ``migrate``): build a little content, render the pages, print JSON.

``python -m tests.minimal_site.check`` with DJANGO_SETTINGS_MODULE=tests.minimal_site.settings.
"""

import datetime
import json

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from wagtail.models import GroupPagePermission, Page, Site  # noqa: E402

from actieplan.models import (  # noqa: E402
    Action, MandateLevel, Membership, Organisation, Partnership, ReflectionQuestion, ReflectionTheme, Role,
)
from good_practices.models import GoodPracticeIndexPage, GoodPracticePage  # noqa: E402

setup_test_environment()
root = Site.objects.get(is_default_site=True).root_page
library = root.add_child(instance=GoodPracticeIndexPage(title="Het delen waard", slug="het-delen-waard"))
library.add_child(instance=GoodPracticePage(
    title="Warme overdracht vo – mbo", slug="warme-overdracht",
    summary="Mentoren van vo en mbo bespreken samen elke overstapper.",
    body=json.dumps([{"type": "action_list", "value": {
        "title": "Acties bij deze aanpak", "partnership": "", "theme": "", "board": "", "status": [],
        "linked_page": None, "number": 5, "order": "deadline", "public_display": "count"}}]),
))
partnership = Partnership.objects.create(name="Regio Noord", slug="regio-noord")
organisation = Organisation.objects.create(name="Noorderpoort", organisation_type="mbo-3-4")
User = get_user_model()
member = User.objects.create_user("lid", password="geheim-wachtwoord-123", first_name="Lia", last_name="Lid")
Membership.objects.create(partnership=partnership, user=member, organisation=organisation,
                          role=Role.WERKGROEPLID, mandate_level=MandateLevel.UITVOEREND)
Action.objects.create(title="Overdrachtsformulier afspreken", partnership=partnership,
                      theme=ReflectionTheme.objects.get(name="Daadkracht"), owner=member,
                      mandate_level=MandateLevel.UITVOEREND,
                      deadline=datetime.date.today() + datetime.timedelta(days=14))

client = Client()
anonymous_practice = client.get("/het-delen-waard/warme-overdracht/")
client.force_login(member)
listing = client.get("/actieplan/")
practice = client.get("/het-delen-waard/warme-overdracht/")
print(json.dumps({
    "groups": sorted(Group.objects.values_list("name", flat=True)),
    "root_page_rights": GroupPagePermission.objects.filter(page__depth=1).count(),
    "themes": ReflectionTheme.objects.count(),
    "questions": ReflectionQuestion.objects.count(),
    "index_parent_ok": GoodPracticeIndexPage.can_create_at(Page.objects.get(depth=1)),
    "library": [client.get("/het-delen-waard/").status_code, client.get("/het-delen-waard/").content.decode()],
    "list": [listing.status_code, listing.content.decode()],
    "practice_member": [practice.status_code, practice.content.decode()],
    "practice_anonymous": [anonymous_practice.status_code, anonymous_practice.content.decode()],
}))
