"""A werkgroep member works from the board: moves a card to "bezig" from the card itself, follows the
column's link to the list and finds as many rows as the link promised; on a phone nothing sticks out."""

import datetime
import re

import pytest
from django.utils import timezone

from actieplan.models import Action, ActionStatus
from tests.browser.test_action_journey import log_in
from tests.factories import make_action, make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def board_plan(live_server):
    people = make_people("k")
    first = make_action(people.partnership, people.owner, title="Verantwoordelijkhedenverdeling vastleggen "
                        "voor management/projectleiding", deadline=days(1))
    for i in range(13):
        make_action(people.partnership, people.manager, title=f"Open actie {i:02d}", deadline=days(5 + i))
    return people, first


def test_member_moves_a_card_and_follows_the_column_link_to_as_many_rows(page, live_server, board_plan):
    people, first = board_plan
    log_in(page, live_server, people.werkgroeplid.username, "/actieplan/bord/")
    card = page.locator(f'article[data-action-id="{first.pk}"]')
    card.get_by_label("Status").select_option("bezig")
    card.get_by_role("button", name="Wijzig").click()
    page.get_by_text("staat nu op bezig").wait_for()
    assert page.locator('section[data-status="bezig"]').locator(f'article[data-action-id="{first.pk}"]').count() == 1
    assert Action.objects.get(pk=first.pk).status == ActionStatus.BEZIG

    column = page.locator('section[data-status="open"]')
    assert column.locator("article").count() == 10
    link = column.locator(".ap-column__more a")
    promised = int(re.search(r"Alle (\d+) acties", link.inner_text()).group(1))
    hidden = int(re.search(r"Nog (\d+) acties niet getoond", column.locator(".ap-column__more").inner_text()).group(1))
    assert (promised, hidden) == (13, 3)
    link.click()
    page.wait_for_url("**status=open**")
    assert page.locator("#resultaten").inner_text().strip() == f"{promised} acties"
    assert page.locator("table.ap-table tbody tr").count() == promised


def test_board_on_a_390px_phone_scrolls_not_sideways_and_keeps_text_in_its_card(phone_page, live_server, board_plan):
    people, _first = board_plan
    log_in(phone_page, live_server, people.werkgroeplid.username, "/actieplan/bord/")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the board scrolls sideways on a phone ({overflow}px)"
    outside = phone_page.evaluate("""() => {
        const bad = [];
        for (const card of document.querySelectorAll('.ap-card')) {
            const box = card.getBoundingClientRect();
            for (const el of card.querySelectorAll('*')) {
                const r = el.getBoundingClientRect();
                if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) bad.push(el.tagName + ': ' + el.textContent.slice(0, 40));
            }
        }
        return bad;
    }""")
    assert outside == []
