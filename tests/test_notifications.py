"""Event notifications: people hear about an action when it changes hands, is completed or blocked.

They go through the same log and delivery as the scan's reminders; Celery runs eagerly in the
tests, so the email is in the outbox once the saving transaction has committed.
"""

import pytest
from django.core import mail

from actieplan.actions import services
from actieplan.models import ActionStatus, Reminder, ReminderKind, Role
from tests.factories import add_member, make_action, make_user


def sent_to(kind):
    return sorted(m.to[0] for m in mail.outbox if f":{kind}:" in m.extra_headers["X-LOB-Reminder"])


@pytest.fixture
def action(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        action = make_action(people.partnership, people.owner, title="Meeloopdagen bij werkgevers",
                             created_by=people.procesbewaker)
    return action


def test_new_owner_is_told_when_an_action_is_assigned(people, action):
    assert sent_to("toegewezen") == [people.owner.email]
    [message] = mail.outbox
    assert message.subject == "Nieuwe actie voor jou: ‘Meeloopdagen bij werkgevers’"
    assert "/actieplan/herinnering/" in message.body and "/actieplan/herinnering/" in message.alternatives[0][0]


def test_creating_an_action_for_yourself_sends_nothing(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_action(people.partnership, people.owner, created_by=people.owner)
    assert mail.outbox == []


def test_reassigning_tells_the_new_and_the_previous_owner(people, action, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action.owner = people.manager
        action.save()
    assert sent_to("toegewezen") == [people.manager.email]
    assert sent_to("overgedragen") == [people.owner.email]
    previous = next(m for m in mail.outbox if m.to == [people.owner.email])
    assert "Mila Manager" in previous.subject
    assert "/actieplan/herinnering/" not in previous.body, "the previous owner gets no update link"


def test_completing_and_blocking_tell_the_creator(people, action, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_update(action, people.owner, "Werkgevers willen niet meer meedoen.",
                            new_status=ActionStatus.GEBLOKKEERD)
    assert sent_to("geblokkeerd") == [people.procesbewaker.email]
    with django_capture_on_commit_callbacks(execute=True):
        services.add_update(action, people.owner, "Toch gelukt met drie bedrijven.", new_status=ActionStatus.AFGEROND)
    assert sent_to("afgerond") == [people.procesbewaker.email]
    assert "Otto Eigenaar" in next(m for m in mail.outbox if ":afgerond:" in m.extra_headers["X-LOB-Reminder"]).body


def test_a_save_that_changes_nothing_relevant_tells_nobody(people, action, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action.description = "Met het leerwerkloket."
        action.save()
    assert mail.outbox == []


def test_a_rolled_back_save_tells_nobody(people, action):
    from django.db import transaction

    mail.outbox.clear()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            action.owner = people.manager
            action.save()
            raise RuntimeError("opslaan mislukt")
    assert not Reminder.objects.filter(kind=ReminderKind.UNASSIGNED).exists()
    assert mail.outbox == []


def test_assigning_to_an_owner_without_email_tells_the_procesbewaker(people, django_capture_on_commit_callbacks):
    owner = make_user("geen_adres", first_name="Gijs", last_name="Geenadres", email="")
    add_member(people.partnership, owner, people.organisation, Role.DEELNEMER)
    with django_capture_on_commit_callbacks(execute=True):
        make_action(people.partnership, owner, created_by=people.werkgroeplid, title="Open dag mbo")
    assert sent_to("geen-e-mailadres") == [people.procesbewaker.email]
    assert Reminder.objects.get(recipient=owner, kind=ReminderKind.NO_EMAIL).cancelled_at is not None


def test_a_dead_mail_server_does_not_break_saving_and_the_notice_is_sent_later(
        people, django_capture_on_commit_callbacks, settings):
    from django.core.management import call_command

    from tests.services import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with django_capture_on_commit_callbacks(execute=True):
        action = make_action(people.partnership, people.owner, created_by=people.procesbewaker)
    row = Reminder.objects.get(action=action, kind=ReminderKind.ASSIGNED)
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_reminders")
    row.refresh_from_db()
    assert row.sent_at is not None and sent_to("toegewezen") == [people.owner.email]
