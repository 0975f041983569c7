"""Benchmark of the reminder scan and of delivery through a real worker.

    .venv/bin/python benchmarks/reminder_scan.py [--actions 100000] [--deliver 1000] [--concurrency 2]

Starts its own PostgreSQL (tests.services.postgres_server), fills it with partnerships,
people and 100,000 actions (bulk inserts, deadlines spread from four months ago to four months
ahead, a quarter of them closed), and prints:

1. the time and query count of one full scan's decision step (``actieplan.reminders.scan``) over
   all 100,000 actions, in the situations a running platform meets: the first scan of a day
   (that day's before-deadline, deadline, overdue and escalation reminders are new), the next
   hourly scan (the steady state: nothing new), and the catch-up after a week without scans
   (Redis or the worker down). For those the log first gets the history a running platform has:
   the daily scans of the month before. It also prints the worst case, the same scan with an
   empty log, where every reminder due now is new at once, including an overdue backlog of
   tens of thousands of actions and their escalations. A running platform never meets that:
   an active action cannot be created or imported with a past deadline, so an action only
   becomes overdue while scans run;
2. the delivery rate of N reminders through a real Celery worker and redis-server to a local
   SMTP sink (aiosmtpd).

Not a test: numbers depend on the machine. Compare them between runs on the same machine.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import migrated_database  # noqa: E402


def fill(n_actions, n_partnerships=50, people_per_partnership=20, seed=37):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from actieplan.models import (Action, ActionStatus, MandateLevel, Membership, Organisation, OrganisationType,
                                  Partnership, ReflectionTheme, Role)

    rng = random.Random(seed)
    User = get_user_model()
    partnerships = Partnership.objects.bulk_create(
        [Partnership(name=f"Samenwerkingsverband {i}", slug=f"sv-{i}") for i in range(n_partnerships)])
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Organisatie {p.pk}-{j}", organisation_type=OrganisationType.VO)
         for p in partnerships for j in range(4)])
    users = User.objects.bulk_create([
        User(username=f"persoon{i}", first_name="Persoon", last_name=str(i), password="!",
             email="" if i % 50 == 7 else f"persoon{i}@example.nl")
        for i in range(n_partnerships * people_per_partnership)])
    memberships = []
    owners = {}
    for p_index, partnership in enumerate(partnerships):
        orgs = organisations[p_index * 4:(p_index + 1) * 4]
        people = users[p_index * people_per_partnership:(p_index + 1) * people_per_partnership]
        for k, user in enumerate(people):
            org = orgs[k % 4]
            role = Role.PROCESBEWAKER if k == 0 else Role.WERKGROEPLID if k < 4 else Role.DEELNEMER
            level = (MandateLevel.BESTUURLIJK if k % 10 == 1 else MandateLevel.MANAGEMENT if k % 5 == 2
                     else MandateLevel.UITVOEREND)
            memberships.append(Membership(user=user, partnership=partnership, organisation=org, role=role,
                                          mandate_level=level))
            owners.setdefault(partnership.pk, []).append((user.pk, org.pk))
    Membership.objects.bulk_create(memberships)
    themes = list(ReflectionTheme.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    created = timezone.now() - datetime.timedelta(days=200)
    statuses = [ActionStatus.OPEN] * 4 + [ActionStatus.BEZIG] * 4 + [ActionStatus.GEBLOKKEERD] + \
        [ActionStatus.AFGEROND] * 2 + [ActionStatus.VERVALLEN]
    batch = []
    for i in range(n_actions):
        partnership = partnerships[i % n_partnerships]
        owner_id, org_id = rng.choice(owners[partnership.pk])
        status = rng.choice(statuses)
        batch.append(Action(
            title=f"Actie {i}", partnership=partnership, theme_id=rng.choice(themes), owner_id=owner_id,
            owner_organisation_id=org_id, mandate_level=rng.choice([1, 1, 2, 3]),
            deadline=today + datetime.timedelta(days=rng.randint(-120, 120)), status=status,
            created_at=created, completed_at=(timezone.now() - datetime.timedelta(days=rng.randint(0, 30))
                                              if status == ActionStatus.AFGEROND else None)))
        if len(batch) == 5000:
            Action.objects.bulk_create(batch)
            batch = []
    Action.objects.bulk_create(batch)
    return Action.objects.count()


def time_scan(label, now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from actieplan.reminders import scan as reminders

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = reminders.scan(now, digests=True)
        elapsed = time.perf_counter() - started
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(result.counts.items())) or "geen"
    print(f"{label}: {elapsed:.2f} s, {len(queries)} queries, {sum(result.counts.values())} nieuwe regels ({kinds})")
    return result


HISTORY_DAYS = 30
DOWN_DAYS = 7


def simulate_history(start, end):
    """The log as a running platform has it: one scan a day from ``start`` to ``end``, all delivered."""
    from django.utils import timezone

    from actieplan.reminders import scan as reminders
    from actieplan.models import Reminder

    day = start
    while day <= end:
        reminders.scan(day, digests=day.weekday() == 0)
        day += datetime.timedelta(days=1)
    Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True).update(sent_at=timezone.now())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum does after this many new rows


def deliver_through_worker(database_url, count, concurrency):
    from celery import Celery
    from django.utils import timezone

    from actieplan.models import Reminder, ReminderKind
    from tests.services import CeleryWorker, RedisServer, SmtpSink

    # Keep exactly ``count`` sendable owner reminders; set the rest aside so only those go out.
    keep = list(Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True,
                                        kind__in=[ReminderKind.BEFORE_DEADLINE, ReminderKind.ON_DEADLINE,
                                                  ReminderKind.OVERDUE]).exclude(email="")
                .order_by("pk").values_list("pk", flat=True)[:count])
    Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True).exclude(pk__in=keep).update(
        cancelled_at=timezone.now(), last_error="benchmark: buiten de meting")
    redis = RedisServer().start()
    sink = SmtpSink().start()
    worker = CeleryWorker({
        "DJANGO_SETTINGS_MODULE": "lobplatform.settings.dev", "DEBUG": "0",
        "SECRET_KEY": os.environ["SECRET_KEY"], "DATABASE_URL": database_url, "DB_CONN_MAX_AGE": "60",
        "REDIS_URL": redis.url, "CELERY_TASK_ALWAYS_EAGER": "0", "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port), "LOG_LEVEL": "WARNING",
    }, concurrency=concurrency).start()
    try:
        app = Celery("benchmark", broker=redis.url)
        started = time.perf_counter()
        for pk in keep:
            app.send_task("actieplan.tasks.deliver_reminder", args=[pk])
        queued = time.perf_counter() - started
        while Reminder.objects.filter(pk__in=keep, sent_at__isnull=True).exists():
            time.sleep(0.2)
            if time.perf_counter() - started > 600:
                raise TimeoutError("de bezorging was na 10 minuten niet klaar")
        elapsed = time.perf_counter() - started
        app.close()
        received = len(sink.received())
        print(f"bezorging: {len(keep)} herinneringen in {queued:.2f} s in de wachtrij, alle verstuurd na "
              f"{elapsed:.2f} s = {len(keep) / elapsed:.0f} mails/s met {concurrency} workerprocessen; "
              f"de SMTP-ontvanger kreeg er {received}")
    finally:
        worker.stop()
        sink.stop()
        redis.cleanup()


def main():
    parser = argparse.ArgumentParser(description="Meting: de herinneringsscan over 100.000 acties (tijd en queries) en de bezorging via Redis en een echte Celery-worker; zie de docstring van het script voor de opzet.")
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--deliver", type=int, default=1_000)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    with migrated_database() as url:
        from django.utils import timezone

        started = time.perf_counter()
        total = fill(args.actions)
        print(f"{total} acties aangemaakt in {time.perf_counter() - started:.1f} s (PostgreSQL, {url.rsplit('@', 1)[1]})")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        now = timezone.now()
        time_scan("slechtste geval, een leeg logboek: elke herinnering die nu moet is nieuw (komt in gebruik niet voor, "
                  "zie boven)", now)
        from actieplan.models import Reminder

        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Reminder._meta.db_table}")  # an empty log again, not one full of dead rows
        started = time.perf_counter()
        simulate_history(now - datetime.timedelta(days=HISTORY_DAYS), now - datetime.timedelta(days=DOWN_DAYS + 1))
        print(f"geschiedenis: de dagelijkse scans van {HISTORY_DAYS - DOWN_DAYS} dagen vóór {DOWN_DAYS} dagen "
              f"uitval, {Reminder.objects.count()} regels, geschreven in {time.perf_counter() - started:.1f} s")
        time_scan(f"inhalen na {DOWN_DAYS} dagen zonder scan (Redis en worker uit)",
                  now - datetime.timedelta(days=1))
        time_scan("de eerste scan van een nieuwe dag (de herinneringen van die dag)", now)
        time_scan("de volgende scan een uur later (de gewone toestand)", now + datetime.timedelta(hours=1))
        if args.deliver:
            deliver_through_worker(url, args.deliver, args.concurrency)


if __name__ == "__main__":
    main()
