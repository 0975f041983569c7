"""Builders for real objects the tests share: a partnership with people in every role, and actions.

Use them through the fixtures in conftest.py (``people``, ``other_people``) or call them directly.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from actieplan.models import (
    Action, MandateLevel, Membership, Organisation, OrganisationType, Partnership, ReflectionTheme, Role,
)

_seq = itertools.count(1)


def make_user(username=None, *, first_name="Test", last_name="Persoon", email=None, groups=(), **extra):
    n = next(_seq)
    username = username or f"persoon{n}"
    user = get_user_model().objects.create_user(
        username=username, password="geheim-wachtwoord-123", first_name=first_name, last_name=last_name,
        email=f"{username}@example.nl" if email is None else email, **extra,
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def make_partnership(name=None):
    n = next(_seq)
    return Partnership.objects.create(name=name or f"Samenwerkingsverband {n}", slug=f"sv-{n}")


def make_organisation(partnership, name=None, organisation_type=OrganisationType.VO):
    org = Organisation.objects.create(name=name or f"Organisatie {next(_seq)}", organisation_type=organisation_type)
    org.partnerships.add(partnership)
    return org


def add_member(partnership, user, organisation, role, mandate_level=MandateLevel.UITVOEREND):
    return Membership.objects.create(partnership=partnership, user=user, organisation=organisation, role=role,
                                     mandate_level=mandate_level)


@dataclass
class People:
    """A partnership with one person in every role (passwords: ``geheim-wachtwoord-123``)."""

    partnership: Partnership
    organisation: Organisation
    procesbewaker: object
    werkgroeplid: object
    bestuurder: object
    owner: object  # a deelnemer who owns actions but has no admin rights
    manager: object  # management level, same organisation as ``owner``: escalation target
    editor: object  # Redacteuren, no membership
    outsider: object  # logged in, no membership anywhere


def make_people(prefix="a"):
    partnership = make_partnership()
    org = make_organisation(partnership)
    people = People(
        partnership=partnership,
        organisation=org,
        procesbewaker=make_user(f"{prefix}_procesbewaker", first_name="Pia", last_name="Procesbewaker", groups=["Werkgroep"]),
        werkgroeplid=make_user(f"{prefix}_werkgroeplid", first_name="Wim", last_name="Werkgroep", groups=["Werkgroep"]),
        bestuurder=make_user(f"{prefix}_bestuurder", first_name="Bea", last_name="Bestuurder", groups=["Bestuurders"]),
        owner=make_user(f"{prefix}_eigenaar", first_name="Otto", last_name="Eigenaar"),
        manager=make_user(f"{prefix}_manager", first_name="Mila", last_name="Manager"),
        editor=make_user(f"{prefix}_redacteur", first_name="Rik", last_name="Redacteur", groups=["Redacteuren"]),
        outsider=make_user(f"{prefix}_buitenstaander", first_name="Bo", last_name="Buiten"),
    )
    add_member(partnership, people.procesbewaker, org, Role.PROCESBEWAKER, MandateLevel.MANAGEMENT)
    add_member(partnership, people.werkgroeplid, org, Role.WERKGROEPLID, MandateLevel.UITVOEREND)
    add_member(partnership, people.bestuurder, org, Role.BESTUURDER, MandateLevel.BESTUURLIJK)
    add_member(partnership, people.owner, org, Role.DEELNEMER, MandateLevel.UITVOEREND)
    add_member(partnership, people.manager, org, Role.DEELNEMER, MandateLevel.MANAGEMENT)
    return people


def make_action(partnership, owner, *, deadline=None, theme=None, created_by=None, **fields):
    today = timezone.localdate()
    action = Action(
        title=fields.pop("title", f"Actie {next(_seq)}"),
        partnership=partnership,
        theme=theme or ReflectionTheme.objects.order_by("sort_order").first(),
        owner=owner,
        mandate_level=fields.pop("mandate_level", MandateLevel.UITVOEREND),
        deadline=deadline or today + datetime.timedelta(days=30),
        created_by=created_by,
        **fields,
    )
    action.save()
    return action


def action_form_data(action, **overrides):
    """What the action form posts for ``action`` unchanged (edit), with ``overrides``."""
    data = {"title": action.title, "description": "", "partnership": action.partnership_id, "theme": action.theme_id,
            "question": "", "source_session": "", "board": "", "owner": action.owner_id, "owner_organisation": "",
            "mandate_level": action.mandate_level, "deadline": action.deadline.isoformat(), "status": action.status}
    data.update(overrides)
    return data


def home_page():
    """The default site's home page (the demo site's root), where sections are added."""
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific


def publish_section(page):
    """``page`` (an index page) published under the home page, as an editor adds a section."""
    home_page().add_child(instance=page)
    page.save_revision().publish()
    return page
