"""Voortgang: the bestuurders' page that shows whether the partnership acts or only talks.

What a bestuurder notices: the figures per theme, board, organisation and mandate level (checked
against a plain Python computation over generated plans), that they equal the action list's counts
for the same filters, the praatclub index and its definition, who the plan hangs on, where it is
stuck, the postponements with their reasons, what changed since the last board meeting, the
reflection trend, the PDF and XLSX for the meeting, and that nobody else can open the page.
"""

import datetime
import io
import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from actieplan import counts, progress
from actieplan.demo.progress import ensure_progress_page
from actieplan.models import (
    Action, ActionStatus, ActionUpdate, BoardDomain, MandateLevel, Meeting, MeetingKind, Organisation,
    ReflectionResponse, ReflectionScore, ReflectionSession, ReflectionTheme, Region, Role,
)
from actieplan.models.action import ACTIVE_STATUSES
from tests.factories import add_member, make_action, make_organisation, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
_n = itertools.count(1)


def day(offset):
    return TODAY + datetime.timedelta(days=offset)


def moment(offset, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day(offset), datetime.time(hour)))


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def board(people):
    """The partnership of ``people`` with its Voortgang page."""
    page = ensure_progress_page(people.partnership, title="Voortgang", slug=f"voortgang-{next(_n)}")
    return people, page


def figures_on(response):
    """The key figures as the page shows them (data-figure="…")."""
    import re

    html = response.content.decode()
    return {name: int(value) for name, value in re.findall(r'data-figure="(\w+)">(\d+)<', html)}


def test_bestuurder_sees_what_was_agreed_done_and_late(client, board):
    people, page = board
    make_action(people.partnership, people.owner, title="Gastlessen mbo", status=ActionStatus.AFGEROND)
    make_action(people.partnership, people.owner, title="Warme overdracht", deadline=day(10))
    late = make_action(people.partnership, people.manager, title="Convenant ondertekenen", deadline=day(10),
                       mandate_level=MandateLevel.BESTUURLIJK)
    Action.objects.filter(pk=late.pk).update(deadline=day(-40))
    make_action(people.partnership, people.owner, title="Oud idee", status=ActionStatus.VERVALLEN)
    client.force_login(people.bestuurder)
    response = client.get(page.url)
    assert response.status_code == 200
    shown = figures_on(response)
    assert shown["agreed"] == 3 and shown["done"] == 1 and shown["overdue"] == 1 and shown["open"] == 2
    html = response.content.decode()
    assert "Wat is de praatclub-index?" in html
    assert "Convenant ondertekenen" in html  # stuck at the bestuurlijk layer
    assert "40 dagen te laat" in html
