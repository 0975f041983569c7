"""Every role × every action URL: the exact answer each person gets, and lists that never leak.

The matrix is a table: add a row for a new URL, or a column for a new role (and a line in ``ROLES``).
Codes: 200 page shown, 302 done and redirected (or, for ``anonymous``, sent to the login page),
403 forbidden change, 404 an action this person may not even know exists.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actieplan.models import Action, ActionUpdate, MandateLevel, ReflectionTheme
from tests.factories import make_action, make_user

pytestmark = pytest.mark.django_db

# Column order of the matrix.
ROLES = ["anonymous", "outsider", "editor", "bestuurder", "owner", "werkgroeplid", "procesbewaker",
         "superuser", "other_partnership"]

# (name, method, url, expected per role in ROLES order)
MATRIX = [
    #                                       anon outs  edit best owner wgl  pb   super other
    ("list",         "get",  "list",        [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("board",        "get",  "board",       [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("detail",       "get",  "detail",      [302, 404, 404, 200, 200, 200, 200, 200, 404]),
    ("update",       "post", "detail",      [302, 404, 404, 403, 302, 302, 302, 302, 404]),
    ("create form",  "get",  "create",      [302, 403, 403, 403, 403, 200, 200, 200, 200]),
    # other_partnership may create actions, but not in this partnership: the form says so (200, nothing saved).
    ("create",       "post", "create",      [302, 403, 403, 403, 403, 302, 302, 302, 200]),
    ("edit form",    "get",  "edit",        [302, 404, 404, 403, 403, 200, 200, 200, 404]),
    ("edit",         "post", "edit",        [302, 404, 404, 403, 403, 302, 302, 302, 404]),
]

CASES = [(name, method, url, role, codes[i]) for name, method, url, codes in MATRIX for i, role in enumerate(ROLES)]


@pytest.fixture
def world(people, other_people):
    """Partnership A with an action owned by its deelnemer, and partnership B with its own action."""
    superuser = make_user("superbeheerder", is_superuser=True, is_staff=True)
    action = make_action(people.partnership, people.owner, title="Actie van samenwerkingsverband A",
                         created_by=people.procesbewaker)
    other_action = make_action(other_people.partnership, other_people.owner, title="Actie van samenwerkingsverband B")
    users = {
        "anonymous": None,
        "outsider": people.outsider,
        "editor": people.editor,
        "bestuurder": people.bestuurder,
        "owner": people.owner,
        "werkgroeplid": people.werkgroeplid,
        "procesbewaker": people.procesbewaker,
        "superuser": superuser,
        "other_partnership": other_people.procesbewaker,
    }
    return {"people": people, "action": action, "other_action": other_action, "users": users}


def _url(kind, action):
    return {
        "list": reverse("actieplan:action_list"),
        "board": reverse("actieplan:action_board"),
        "detail": reverse("actieplan:action_detail", args=[action.pk]),
        "create": reverse("actieplan:action_create"),
        "edit": reverse("actieplan:action_edit", args=[action.pk]),
    }[kind]


def _post_data(name, people, action):
    if name == "update":
        return {"note": "Voortgang gemeld", "new_status": "bezig"}
    return {
        "title": "Nieuwe titel vanuit de matrix", "description": "", "partnership": people.partnership.pk,
        "theme": ReflectionTheme.objects.first().pk, "question": "", "source_session": "", "board": "",
        "owner": people.owner.pk, "owner_organisation": "", "mandate_level": MandateLevel.MANAGEMENT,
        "deadline": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(), "status": "open",
        # The edit moves the deadline, which needs a reason (the create form has no such field).
        "deadline_reason": "Andere planning na het overleg.",
    }


@pytest.mark.parametrize("name,method,url_kind,role,expected", CASES,
                         ids=[f"{name}-{role}" for name, _m, _u, role, _e in CASES])
def test_matrix(client, world, name, method, url_kind, role, expected):
    people, action, user = world["people"], world["action"], world["users"][role]
    if user is not None:
        client.force_login(user)
    url = _url(url_kind, action)
    before = (Action.objects.count(), ActionUpdate.objects.count(),
              Action.objects.filter(title="Nieuwe titel vanuit de matrix").count())
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, _post_data(name, people, action))

    assert response.status_code == expected, f"{role} {method.upper()} {name}: {response.status_code}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login") + "?next=")
    after = (Action.objects.count(), ActionUpdate.objects.count(),
             Action.objects.filter(title="Nieuwe titel vanuit de matrix").count())
    if method == "post":
        # A POST changes something exactly when it succeeds.
        changed = before != after
        assert changed == (expected == 302 and role != "anonymous"), f"{role} {name}: {before} -> {after}"
    if expected == 403:
        assert "Geen toegang" in response.content.decode()


@pytest.mark.parametrize("role", ROLES[1:])
@pytest.mark.parametrize("url_name", ["actieplan:action_list", "actieplan:action_board"])
def test_lists_never_show_another_partnerships_actions(client, world, role, url_name):
    user = world["users"][role]
    client.force_login(user)
    html = client.get(reverse(url_name)).content.decode()
    titles = {"a": "Actie van samenwerkingsverband A", "b": "Actie van samenwerkingsverband B"}
    sees = {key for key, title in titles.items() if title in html}
    expected = {
        "outsider": set(), "editor": set(), "bestuurder": {"a"}, "owner": {"a"}, "werkgroeplid": {"a"},
        "procesbewaker": {"a"}, "superuser": {"a", "b"}, "other_partnership": {"b"},
    }[role]
    assert sees == expected


def test_filtering_on_another_partnership_shows_nothing_of_it(client, world):
    """Even a hand-made URL with the other partnership's id does not reveal its actions."""
    client.force_login(world["users"]["werkgroeplid"])
    other = world["other_action"]
    response = client.get(reverse("actieplan:action_list"), {"partnership": other.partnership_id})
    assert other.title not in response.content.decode()
    response = client.get(reverse("actieplan:action_list"), {"owner": other.owner_id})
    assert other.title not in response.content.decode()


def test_what_a_deelnemer_reads(client, people):
    """A deelnemer reads what concerns them (README, "Who reads what"): their own actions (and updates them), the
    actions of the organisation they represent in the partnership (read only), the meetings they are invited to;
    not the rest of the plan, not the reflection results."""
    from actieplan.models import ReflectionSession
    from tests.factories import make_organisation
    from tests.meeting_factories import make_meeting

    other_org = make_organisation(people.partnership, name="Gemeente Helmond")
    own = make_action(people.partnership, people.owner, title="Mijn eigen actie")
    colleague = make_action(people.partnership, people.manager, title="Actie van mijn school",
                            owner_organisation=people.organisation)
    elsewhere = make_action(people.partnership, people.werkgroeplid, title="Actie van de gemeente",
                            owner_organisation=other_org)
    invited = make_meeting(people.partnership, invited=[people.owner], title="Overleg met mij")
    not_invited = make_meeting(people.partnership, title="Bestuursoverleg zonder mij")
    session = ReflectionSession.objects.create(partnership=people.partnership, title="Reflectie")
    # The owner represents the partnership's organisation; the colleague's action is on its behalf.
    client.force_login(people.owner)

    def status(name, *args, method="get", data=None):
        return getattr(client, method)(reverse(name, args=args), data or {}).status_code

    assert status("actieplan:action_detail", own.pk) == 200
    assert status("actieplan:action_detail", own.pk, method="post", data={"note": "Loopt"}) == 302
    assert status("actieplan:action_detail", colleague.pk) == 200
    assert status("actieplan:action_detail", colleague.pk, method="post", data={"note": "Niet van mij"}) == 403
    assert status("actieplan:action_detail", elsewhere.pk) == 404
    listed = client.get(reverse("actieplan:action_list")).content.decode()
    assert "Mijn eigen actie" in listed and "Actie van mijn school" in listed and "Actie van de gemeente" not in listed
    assert status("actieplan:meeting_detail", invited.pk) == 200
    assert status("actieplan:meeting_detail", not_invited.pk) == 404
    meetings = client.get(reverse("actieplan:meeting_list")).content.decode()
    assert "Overleg met mij" in meetings and "Bestuursoverleg zonder mij" not in meetings
    for name in ("actieplan:reflection_detail", "actieplan:reflection_results", "actieplan:reflection_csv",
                 "actieplan:reflection_print"):
        assert status(name, session.pk) == 404, name
    assert "Reflectie" not in client.get(reverse("actieplan:reflection_list")).context["sessions"].values_list(
        "title", flat=True)
