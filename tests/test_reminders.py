"""The reminder decision and delivery, as an action owner, a manager and a procesbewaker notice them.

The scan is given the moment it runs (``now``), so the tests walk an action's life from a week
before its deadline to weeks after it without waiting. Email goes to Django's locmem outbox.
"""

import datetime
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from actieplan.reminders import emails, scan as reminders
from actieplan.models import ActionStatus, ActionUpdate, MandateLevel, Profile, Reminder, ReminderKind
from tests.factories import make_action, make_user


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def run_scan(now, digests=False):
    """Scan as the hourly task would, then deliver what it decided; returns the emails sent.

    Digests stay out unless asked for, so a test day that happens to be a Monday stays about deadlines.
    """
    before = len(mail.outbox)
    result = reminders.scan(now, digests=digests)
    for reminder_id in result.new_ids:
        emails.deliver(reminder_id, now=now)
    return mail.outbox[before:]


def kinds(messages):
    return sorted((m.extra_headers["X-LOB-Reminder"].split(":")[1], m.to[0]) for m in messages)


@pytest.fixture
def deadline():
    return timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def action(people, deadline):
    return make_action(people.partnership, people.owner, deadline=deadline, title="Loopbaangesprekken in leerjaar 3",
                       created_by=people.procesbewaker)


def test_owner_is_reminded_seven_and_one_day_before_on_the_day_and_when_overdue(people, action, deadline):
    owner = people.owner.email
    assert run_scan(at(deadline - datetime.timedelta(days=8))) == []
    sent = run_scan(at(deadline - datetime.timedelta(days=7)))
    assert kinds(sent) == [("voor-deadline", owner)]
    assert "over 7 dagen" in sent[0].subject
    assert run_scan(at(deadline - datetime.timedelta(days=7), hour=10)) == [], "the next hourly scan sends nothing"
    assert run_scan(at(deadline - datetime.timedelta(days=3))) == []
    assert "over 1 dag" in run_scan(at(deadline - datetime.timedelta(days=1)))[0].subject
    on_day = run_scan(at(deadline))
    assert kinds(on_day) == [("op-deadline", owner)] and on_day[0].subject.startswith("Vandaag is de deadline")
    assert kinds(run_scan(at(deadline + datetime.timedelta(days=1)))) == [("verlopen", owner)]
    assert run_scan(at(deadline + datetime.timedelta(days=5))) == []
    assert kinds(run_scan(at(deadline + datetime.timedelta(days=8)))) == [("verlopen", owner)], "weekly after that"
    assert Reminder.objects.filter(action=action, sent_at__isnull=False).count() == 5


def test_message_has_both_parts_the_facts_and_a_working_update_link(client, people, action, deadline):
    [message] = run_scan(at(deadline - datetime.timedelta(days=7)))
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "Loopbaangesprekken in leerjaar 3" in part
        assert people.partnership.name in part
        assert action.theme.name in part
        assert "open" in part  # status
        assert "http://testserver/actieplan/herinnering/" in part
    assert str(deadline.year) in message.body
    link = next(w for w in message.body.split() if "/actieplan/herinnering/" in w)
    page = client.get(link.replace("http://testserver", ""))
    assert page.status_code == 200 and "Voortgang doorgeven" in page.content.decode()
    response = client.post(link.replace("http://testserver", ""),
                           {"note": "Eerste gesprekken met mentoren gepland.", "new_status": "bezig"})
    assert response.status_code == 200 and "Bedankt" in response.content.decode()
    update = ActionUpdate.objects.get(action=action)
    assert update.author == people.owner and update.note == "Eerste gesprekken met mentoren gepland."
    action.refresh_from_db()
    assert action.status == ActionStatus.BEZIG


def test_update_link_refuses_tampering_expiry_and_a_former_owner(client, people, action):
    token = emails.make_update_token(action, people.owner)
    assert client.get(f"/actieplan/herinnering/{token}x/").status_code == 400
    with override_settings(LOB_UPDATE_LINK_MAX_AGE_DAYS=-1):
        expired = client.get(f"/actieplan/herinnering/{token}/")
    assert expired.status_code == 410 and "verlopen" in expired.content.decode()
    response = client.post(f"/actieplan/herinnering/{token}/", {"note": ""})
    assert response.status_code == 200 and "Schrijf kort wat er gebeurd is." in response.content.decode()
    action.owner = people.manager
    action.save()
    assert client.get(f"/actieplan/herinnering/{token}/").status_code == 403
    assert not ActionUpdate.objects.filter(action=action).exists()


def test_a_missed_week_sends_one_reminder_with_the_real_days_left_not_a_stale_pile(people, action, deadline):
    sent = run_scan(at(deadline - datetime.timedelta(days=2)))
    assert kinds(sent) == [("voor-deadline", people.owner.email)]
    assert "over 2 dagen" in sent[0].subject
    assert len(run_scan(at(deadline - datetime.timedelta(days=1)))) == 1


def test_after_weeks_of_downtime_only_the_current_overdue_step_and_the_escalation_go_out(people, action, deadline):
    sent = run_scan(at(deadline + datetime.timedelta(days=20)))
    assert kinds(sent) == sorted([("verlopen", people.owner.email), ("escalatie", people.manager.email),
                                  ("escalatie", people.procesbewaker.email)])
    assert run_scan(at(deadline + datetime.timedelta(days=21))) == []


def test_escalation_goes_one_mandate_level_up_in_the_owners_organisation_and_to_the_procesbewaker(people, deadline):
    action = make_action(people.partnership, people.manager, deadline=deadline, mandate_level=MandateLevel.MANAGEMENT)
    assert kinds(run_scan(at(deadline + datetime.timedelta(days=13)))) == [("verlopen", people.manager.email)]
    sent = run_scan(at(deadline + datetime.timedelta(days=14)))
    assert kinds(sent) == sorted([("escalatie", people.bestuurder.email), ("escalatie", people.procesbewaker.email)])
    assert "14 dagen over de deadline" in sent[0].subject
    assert action.title in sent[0].body and "management/projectleiding" in sent[0].body
    assert "/actieplan/herinnering/" not in sent[0].body, "only the owner gets a link without login"


@override_settings(LOB_ESCALATION_AFTER_DAYS=3)
def test_escalation_delay_is_configurable(people, action, deadline):
    assert {k for k, _ in kinds(run_scan(at(deadline + datetime.timedelta(days=3))))} == {"verlopen", "escalatie"}


def test_a_persons_own_days_before_replace_the_default(people, action, deadline):
    Profile.objects.update_or_create(user=people.owner, defaults={"reminder_days_before": "3"})
    assert run_scan(at(deadline - datetime.timedelta(days=7))) == []
    assert "over 3 dagen" in run_scan(at(deadline - datetime.timedelta(days=3)))[0].subject
    assert run_scan(at(deadline - datetime.timedelta(days=1))) == []


def test_moving_the_deadline_plans_new_reminders_and_drops_the_unsent_old_ones(people, action, deadline):
    assert len(run_scan(at(deadline - datetime.timedelta(days=7)))) == 1
    decided = reminders.scan(at(deadline - datetime.timedelta(days=1)), digests=False)  # decided, not delivered
    action.deadline = deadline + datetime.timedelta(days=14)
    action.save()
    assert emails.deliver(decided.new_ids[0]) == emails.CANCELLED
    assert "verschoven" in Reminder.objects.get(pk=decided.new_ids[0]).last_error
    new_deadline = action.deadline
    sent = run_scan(at(new_deadline - datetime.timedelta(days=7)))
    assert kinds(sent) == [("voor-deadline", people.owner.email)]
    assert Reminder.objects.get(pk=decided.new_ids[0]).sent_at is None


@pytest.mark.parametrize("status", [ActionStatus.AFGEROND, ActionStatus.VERVALLEN])
def test_done_and_cancelled_actions_get_no_reminders(people, action, deadline, status):
    action.status = status
    action.save()
    for day in (-7, -1, 0, 1, 20):
        assert run_scan(at(deadline + datetime.timedelta(days=day))) == []
    assert not Reminder.objects.filter(action=action, kind__in=[ReminderKind.BEFORE_DEADLINE, ReminderKind.OVERDUE,
                                                                ReminderKind.ESCALATION]).exists()


def test_owner_without_email_is_logged_and_the_procesbewaker_is_told(people, deadline):
    owner = make_user("zonder_mail", first_name="Zeno", last_name="Zondermail", email="")
    from tests.factories import add_member
    from actieplan.models import Role

    add_member(people.partnership, owner, people.organisation, Role.DEELNEMER)
    action = make_action(people.partnership, owner, deadline=deadline, title="Stagebank vullen")
    sent = run_scan(at(deadline - datetime.timedelta(days=7)))
    assert kinds(sent) == [("geen-e-mailadres", people.procesbewaker.email)]
    assert "Zeno Zondermail" in sent[0].body and "Stagebank vullen" in sent[0].subject
    log = Reminder.objects.get(action=action, recipient=owner, kind=ReminderKind.NO_EMAIL,
                               period__startswith="voor-deadline/")
    assert log.sent_at is None and log.cancelled_at is not None and "e-mailadres" in log.last_error
    assert run_scan(at(deadline - datetime.timedelta(days=7), hour=11)) == []


def test_scanning_twice_and_delivering_twice_sends_once(people, action, deadline):
    now = at(deadline - datetime.timedelta(days=7))
    first = reminders.scan(now, digests=False)  # about the deadline: a Monday morning's digest stays out
    second = reminders.scan(now, digests=False)
    assert len(first.new_ids) == 1 and second.new_ids == []
    assert emails.deliver(first.new_ids[0]) == emails.SENT
    assert emails.deliver(first.new_ids[0]) == emails.ALREADY_SENT
    assert len(mail.outbox) == 1


def test_a_failed_send_is_counted_kept_and_retried_without_duplicates(people, action, deadline):
    from tests.services import free_port

    result = reminders.scan(at(deadline - datetime.timedelta(days=7)))
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                           EMAIL_PORT=free_port(), EMAIL_TIMEOUT=2):
        with pytest.raises(OSError):
            emails.deliver(result.new_ids[0])
    row = Reminder.objects.get(pk=result.new_ids[0])
    assert row.sent_at is None and row.attempts == 1 and "Connection" in row.last_error
    assert row.pk in reminders.pending_ids(older_than=datetime.timedelta(0)), "the next scan offers it again"
    assert emails.deliver(row.pk) == emails.SENT
    row.refresh_from_db()
    assert row.sent_at and row.attempts == 2 and row.last_error == ""
    assert len(mail.outbox) == 1 and row.pk not in reminders.pending_ids(older_than=datetime.timedelta(0))


def monday(hour=7, minute=30, weeks_ahead=1):
    today = timezone.localdate()
    day = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=weeks_ahead)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_weekly_digest_lists_own_actions_and_the_partnerships_completed_ones(client, people, deadline):
    soon = make_action(people.partnership, people.owner, deadline=monday().date() + datetime.timedelta(days=3),
                       title="Ouderavond over profielkeuze")
    make_action(people.partnership, people.owner, deadline=deadline + datetime.timedelta(days=60), title="Later werk")
    done = make_action(people.partnership, people.werkgroeplid, title="Netwerkkaart afgerond")
    done.status = ActionStatus.AFGEROND
    done.save()
    done.__class__.objects.filter(pk=done.pk).update(completed_at=monday() - datetime.timedelta(days=2))
    Profile.objects.update_or_create(user=people.bestuurder, defaults={"digest_enabled": False})

    sent = [m for m in run_scan(monday(), digests=None) if "weekoverzicht" in m.extra_headers["X-LOB-Reminder"]]
    recipients = {m.to[0] for m in sent}
    assert people.owner.email in recipients and people.procesbewaker.email in recipients
    assert people.bestuurder.email not in recipients, "digest switched off"
    mine = next(m for m in sent if m.to == [people.owner.email])
    html = mine.alternatives[0][0]
    assert soon.title in mine.body and "Later werk" in mine.body and "Netwerkkaart afgerond" in html
    assert mine.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = mine.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in mine.body and link in html
    assert run_scan(monday(hour=12), digests=None) == [], "one digest per person per week"

    path = link.replace("http://testserver", "")
    assert client.get(path).status_code == 200
    assert Profile.objects.get(user=people.owner).digest_enabled, "opening the link alone does not unsubscribe"
    client.post(path, {"List-Unsubscribe": "One-Click"})
    assert not Profile.objects.get(user=people.owner).digest_enabled
    assert client.get("/actieplan/weekoverzicht/afmelden/onzin/").status_code == 400


def test_digest_is_caught_up_on_tuesday_but_not_later_in_the_week(people, action):
    assert reminders.scan(monday(hour=6)).counts[ReminderKind.DIGEST] == 0, "not before Monday 07:00"
    assert reminders.scan(monday() + datetime.timedelta(days=3)).counts[ReminderKind.DIGEST] == 0
    assert reminders.scan(monday() + datetime.timedelta(days=1)).counts[ReminderKind.DIGEST] >= 1


def test_preferences_page_saves_days_and_digest_and_explains_bad_input(client, people):
    client.force_login(people.owner)
    assert client.get("/actieplan/voorkeuren/").status_code == 200
    response = client.post("/actieplan/voorkeuren/", {"reminder_days_before": "3, 14"}, follow=True)
    assert "opgeslagen" in response.content.decode()
    profile = Profile.objects.get(user=people.owner)
    assert profile.reminder_days_before == "14,3" and profile.digest_enabled is False
    response = client.post("/actieplan/voorkeuren/", {"reminder_days_before": "morgen", "digest_enabled": "on"})
    assert response.status_code == 200 and "gehele dagen" in response.content.decode()
    profile.refresh_from_db()
    assert profile.reminder_days_before == "14,3" and profile.digest_enabled is False


def test_preferences_need_a_login(client):
    assert client.get("/actieplan/voorkeuren/").status_code == 302


def test_send_reminders_command_sends_what_is_due_once(people, deadline):
    make_action(people.partnership, people.owner, deadline=timezone.localdate() + datetime.timedelta(days=1))
    call_command("send_reminders")
    first = [m for m in mail.outbox if ":voor-deadline:" in m.extra_headers["X-LOB-Reminder"]]
    assert len(first) == 1 and first[0].to == [people.owner.email]
    call_command("send_reminders")
    assert len([m for m in mail.outbox if ":voor-deadline:" in m.extra_headers["X-LOB-Reminder"]]) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_scans_at_once_send_each_reminder_once(people):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (row locks); SQLite serialises the whole database")
    today = timezone.localdate()
    for n in range(20):
        make_action(people.partnership, people.owner, deadline=today + datetime.timedelta(days=1 + n % 2 * 6))
    from actieplan.management.commands.send_reminders import Command

    barrier = threading.Barrier(2)
    errors = []

    def scan():
        try:
            barrier.wait()
            Command().run_once()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    keys = [m.extra_headers["X-LOB-Reminder"] for m in mail.outbox if ":voor-deadline:" in
            m.extra_headers["X-LOB-Reminder"]]
    assert len(keys) == 20 and len(set(keys)) == 20


def test_the_database_decides_overdue_owners_with_an_address_and_python_plans_only_the_rest(people, action, deadline):
    def planned_in_python(day):
        return [row[0] for row in reminders.deadline_candidates(day, reminders._DeadlineRules())]

    day = lambda n: deadline + datetime.timedelta(days=n)  # noqa: E731
    assert planned_in_python(day(-7)) == [action.pk], "before the deadline: the Python plan"
    assert planned_in_python(day(3)) == [], "an overdue owner with an address is decided by the database"
    assert kinds(run_scan(at(day(3)))) == [("verlopen", people.owner.email)]
    assert run_scan(at(day(4))) == []
    people.owner.email = ""
    people.owner.save()
    assert planned_in_python(day(8)) == [action.pk], "an owner without an address: the Python plan"
    assert kinds(run_scan(at(day(8)))) == [("geen-e-mailadres", people.procesbewaker.email)]
    assert planned_in_python(day(9)) == [], "once per overdue step"
    assert run_scan(at(day(9))) == []


def expected_deadline_log(actions, memberships, day, escalate_after=14, days_before=(7, 1)):
    """The reminder rules of actieplan.reminders.scan in the plainest words, for one scan on ``day``: the keys
    it must add to the log (before the log is consulted). ``actions``: dicts with id, deadline, status,
    created (date), owner, org, level, partnership; ``memberships``: (user, email, active, partnership, org,
    role, level)."""
    people = {m[0]: m for m in memberships}
    keys = set()

    def usable(user):
        return people[user][1] != "" and people[user][2]

    for a in actions:
        if a["status"] not in ("open", "bezig", "geblokkeerd"):
            continue
        left = (a["deadline"] - day).days
        if left > 0:
            due = [n for n in days_before if n >= left]
            if not due or a["deadline"] - datetime.timedelta(days=min(due)) < a["created"]:
                continue
            kind, period = "voor-deadline", f"{a['deadline']}/{min(due)}d"
        elif left == 0:
            kind, period = "op-deadline", a["deadline"].isoformat()
        else:
            late = -left
            kind, period = "verlopen", f"{a['deadline']}/+{1 + 7 * ((late - 1) // 7)}d"
            if late >= max(escalate_after, 1):
                for user, email, active, partnership, org, role, level in memberships:
                    if partnership != a["partnership"] or user == a["owner"] or not (email and active):
                        continue
                    if role == "procesbewaker" or (org == a["org"] and level == a["level"] + 1):
                        keys.add(f"{a['id']}:escalatie:{a['deadline']}:{user}")
        if usable(a["owner"]):
            keys.add(f"{a['id']}:{kind}:{period}:{a['owner']}")
        else:
            keys.add(f"{a['id']}:geen-e-mailadres:{kind}/{period}:{a['owner']}")
            for user, email, active, partnership, _org, role, _level in memberships:
                if (partnership == a["partnership"] and role == "procesbewaker" and email and active
                        and user != a["owner"]):
                    keys.add(f"{a['id']}:geen-e-mailadres:{kind}/{period}:{user}")
    return keys


def test_every_scan_writes_exactly_what_the_rules_in_plain_words_give(people):
    """On PostgreSQL and SQLite alike (the database decides the overdue steps and escalations with the same
    generated SQL). Actions in every state (overdue by days or weeks, every mandate level, owners with and
    without an address, an owner who left, an owner who is procesbewaker, closed actions) and people who must
    or must not be told (inactive, no address, another organisation): scan after scan, the log gains exactly
    the keys of the rules written out plainly above, minus what an earlier scan already logged."""
    from tests.factories import add_member, make_organisation

    from actieplan.models import Membership, Role

    partnership, org_a = people.partnership, people.organisation
    org_b = make_organisation(partnership, name="Andere school")
    no_mail = make_user("eigenaar_zonder_mail", first_name="Noor", last_name="Zondermail", email="")
    add_member(partnership, no_mail, org_b, Role.DEELNEMER, MandateLevel.UITVOEREND)
    director_b = make_user("directeur_b", first_name="Dirk", last_name="Directeur")
    add_member(partnership, director_b, org_b, Role.DEELNEMER, MandateLevel.MANAGEMENT)
    former = make_user("oud_manager", first_name="Oud", last_name="Manager", is_active=False)
    add_member(partnership, former, org_b, Role.DEELNEMER, MandateLevel.BESTUURLIJK)
    silent = make_user("pb_zonder_mail", first_name="Stil", last_name="Procesbewaker", email="")
    add_member(partnership, silent, org_b, Role.PROCESBEWAKER, MandateLevel.MANAGEMENT)
    left = make_user("vertrokken_eigenaar", first_name="Vera", last_name="Vertrokken")
    add_member(partnership, left, org_b, Role.DEELNEMER, MandateLevel.UITVOEREND)
    owners = [(people.owner, org_a), (no_mail, org_b), (people.manager, org_a), (people.procesbewaker, org_a),
              (director_b, org_b), (left, org_b)]
    start = timezone.localdate() + datetime.timedelta(days=40)
    for i, offset in enumerate([-30, -22, -15, -14, -13, -8, -7, -2, -1, 0, 1, 7]):
        for level in MandateLevel:
            owner, organisation = owners[(i + level) % len(owners)]
            make_action(partnership, owner, deadline=start + datetime.timedelta(days=offset), mandate_level=level,
                        owner_organisation=organisation, created_by=people.werkgroeplid)
    make_action(partnership, people.owner, deadline=start - datetime.timedelta(days=20), status=ActionStatus.AFGEROND)
    make_action(partnership, no_mail, deadline=start - datetime.timedelta(days=20), status=ActionStatus.VERVALLEN)
    left.is_active = False  # left after the actions were assigned to her
    left.save()

    from actieplan.models import Action

    actions = [{"id": a.pk, "deadline": a.deadline, "status": a.status, "created": timezone.localtime(a.created_at).date(),
                "owner": a.owner_id, "org": a.owner_organisation_id, "level": a.mandate_level,
                "partnership": a.partnership_id} for a in Action.objects.all()]
    memberships = [(m.user_id, m.user.email, m.user.is_active, m.partnership_id, m.organisation_id, m.role,
                    m.mandate_level) for m in Membership.objects.select_related("user")]
    seen = set()
    for day in (start, start + datetime.timedelta(days=1), start + datetime.timedelta(days=8),
                start + datetime.timedelta(days=15)):
        before = set(Reminder.objects.values_list("key", flat=True))
        reminders.scan(at(day), digests=False, checkins=False)
        written = set(Reminder.objects.values_list("key", flat=True)) - before
        assert written == expected_deadline_log(actions, memberships, day) - before
        seen.update(key.split(":")[1] for key in written)
    assert {"verlopen", "escalatie", "geen-e-mailadres", "op-deadline", "voor-deadline"} <= seen


def test_owner_without_email_in_a_partnership_without_procesbewaker_is_logged_without_a_crash(people, deadline):
    """The log-only row alone in a batch: PostgreSQL's bulk insert must keep its empty address."""
    from tests.factories import add_member
    from actieplan.models import Membership, Role

    Membership.objects.filter(partnership=people.partnership, role=Role.PROCESBEWAKER).delete()
    owner = make_user("zonder_mail2", first_name="Zeno", last_name="Zondermail", email="")
    add_member(people.partnership, owner, people.organisation, Role.DEELNEMER)
    action = make_action(people.partnership, owner, deadline=deadline, title="Stagebank vullen")
    assert run_scan(at(deadline - datetime.timedelta(days=7))) == []
    log = Reminder.objects.get(action=action, period__startswith="voor-deadline/")
    assert log.kind == ReminderKind.NO_EMAIL and log.email == "" and log.cancelled_at is not None


def test_deleting_an_action_deletes_its_reminders_and_an_orphaned_row_is_cancelled_not_sent(people, action,
                                                                                           deadline):
    result = reminders.scan(at(deadline - datetime.timedelta(days=7)))
    assert Reminder.objects.filter(pk__in=result.new_ids, action=action).count() == 1
    action_id = action.pk
    action.delete()
    assert not Reminder.objects.filter(action_id=action_id).exists(), "Django cascades without a DB constraint"
    ghost = Reminder.objects.create(key="x:weekoverzicht:2026-W01:999999", kind=ReminderKind.DIGEST,
                                    period="2026-W01", recipient_id=999_999, email="weg@example.nl")
    assert emails.deliver(ghost.pk) == emails.CANCELLED
    ghost.refresh_from_db()
    assert ghost.cancelled_at and ghost.last_error == "De ontvanger bestaat niet meer." and mail.outbox == []
