"""The action plan as a Wagtail plugin: its blocks on any page, the actions on a page's own edit view,
and the two apps installed in a Wagtail site without the rest of this project."""

import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from actieplan.actions import counts
from actieplan.partnerships import permissions
from actieplan.models import ActionStatus, ReflectionTheme
from tests.factories import make_action, make_user

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home():
    return Site.objects.get(is_default_site=True).root_page.specific


def put_blocks(page, *blocks):
    """Publish ``page`` with these (type, value) blocks in its StreamField, as the editor would."""
    field = "content" if page.specific_class.__name__ == "HomePage" else "body"
    setattr(page, field, json.dumps([{"type": kind, "value": value} for kind, value in blocks]))
    page.save_revision().publish()
    return page


def action_list_value(**overrides):
    value = {"title": "Acties Daadkracht", "partnership": "", "theme": "", "board": "", "status": [],
             "linked_page": None, "number": 5, "order": "deadline", "public_display": "count"}
    value.update(overrides)
    return value


def block_text(response):
    html = response.content.decode()
    match = re.search(r'<section class="ap-block ap-block--actions.*?</section>', html, re.S)
    return match.group(0) if match else ""


def titles_in(section):
    return re.findall(r'<a href="/actieplan/acties/\d+/">([^<]+)</a>', section)


@pytest.fixture
def plan(people, other_people):
    daadkracht = ReflectionTheme.objects.get(name="Daadkracht")
    visie = ReflectionTheme.objects.get(name="Visie en ambitie")
    ours = [make_action(people.partnership, people.owner, theme=daadkracht, title=f"Daadkracht-actie {i}",
                        deadline=timezone.localdate() + datetime.timedelta(days=i + 1)) for i in range(3)]
    ours.append(make_action(people.partnership, people.owner, theme=visie, title="Visie-actie"))
    done = make_action(people.partnership, people.owner, theme=daadkracht, title="Afgeronde Daadkracht-actie")
    done.status = ActionStatus.AFGEROND
    done.save()
    theirs = make_action(other_people.partnership, other_people.owner, theme=daadkracht, title="Actie van B")
    return {"daadkracht": daadkracht, "ours": ours, "done": done, "theirs": theirs}


def list_count(client, query):
    """The count the action list shows for the same filters."""
    response = client.get(reverse("actieplan:action_list") + "?" + query)
    return response.context["page_obj"].paginator.count


@pytest.mark.parametrize("role", ["anonymous", "other", "member", "admin"])
def test_action_list_block_shows_each_role_what_it_may_see_with_the_lists_counts(client, home, people,
                                                                                 other_people, plan, role):
    theme = plan["daadkracht"]
    put_blocks(home, ("action_list", action_list_value(theme=str(theme.pk), status=["open", "bezig"])))
    user = {"anonymous": None, "other": other_people.werkgroeplid, "member": people.werkgroeplid,
            "admin": make_user("beheer", is_superuser=True, is_staff=True)}[role]
    if user:
        client.force_login(user)
    section = block_text(client.get("/"))
    titles = titles_in(section)
    ours = [a.title for a in plan["ours"][:3]]
    if role == "anonymous":
        assert titles == []
        assert "Hier lopen 4 acties van het actieplan." in section  # 3 of ours + 1 of B, no titles
        assert "Daadkracht-actie" not in section and "Actie van B" not in section
    elif role == "other":
        assert titles == ["Actie van B"]
        assert "1 actie die je kunt inzien" in section
        assert "en 3 acties van andere samenwerkingsverbanden" in section
        assert not any(title in section for title in ours)
    elif role == "member":
        assert titles == ours  # by deadline; Visie-actie (other theme) and the done one (status) left out
        assert "3 acties die je kunt inzien" in section
        assert "en 1 actie van een ander samenwerkingsverband" in section
    else:
        assert titles == ours + ["Actie van B"]
        assert "4 acties die je kunt inzien" in section
    if user:
        query = f"theme={theme.pk}&status=open&status=bezig"
        assert list_count(client, query) == len(titles)
        assert f'href="/actieplan/?{query}"' in section.replace("&amp;", "&")


def test_block_counts_come_from_the_count_functions(client, home, people, plan):
    partnership = people.partnership
    put_blocks(home, ("action_list", action_list_value(partnership=str(partnership.pk), number=2)))
    client.force_login(people.bestuurder)
    section = block_text(client.get("/"))
    expected = counts.total(counts.visible(people.bestuurder, partnership.actions.all()))
    assert expected == 5
    assert len(titles_in(section)) == 2
    assert f"{expected} acties die je kunt inzien (nog 3 niet getoond)" in section


def test_editor_chooses_to_show_nothing_to_others(client, home, people, plan):
    put_blocks(home, ("action_list", action_list_value(partnership=str(people.partnership.pk),
                                                       public_display="nothing")))
    assert block_text(client.get("/")) == ""
    client.force_login(people.outsider)
    assert block_text(client.get("/")) == ""
    client.force_login(people.werkgroeplid)
    assert len(titles_in(block_text(client.get("/")))) == 5


def test_cached_fragment_is_shared_by_visibility_never_across_it(client, home, people, plan, django_assert_max_num_queries):
    put_blocks(home, ("action_list", action_list_value(partnership=str(people.partnership.pk))))
    client.force_login(people.werkgroeplid)
    assert len(titles_in(block_text(client.get("/")))) == 5
    client.logout()
    anonymous = block_text(client.get("/"))
    assert titles_in(anonymous) == [] and "Hier lopen 5 acties" in anonymous
    # Someone with the same partnerships gets the cached fragment; a change to an action renews it.
    client.force_login(people.procesbewaker)
    assert "Daadkracht-actie 0" in block_text(client.get("/"))
    action = plan["ours"][0]
    action.title = "Daadkracht-actie nieuw"
    action.save()
    section = block_text(client.get("/"))
    assert "Daadkracht-actie nieuw" in section and "Daadkracht-actie 0" not in section


def test_progress_summary_block_shows_key_figures_to_members(client, home, people, plan):
    overdue = plan["ours"][3]
    type(overdue).objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    put_blocks(home, ("progress_summary", {"title": "", "partnership": str(people.partnership.pk),
                                           "public_display": "nothing"}))
    html = client.get("/").content.decode()
    assert "ap-block--summary" not in html
    client.force_login(people.bestuurder)
    html = client.get("/").content.decode()
    summary = counts.summary(people.partnership.actions.all())
    assert summary.active == 4 and summary.overdue == 1 and summary.done_on_time == 1
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))
    assert figures == {"Nog te doen": "4", "Verlopen": "1", "Op tijd afgerond": "1 van 1 afgerond"}
    assert "Alle acties in het actieplan" in html


def test_block_and_voortgang_page_show_one_praatclub_index_with_a_half_rounded_up(client, home, people):
    from actieplan.actions import services
    from actieplan.progress.demo import ensure_progress_page
    from actieplan.models import Action

    agreed = [make_action(people.partnership, people.owner, title=f"Afspraak {i}") for i in range(8)]
    services.add_update(agreed[0], people.owner, "Klaar", new_status=ActionStatus.AFGEROND)
    long_ago = timezone.now() - datetime.timedelta(days=200)
    Action.objects.filter(pk__in=[a.pk for a in agreed]).update(created_at=long_ago)
    put_blocks(home, ("progress_summary", {"title": "", "partnership": str(people.partnership.pk),
                                           "public_display": "nothing"}))
    page = ensure_progress_page(people.partnership)  # after home's revision, which would keep a stale child count
    client.force_login(people.bestuurder)
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", client.get("/").content.decode()))
    assert figures["Praatclub-index"] == "13% afgerond"  # 1 of 8 is 12.5 %: a reader rounds it up, not to the even 12
    voortgang = re.sub(r"\s+", " ", client.get(page.url).content.decode())
    assert "Over alle kwartalen: 13% afgerond, 13% op tijd (van 8 acties)." in voortgang


def test_block_pointing_at_deleted_things_shows_an_empty_state_and_a_hint_for_editors(client, home, people, plan):
    from actieplan.models import Partnership
    from tests.factories import make_partnership

    gone = make_partnership()
    put_blocks(home, ("action_list", action_list_value(partnership=str(gone.pk))),
               ("progress_summary", {"title": "", "partnership": str(gone.pk), "public_display": "figures"}))
    Partnership.objects.filter(pk=gone.pk).delete()
    response = client.get("/")
    assert response.status_code == 200
    section = block_text(response)
    assert "Er zijn hier geen acties om te tonen." in section
    assert "bestaat niet meer" not in response.content.decode()
    client.force_login(make_user("redactie", is_superuser=True, is_staff=True))
    html = client.get("/").content.decode()
    assert html.count("Het gekozen samenwerkingsverband bestaat niet meer.") == 2


from tests.test_reflection import two_sessions  # noqa: E402,F401  (fixture: two sessions of people's partnership)


def test_reflection_block_shows_radar_and_trend_to_members_only(client, home, people, other_people, two_sessions):
    earlier, later = two_sessions
    later.close()
    put_blocks(home, ("reflection", {"title": "", "partnership": str(people.partnership.pk), "chart": "radar",
                                     "sessions": 4}),
               ("reflection", {"title": "Zo ontwikkelen we ons", "partnership": str(people.partnership.pk),
                               "chart": "trend", "sessions": 4}))
    for outsider in (None, other_people.werkgroeplid):
        if outsider:
            client.force_login(outsider)
        html = client.get("/").content.decode()
        assert "ap-block--reflection" not in html and "radar-current" not in html
    client.force_login(people.bestuurder)
    html = client.get("/").content.decode()
    assert 'class="radar-current"' in html and 'class="radar-previous"' in html
    assert f"Laatste afgesloten sessie: {later.title}" in html
    trend = html[html.index("Zo ontwikkelen we ons"):]
    assert re.search(r"Daadkracht</th><td>2,0</td><td>3,3</td>", trend)
    assert re.search(r"Monitoring</th><td>3,0</td><td>1,5</td>", trend)


def test_block_filters_are_validated_on_save_with_dutch_messages(people, plan):
    from wagtail.blocks.struct_block import StructBlockValidationError

    from actieplan.blocks import ActionListBlock, ProgressSummaryBlock
    from good_practices.models import GoodPracticeIndexPage  # noqa: F401

    block = ActionListBlock()

    def errors(**value):
        with pytest.raises(StructBlockValidationError) as raised:
            block.clean(block.to_python(action_list_value(**value)))
        return {name: " ".join(e.messages) for name, e in raised.value.block_errors.items()}

    assert errors(partnership="999999") == {
        "partnership": "Dit samenwerkingsverband bestaat niet meer. Kies een ander samenwerkingsverband of laat het leeg."}
    assert "Dit reflectiethema bestaat niet meer" in errors(theme="999999")["theme"]
    assert errors(order="-completed_at", status=["open"])["order"].startswith("‘Laatst afgerond eerst’ werkt alleen")
    assert "number" in errors(number=0)
    home = Site.objects.get(is_default_site=True).root_page
    assert "Kies een gepubliceerde good practice of proeftuin" in errors(linked_page=home.pk)["linked_page"]
    assert block.clean(block.to_python(action_list_value(partnership=str(people.partnership.pk))))
    summary = ProgressSummaryBlock()
    with pytest.raises(StructBlockValidationError) as raised:
        summary.clean(summary.to_python({"title": "", "partnership": "", "public_display": "nothing"}))
    assert "partnership" in raised.value.block_errors


def test_block_on_a_deleted_linked_page_renders_an_empty_state(client, home, people, plan):
    from good_practices.demo import load_sample

    _library, proeftuinen = load_sample()
    proeftuin = proeftuinen.get_children().first().specific
    plan["ours"][0].linked_pages.add(proeftuin)
    put_blocks(home, ("action_list", action_list_value(linked_page=proeftuin.pk)))
    client.force_login(people.werkgroeplid)
    assert titles_in(block_text(client.get("/"))) == ["Daadkracht-actie 0"]
    proeftuin.delete()
    response = client.get("/")
    assert response.status_code == 200
    assert titles_in(block_text(response)) == []
    assert "Er zijn hier geen acties om te tonen." in block_text(response)
    client.force_login(make_user("redactie2", is_superuser=True))
    assert "De gekoppelde pagina bestaat niet meer." in client.get("/").content.decode()


# --- the actions on a page's own edit view ---------------------------------------------------------

@pytest.fixture
def proeftuin(db):
    from good_practices.demo import load_sample

    _library, proeftuinen = load_sample()
    return proeftuinen.get_children().live().first().specific


def edit_view(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index("Acties uit het actieplan")
    return html[start:html.index("</fieldset>", start) if "</fieldset>" in html[start:] else None]


def test_edit_view_lists_linked_actions_and_links_to_add_one_already_linked(client, people, other_people, proeftuin):
    from django.contrib.auth.models import Group

    ours = make_action(people.partnership, people.owner, title="Leerlab-actie van A",
                       deadline=datetime.date(2027, 3, 1))
    theirs = make_action(other_people.partnership, other_people.owner, title="Leerlab-actie van B")
    for action in (ours, theirs):
        action.linked_pages.add(proeftuin)
    make_action(people.partnership, people.owner, title="Niet gekoppeld")

    client.force_login(make_user("beheerder", is_superuser=True, is_staff=True))
    panel = edit_view(client, proeftuin)
    assert "Leerlab-actie van A" in panel and "Leerlab-actie van B" in panel and "Niet gekoppeld" not in panel
    assert "Otto Eigenaar" in panel and "1 maart 2027" in panel and "open" in panel
    assert f"/actieplan/acties/nieuw/?linked_page={proeftuin.pk}" in panel

    # An editor who is no member learns only how many are linked, and cannot add one.
    client.force_login(people.editor)
    panel = edit_view(client, proeftuin)
    assert "Leerlab-actie" not in panel
    assert "Er zijn 2 acties gekoppeld van samenwerkingsverbanden waarvan je geen lid bent." in panel
    assert "linked_page=" not in panel

    # A procesbewaker who also edits pages sees their own partnership's action and adds one, already linked.
    people.procesbewaker.groups.add(Group.objects.get(name="Redacteuren"))
    client.force_login(people.procesbewaker)
    panel = edit_view(client, proeftuin)
    assert "Leerlab-actie van A" in panel and "Leerlab-actie van B" not in panel
    assert "Er is 1 actie gekoppeld van een samenwerkingsverband waarvan je geen lid bent." in panel
    response = client.get(f"/actieplan/acties/nieuw/?linked_page={proeftuin.pk}")
    assert response.context["form"].initial["linked_pages"] == [proeftuin.pk]
    theme = ReflectionTheme.objects.get(name="Daadkracht")
    response = client.post("/actieplan/acties/nieuw/", {
        "title": "Leerlab uitbreiden naar twee scholen", "partnership": people.partnership.pk, "theme": theme.pk,
        "owner": people.owner.pk, "mandate_level": 1, "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "linked_pages": [proeftuin.pk]})
    assert response.status_code == 302, response.context["form"].errors
    assert "Leerlab uitbreiden naar twee scholen" in edit_view(client, proeftuin)


@pytest.mark.parametrize("value", ["abc", "-1", "1e3", "99999999999999999999999999", "home", " 5"])
def test_add_link_prefill_is_parsed_strictly(client, people, proeftuin, home, value):
    value = str(home.pk) if value == "home" else value  # a page that actions cannot link to
    client.force_login(people.procesbewaker)
    response = client.get("/actieplan/acties/nieuw/", {"linked_page": value})
    if len(value) > 18:  # past any database integer: the middleware's Dutch 400 (lobplatform/middleware.py)
        assert response.status_code == 400
        return
    assert response.status_code == 200
    assert "linked_pages" not in response.context["form"].initial
    assert "kan niet aan een actie gekoppeld worden" in response.content.decode()


# --- installable in an existing Wagtail site --------------------------------------------------------

def test_the_apps_install_in_a_minimal_wagtail_site_migrate_and_render(tmp_path):
    """Only Wagtail's own apps plus actieplan and good_practices: an empty database migrates, the
    reference data arrives with the migrations (and no group), and the action list and the library render in the
    site's own base template."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.minimal_site.settings",
           "MINIMAL_SITE_DB": str(tmp_path / "bestaande-site.sqlite3"), "PYTHONPATH": str(root)}
    env.pop("DATABASE_URL", None)
    migrate = subprocess.run([sys.executable, "-m", "django", "migrate", "--no-input", "-v0"], cwd=root, env=env,
                             capture_output=True, text=True, timeout=900)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    check = subprocess.run([sys.executable, "-m", "tests.minimal_site.check"], cwd=root, env=env,
                           capture_output=True, text=True, timeout=600)
    assert check.returncode == 0, check.stderr[-3000:]
    result = json.loads(check.stdout.strip().splitlines()[-1])
    assert (result["themes"], result["questions"]) == (6, 22)
    # Migrating grants nothing: Wagtail's own groups only, no rights on the root page (manage.py lob_setup_groups).
    assert not {"Redacteuren", "Werkgroep", "Bestuurders"} & set(result["groups"])
    assert result["index_parent_ok"]
    status, library = result["library"]
    assert status == 200 and "bestaande-site" in library and "Warme overdracht vo – mbo" in library
    status, listing = result["list"]
    assert status == 200 and "bestaande-site" in listing and "Overdrachtsformulier afspreken" in listing
    status, practice = result["practice_member"]
    assert status == 200 and "Overdrachtsformulier afspreken" in practice
    status, practice = result["practice_anonymous"]
    assert status == 200 and "Overdrachtsformulier afspreken" not in practice
    assert "Hier loopt 1 actie van het actieplan." in practice


def test_demo_home_page_carries_an_action_list_block_once(client):
    from lobplatform.demo.site import load

    load()
    load()
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert [block.block_type for block in home.content] == ["action_list"]
    html = client.get("/").content.decode()
    assert "Daadkracht: wat we nu doen" in html and "Er zijn hier geen acties om te tonen." in html


# --- the block's figures against a plain computation --------------------------------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

block_action_spec = st.fixed_dictionaries({
    "ours": st.booleans(),
    "theme": st.sampled_from(["Daadkracht", "Relatie"]),
    "status": st.sampled_from(list(ActionStatus.values)),
    "owner": st.sampled_from(["owner", "outsider"]),  # an owner outside the partnership also sees it
})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(block_action_spec, max_size=10), theme=st.sampled_from(["", "Daadkracht"]),
       statuses=st.lists(st.sampled_from(list(ActionStatus.values)), unique=True, max_size=3),
       display=st.sampled_from(["count", "nothing"]), number=st.integers(min_value=1, max_value=4))
def test_block_figures_are_what_a_plain_computation_gives_for_every_viewer(people, other_people, specs, theme,
                                                                         statuses, display, number):
    from django.contrib.auth.models import AnonymousUser
    from django.db import transaction
    from django.test import RequestFactory

    from actieplan.blocks.data import ActionListData
    from actieplan.blocks import ActionListBlock

    themes = {t.name: t for t in ReflectionTheme.objects.filter(name__in=["Daadkracht", "Relatie"])}
    with transaction.atomic():
        rows = []
        for spec in specs:
            partnership = people.partnership if spec["ours"] else other_people.partnership
            owner = people.outsider if spec["owner"] == "outsider" else (
                people.owner if spec["ours"] else other_people.owner)
            make_action(partnership, owner, theme=themes[spec["theme"]], status=spec["status"])
            rows.append((partnership.pk, owner.pk, spec["theme"], spec["status"]))
        block = ActionListBlock()
        value = block.to_python(action_list_value(theme=str(themes[theme].pk) if theme else "", status=statuses,
                                                  public_display=display, number=number))
        matching = [row for row in rows if (not theme or row[2] == theme) and (not statuses or row[3] in statuses)]
        admin = make_user(is_superuser=True)
        viewers = {"anonymous": AnonymousUser(), "member": people.werkgroeplid, "other": other_people.werkgroeplid,
                   "outsider-owner": people.outsider, "admin": admin}
        for name, user in viewers.items():
            request = RequestFactory().get("/")
            request.user = user
            data = ActionListData(block, value, {"request": request})
            if name == "admin":
                visible = len(matching)
            elif name == "anonymous":
                visible = 0
            else:
                mine = {people.werkgroeplid.pk: people.partnership.pk,
                        other_people.werkgroeplid.pk: other_people.partnership.pk}.get(user.pk)
                # An owner reads their own action while they are a member of its partnership (access follows
                # membership, actieplan/partnerships/permissions.py): the outsider owns actions but reads none.
                visible = sum(1 for p, owner, _t, _s in matching
                              if p == mine or (owner == user.pk and permissions.is_member(user, p)))
            assert data.visible_total == visible, name
            assert len(data.rows) == min(visible, number), name
            assert data.hidden_total == (len(matching) - visible if display == "count" else 0), name
        transaction.set_rollback(True)


def test_recently_completed_first_puts_unfinished_actions_last(client, home, people, plan):
    put_blocks(home, ("action_list", action_list_value(partnership=str(people.partnership.pk),
                                                       order="-completed_at", number=2)))
    client.force_login(people.werkgroeplid)
    titles = titles_in(block_text(client.get("/")))
    assert titles[0] == "Afgeronde Daadkracht-actie" and len(titles) == 2
