"""The reminder decision: which reminders and digests are due now. The ONE place that decides.

The scan is state-based. It does not remember when it last ran; it asks the database which
actions are where relative to their deadline *today* and writes one ``Reminder`` row per
(action, kind, period, recipient) that is due and not yet in the log. The unique key makes a
second scan, a retry or a concurrent scan a no-op, and a scan that was missed (Redis or the
worker down for days) is caught up by the next one. Celery (``actieplan.tasks``), the
``send_reminders`` command and the tests all call :func:`scan`; nothing here sends email.

Kinds and their period (the period is part of the key):

- ``voor-deadline``: N days before the deadline, N from ``LOB_REMINDER_DAYS_BEFORE`` (default
  7 and 1) or the owner's own ``Profile.reminder_days_before``. Period ``<deadline>/<N>d``.
- ``op-deadline``: on the deadline day. Period ``<deadline>``.
- ``verlopen``: the day after the deadline, then every 7 days. Period ``<deadline>/+<days>d``.
- ``escalatie``: once, after ``LOB_ESCALATION_AFTER_DAYS`` (default 14) overdue days, to the
  members one mandate level above the action's level in the owner's organisation within the
  partnership, and to the partnership's procesbewaker(s). Period ``<deadline>``.
- ``weekoverzicht``: per person per ISO week (``2026-W48``), Monday from 07:00.
- ``geen-e-mailadres``: the owner has no (active) address: a log row for the owner (not sent)
  and a notice to each procesbewaker. Period ``<kind>/<period of the missed reminder>``.
- ``overleg-checkin``: from ``LOB_CHECKIN_DAYS_BEFORE`` (default 3) days before a meeting until it
  starts, one mail per owner of an open action in the meeting's partnership (not per action).
  Period ``overleg-<meeting id>``, no action: once per meeting and owner, whatever happens to the
  meeting's date. ``overleg-verslag`` (the minutes) uses the same period and is decided when the
  minutes are closed (``actieplan.minutes``), not by the scan.

Because every deadline-bound period starts with the deadline date, moving a deadline gives the
new deadline fresh rows; rows for the old deadline that were not sent yet are cancelled at
delivery (see ``actieplan.emails.deliver``).

Catch-up policy (what a scan after downtime sends):

- Before the deadline only the *most recent* threshold that has passed is sent, once, and the
  email states the real number of days left. Down from day -7 to day -2 means one reminder
  ("nog 2 dagen"), not a stale "nog 7 dagen" followed by more. A threshold that had already
  passed when the action was created is skipped: the owner just got the assignment email.
- Overdue: only the current weekly step (never a backlog of weekly mails).
- A missed deadline day is not sent afterwards; the overdue reminder takes over.
- Digest: this week's digest is still decided up to ``DIGEST_CATCH_UP_HOURS`` after Monday
  07:00; later it would be stale and next week's comes instead.
- Rows decided but never sent (worker killed, Redis lost its queue) are offered again by
  :func:`pending_ids` for ``LOB_REMINDER_RESEND_WINDOW_HOURS`` (default 48); older ones stay
  unsent in the log (visible in the admin) rather than arriving days late.

Cost: a fixed number of queries per scan (about fifteen, plus one insert per 5,000 actions planned
in Python), whatever the number of actions. On PostgreSQL the two kinds that come in tens of
thousands, the overdue steps of owners with an address and the escalations, are decided and
written by one ``INSERT … SELECT`` each (:func:`_record_overdue_postgresql`, same rules as the
Python loop, checked by a test); Python plans the rest: the actions inside the largest
before-deadline window and overdue owners without an address. On SQLite the Python loop decides
everything. ``benchmarks/reminder_scan.py`` measures it.
"""

import datetime
import itertools
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from actieplan.actions.models import Action
from actieplan.partnerships.reference import MandateLevel
from actieplan.meetings.models import Meeting
from actieplan.partnerships.models import Membership, Partnership, Profile, Role
from actieplan.reminders.models import Reminder, ReminderKind
from actieplan.actions.models import ACTIVE_STATUSES, ActionStatus
from actieplan.conf import app_settings

logger = logging.getLogger(__name__)

DIGEST_WEEKDAY = 0  # Monday, as in the beat schedule
DIGEST_HOUR = 7
DIGEST_CATCH_UP_HOURS = 48
#: How far back the digest looks for the partnership's completed actions, and ahead for "due soon".
DIGEST_COMPLETED_DAYS = 7
DIGEST_DUE_SOON_DAYS = 14
MAX_DAYS_BEFORE = 90
#: Candidate actions planned and written per batch.
BATCH_ACTIONS = 5_000
#: pg_advisory_xact_lock key of the scan ("LOB" + 1).
SCAN_LOCK_ID = 0x4C4F4201
#: The log's columns in the order the scan's bulk inserts write them.
LOG_COLUMNS = "key, action_id, kind, period, recipient_id, email, created_at, sent_at, cancelled_at, attempts, last_error"
NO_EMAIL_REASON = "Geen (actief) e-mailadres bekend; de procesbewaker is ingelicht."


@dataclass(slots=True)
class Planned:
    """A reminder the decision wants in the log."""

    kind: str
    period: str
    recipient_id: int | None
    email: str
    action_id: int | None = None
    log_only: bool = False  # written for the record, never sent

    @property
    def key(self):
        """The log's unique key; PostgreSQL builds the same string itself from the columns (see :func:`_record_postgresql`)."""
        return Reminder.make_key(self.kind, self.period, self.recipient_id, self.action_id)


@dataclass
class ScanResult:
    """What one scan decided: new rows to deliver, and counts per kind for logs and the command."""

    new_ids: list = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def __str__(self):
        parts = ", ".join(f"{kind}: {n}" for kind, n in sorted(self.counts.items()))
        return f"{len(self.new_ids)} nieuw te versturen ({parts or 'niets'})"


def parse_days(value):
    """'7,1' -> (7, 1). Raises ValueError with a Dutch message on anything else."""
    days = []
    for part in str(value).replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"'{part}' is geen heel aantal dagen.")
        number = int(part)
        if not 1 <= number <= MAX_DAYS_BEFORE:
            raise ValueError(f"Kies dagen tussen 1 en {MAX_DAYS_BEFORE}; {number} kan niet.")
        days.append(number)
    return tuple(sorted(set(days), reverse=True))


def default_days_before():
    return tuple(sorted({int(d) for d in app_settings.LOB_REMINDER_DAYS_BEFORE if int(d) > 0}, reverse=True))


def days_before_overrides():
    """Per-person thresholds from ``Profile.reminder_days_before`` (one query); bad values fall back."""
    overrides = {}
    for user_id, value in Profile.objects.exclude(reminder_days_before="").values_list("user_id",
                                                                                      "reminder_days_before"):
        try:
            overrides[user_id] = parse_days(value)
        except ValueError:
            logger.warning("Ongeldige herinneringsdagen %r voor gebruiker %s; standaard gebruikt", value, user_id)
    return overrides


def iso_week(day):
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_start(now):
    """Monday 07:00 (local time) of the week of ``now``."""
    local = timezone.localtime(now)
    monday = local.date() - datetime.timedelta(days=local.weekday() - DIGEST_WEEKDAY)
    return local.replace(year=monday.year, month=monday.month, day=monday.day, hour=DIGEST_HOUR, minute=0,
                         second=0, microsecond=0)


def digest_window_open(now):
    start = digest_start(now)
    return start <= timezone.localtime(now) < start + datetime.timedelta(hours=DIGEST_CATCH_UP_HOURS)


class _People:
    """The memberships the decision needs, loaded once: procesbewakers and escalation targets."""

    def __init__(self):
        self.procesbewakers = defaultdict(list)
        self.by_level = defaultdict(list)
        self._targets = {}
        rows = (Membership.objects.filter(Q(role=Role.PROCESBEWAKER) | Q(mandate_level__gt=MandateLevel.UITVOEREND))
                .values_list("partnership_id", "organisation_id", "role", "mandate_level", "user_id",
                             "user__email", "user__is_active"))
        for partnership_id, organisation_id, role, level, user_id, email, active in rows:
            if not (email and active):
                continue
            person = (user_id, email)
            if role == Role.PROCESBEWAKER:
                self.procesbewakers[partnership_id].append(person)
            self.by_level[(partnership_id, organisation_id, level)].append(person)

    def escalation_targets(self, partnership_id, organisation_id, mandate_level, owner_id):
        cache_key = (partnership_id, organisation_id, mandate_level, owner_id)
        if cache_key not in self._targets:
            self._targets[cache_key] = self._escalation_targets(*cache_key)
        return self._targets[cache_key]

    def _escalation_targets(self, partnership_id, organisation_id, mandate_level, owner_id):
        targets = {}
        up = MandateLevel.next_up(mandate_level)
        if up is not None and organisation_id is not None:
            targets.update(self.by_level[(partnership_id, organisation_id, up)])
        targets.update(self.procesbewakers[partnership_id])
        targets.pop(owner_id, None)
        return sorted(targets.items())


def _to_owner(planned, people, *, action_id, kind, period, owner_id, email, active, partnership_id):
    """A reminder for the owner, or, without a usable address, a log row plus a notice to the procesbewaker."""
    if email and active:
        planned.append(Planned(kind, period, owner_id, email, action_id))
        return
    missed = f"{kind}/{period}"
    planned.append(Planned(ReminderKind.NO_EMAIL, missed, owner_id, "", action_id, log_only=True))
    for user_id, pb_email in people.procesbewakers[partnership_id]:
        if user_id != owner_id:
            planned.append(Planned(ReminderKind.NO_EMAIL, missed, user_id, pb_email, action_id))


def _fetch(values_queryset):
    """Rows of a values_list queryset; on PostgreSQL straight from the cursor (psycopg already returns
    dates and aware datetimes), which saves Django's per-row conversion on tens of thousands of rows."""
    if connection.vendor != "postgresql":
        return list(values_queryset)
    sql, params = values_queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _candidates_postgresql(actions, today):
    """PostgreSQL: what is left for the Python plan once :func:`_record_overdue_postgresql` has run.

    The active actions in the before-deadline window or on their deadline, and the overdue actions
    whose owner has no usable address and whose current overdue step is not logged as such yet
    (a few; the anti-join keeps the hourly scan from planning them again).
    """
    action = connection.ops.quote_name(Action._meta.db_table)
    reminder = connection.ops.quote_name(Reminder._meta.db_table)
    no_email_key = (f"{action}.id::text || ':{ReminderKind.NO_EMAIL.value}:{ReminderKind.OVERDUE.value}/' || "
                    f"{_overdue_period_sql(action)} || ':' || {action}.owner_id::text")
    upcoming = actions.filter(deadline__gte=today)
    unreachable = (actions.filter(deadline__lt=today).filter(Q(owner__is_active=False) | Q(owner__email=""))
                   .extra(where=[f"NOT EXISTS (SELECT 1 FROM {reminder} r WHERE r.key = {no_email_key})"],
                          params=[today]))
    return [upcoming, unreachable]


def _overdue_period_sql(action):
    """The period of the current overdue step, as :func:`plan_deadline_reminders` writes it; one %s: today."""
    return (f"to_char({action}.deadline, 'YYYY-MM-DD') || '/+' || "
            f"(1 + 7 * ((%s::date - {action}.deadline - 1) / 7))::text || 'd'")


def _record_overdue_postgresql(now, today, escalate_after):
    """PostgreSQL: the two kinds that come in tens of thousands, decided and written by the database itself.

    - the current overdue step for every owner with a usable address;
    - the escalation, once per deadline, after ``escalate_after`` overdue days: to the members one
      mandate level above the action's level in the owner's organisation, and to the
      procesbewakers, with a usable address, never the owner.

    Each is one ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING``, so none of these rows
    travels to Python and back; the rest (before and on the deadline, owners without an address)
    is planned by :func:`plan_deadline_reminders`, which also holds the same rules for SQLite. A
    PostgreSQL test checks that both give the same log for actions in every state.
    Returns (ids of the new rows to send, counts per kind).
    """
    action = connection.ops.quote_name(Action._meta.db_table)
    reminder = connection.ops.quote_name(Reminder._meta.db_table)
    user = connection.ops.quote_name(Action._meta.get_field("owner").related_model._meta.db_table)
    membership = connection.ops.quote_name(Membership._meta.db_table)
    active = ", ".join(f"'{status.value}'" for status in ACTIVE_STATUSES)
    late, escalation = ReminderKind.OVERDUE.value, ReminderKind.ESCALATION.value
    partnership = connection.ops.quote_name(Partnership._meta.db_table)
    not_archived = f"NOT EXISTS (SELECT 1 FROM {partnership} p WHERE p.id = a.partnership_id AND p.archived)"
    owner_steps = f"""
        INSERT INTO {reminder} ({LOG_COLUMNS})
        SELECT a.id::text || ':{late}:' || s.period || ':' || a.owner_id::text, a.id, '{late}', s.period,
               a.owner_id, u.email, %s, NULL, NULL, 0, ''
        FROM {action} a
        JOIN {user} u ON u.id = a.owner_id AND u.is_active AND u.email <> ''
        CROSS JOIN LATERAL (SELECT {_overdue_period_sql('a')} AS period) s
        WHERE a.status IN ({active}) AND a.deadline < %s AND {not_archived}
        ON CONFLICT (key) DO NOTHING
        RETURNING id, kind
    """
    escalations = f"""
        INSERT INTO {reminder} ({LOG_COLUMNS})
        SELECT a.id::text || ':{escalation}:' || s.day || ':' || m.user_id::text, a.id, '{escalation}', s.day,
               m.user_id, u.email, %s, NULL, NULL, 0, ''
        FROM {action} a
        CROSS JOIN LATERAL (SELECT to_char(a.deadline, 'YYYY-MM-DD') AS day) s
        JOIN {membership} m ON m.partnership_id = a.partnership_id AND m.user_id <> a.owner_id
             AND (m.role = '{Role.PROCESBEWAKER.value}'
                  OR (m.organisation_id = a.owner_organisation_id AND m.mandate_level = a.mandate_level + 1))
        JOIN {user} u ON u.id = m.user_id AND u.is_active AND u.email <> ''
        WHERE a.status IN ({active}) AND a.deadline <= %s AND {not_archived}
          AND NOT EXISTS (SELECT 1 FROM {reminder} r WHERE r.action_id = a.id AND r.kind = '{escalation}'
                          AND r.period = s.day)
        ON CONFLICT (key) DO NOTHING
        RETURNING id, kind
    """
    ids, counts = [], Counter()
    with connection.cursor() as cursor:
        for sql, params in ((owner_steps, [now, today, today]),
                            (escalations, [now, today - datetime.timedelta(days=max(escalate_after, 1))])):
            cursor.execute(sql, params)
            for row_id, kind in cursor.fetchall():
                ids.append(row_id)
                counts[kind] += 1
    return ids, counts


class _DeadlineRules:
    """The settings the deadline decision reads once per scan."""

    def __init__(self):
        self.default_days = default_days_before()
        self.overrides = days_before_overrides()
        self.widest = max([*self.default_days, *(d for days in self.overrides.values() for d in days)], default=0)
        self.escalate_after = app_settings.LOB_ESCALATION_AFTER_DAYS


def deadline_candidates(today, rules, *, prune=None):
    """The active actions that may need a deadline reminder today, one row each (a few set-based queries).

    Unpruned (SQLite): every active action up to the widest before-deadline window; the insert
    skips what is already in the log. Pruned (PostgreSQL, the default there): only what
    :func:`_record_overdue_postgresql` leaves to the Python plan.
    """
    candidates = Action.objects.filter(status__in=ACTIVE_STATUSES, partnership__archived=False,
                                       deadline__lte=today + datetime.timedelta(days=rules.widest))
    if prune is None:
        prune = connection.vendor == "postgresql"
    parts = _candidates_postgresql(candidates, today) if prune else [candidates]
    rows = []
    for part in parts:
        rows += _fetch(part.annotate(created_on=TruncDate("created_at"))
                       .values_list("id", "deadline", "owner_id", "owner__email", "owner__is_active",
                                    "partnership_id", "owner_organisation_id", "mandate_level", "created_on")
                       .order_by())
    return sorted(rows)


def plan_deadline_reminders(today, people, rows=None, rules=None, *, escalations=True):
    """Before, on and after the deadline, and escalation, for the candidate ``rows`` (all of them if None).

    The whole decision for SQLite; on PostgreSQL the overdue owners with an address and the
    escalations are decided in SQL (``escalations=False`` here), with the same rules.
    The loop is a hot path, hence plain tuples and no per-row helper calls in the common case.
    """
    rules = rules or _DeadlineRules()
    if rows is None:
        rows = deadline_candidates(today, rules)
    default_days, overrides, escalate_after = rules.default_days, rules.overrides, rules.escalate_after
    before, on, late, escalation = (str(k.value) for k in (ReminderKind.BEFORE_DEADLINE, ReminderKind.ON_DEADLINE,
                                                           ReminderKind.OVERDUE, ReminderKind.ESCALATION))
    planned = []
    add = planned.append
    one_day = datetime.timedelta(days=1)
    for (action_id, deadline, owner_id, email, active, partnership_id, organisation_id, level, created_on) in rows:
        days_left = (deadline - today).days
        if days_left > 0:
            threshold = None
            for n in overrides.get(owner_id, default_days):  # largest first: keep the smallest n >= days_left
                if n < days_left:
                    break
                threshold = n
            if threshold is None or deadline - threshold * one_day < created_on:
                continue  # not due yet, or already past when the action was created (its owner was just told)
            kind, period = before, f"{deadline}/{threshold}d"
        elif days_left == 0:
            kind, period = on, deadline.isoformat()
        else:
            overdue = -days_left
            kind, period = late, f"{deadline}/+{1 + 7 * ((overdue - 1) // 7)}d"
            if escalations and overdue >= escalate_after:
                day = deadline.isoformat()
                for user_id, target_email in people.escalation_targets(partnership_id, organisation_id, level,
                                                                       owner_id):
                    add(Planned(escalation, day, user_id, target_email, action_id))
        if email and active:
            add(Planned(kind, period, owner_id, email, action_id))
        else:
            _to_owner(planned, people, action_id=action_id, kind=kind, period=period, owner_id=owner_id,
                      email=email, active=active, partnership_id=partnership_id)
    return planned


def checkin_days_before():
    return int(app_settings.LOB_CHECKIN_DAYS_BEFORE)


def plan_checkins(now, meetings=None):
    """The check-in mails due at ``now``: per open meeting that starts within the check-in window, one per
    owner of an open action in its partnership who has a usable address (two queries).

    ``meetings``: only these (the "send now" button); they must not have started. Owners without an
    address get no row: the meeting page lists them, and the agenda shows they gave no answer.
    """
    if meetings is None:
        meetings = Meeting.objects.open().filter(
            starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=checkin_days_before()),
            partnership__archived=False)
    meetings = [m for m in meetings if m.closed_at is None and m.starts_at > now]
    if not meetings:
        return []
    owners = defaultdict(dict)
    for partnership_id, owner_id, email, active in (
            Action.objects.filter(partnership_id__in={m.partnership_id for m in meetings}, status__in=ACTIVE_STATUSES)
            .values_list("partnership_id", "owner_id", "owner__email", "owner__is_active").order_by().distinct()):
        if email and active:
            owners[partnership_id][owner_id] = email
    return [Planned(ReminderKind.CHECKIN, meeting.reminder_period, owner_id, email)
            for meeting in sorted(meetings, key=lambda m: m.pk)
            for owner_id, email in sorted(owners[meeting.partnership_id].items())]


def digest_recipients(now):
    """Who gets this week's digest: members with an address and digest on, and something to report."""
    since = now - datetime.timedelta(days=DIGEST_COMPLETED_DAYS)
    owners = set(Action.objects.filter(status__in=ACTIVE_STATUSES, partnership__archived=False)
                 .values_list("owner_id", flat=True)
                 .order_by().distinct())
    lively = set(Action.objects.filter(status=ActionStatus.AFGEROND, completed_at__gte=since)
                 .values_list("partnership_id", flat=True).order_by().distinct())
    disabled = set(Profile.objects.filter(digest_enabled=False).values_list("user_id", flat=True))
    recipients = {}
    for user_id, partnership_id, email, active in (Membership.objects.filter(partnership__archived=False)
                                                   .values_list("user_id", "partnership_id", "user__email",
                                                                "user__is_active").order_by()):
        if email and active and user_id not in disabled and (user_id in owners or partnership_id in lively):
            recipients[user_id] = email
    return recipients


def plan_digests(now):
    period = iso_week(timezone.localtime(now).date())
    return [Planned(ReminderKind.DIGEST, period, user_id, email)
            for user_id, email in sorted(digest_recipients(now).items())]


#: Joins many strings into one query parameter (split again by string_to_array on the server):
#: far cheaper to send than a 100,000-element array. Keys, periods and addresses never contain it.
SEPARATOR = "\x1f"


def _pg_text_array(values):
    return SEPARATOR.join(values)


def _existing_keys(keys):
    """The keys already in the log, in chunks of 500 (SQLite; PostgreSQL lets ON CONFLICT decide)."""
    found = set()
    keys = list(keys)
    for start in range(0, len(keys), 500):
        found.update(Reminder.objects.filter(key__in=keys[start:start + 500]).values_list("key", flat=True))
    return found


def _by_key(items):
    """The planned rows by key, the first of each key kept."""
    unique = {}
    for item in items:
        unique.setdefault(item.key, item)
    return unique


def record(planned):
    """Insert the planned rows that are not in the log yet; return (ids of the new rows to send, counts per kind).

    A concurrent writer that inserted the same key first turns the insert into a no-op
    (INSERT … ON CONFLICT DO NOTHING: raw with RETURNING on PostgreSQL, ``bulk_create(
    ignore_conflicts=True)`` elsewhere). On SQLite both may then offer the row for delivery,
    which the delivery's check of ``sent_at`` under the database lock makes harmless.
    """
    return record_batches([planned])


def record_batches(batches):
    """:func:`record` for an iterable of lists of planned rows, each action's rows in one list.

    On PostgreSQL each batch is written as soon as it is planned (so memory stays bounded) and
    ON CONFLICT DO NOTHING skips the keys already in the log, which saves a separate look-up of
    every planned key. Elsewhere the batches are joined and written at once.
    """
    now = timezone.now()  # when it was decided, in real time (a test may scan "next week")
    if connection.vendor == "postgresql":
        return _record_postgresql(batches, now)
    unique = _by_key(item for planned in batches for item in planned)
    existing = _existing_keys(unique.keys())
    new = [unique[key] for key in sorted(unique) if key not in existing]
    if not new:
        return [], Counter()
    Reminder.objects.bulk_create(
        [Reminder(key=item.key, action_id=item.action_id, kind=item.kind, period=item.period,
                  recipient_id=item.recipient_id, email=item.email,
                  cancelled_at=now if item.log_only else None,
                  last_error=NO_EMAIL_REASON if item.log_only else "")
         for item in new],
        ignore_conflicts=True, batch_size=5000,
    )
    to_send = [item.key for item in new if not item.log_only]
    ids = []
    for start in range(0, len(to_send), 500):
        ids += Reminder.objects.filter(key__in=to_send[start:start + 500], sent_at__isnull=True,
                                       cancelled_at__isnull=True).values_list("id", flat=True)
    return sorted(ids), Counter(item.kind for item in new)


def _record_postgresql(batches, now):
    """One INSERT … SELECT unnest(…) ON CONFLICT DO NOTHING RETURNING per batch.

    Every column travels as one joined string split by ``string_to_array`` on the server: psycopg
    adapts a long Python list element by element. The server builds each key from the columns,
    as :meth:`Reminder.make_key` does, and ON CONFLICT DO NOTHING also drops a key planned twice
    in one batch. Only the writer whose insert created a row gets its id back, so with two
    writers at once each row is offered for delivery once.
    """
    table = connection.ops.quote_name(Reminder._meta.db_table)
    sql = f"""
        INSERT INTO {table} ({LOG_COLUMNS})
        SELECT COALESCE(a::text, '-') || ':' || kd || ':' || p || ':' || COALESCE(r::text, '-'),
               a, kd, p, r, COALESCE(e, ''), %(now)s, NULL, CASE WHEN lo THEN %(now)s::timestamptz END, 0,
               CASE WHEN lo THEN %(reason)s ELSE '' END
        FROM unnest(string_to_array(%(actions)s, %(sep)s, '')::bigint[],
                    string_to_array(%(kinds)s, %(sep)s), string_to_array(%(periods)s, %(sep)s),
                    string_to_array(%(recipients)s, %(sep)s, '')::bigint[], string_to_array(%(emails)s, %(sep)s),
                    string_to_array(%(log_only)s, %(sep)s)::bool[])
             AS t(a, kd, p, r, e, lo)
        ON CONFLICT (key) DO NOTHING
        RETURNING id, kind, cancelled_at IS NULL
    """
    ids, counts = [], Counter()
    with connection.cursor() as cursor:
        for chunk in batches:
            if not chunk:
                continue
            cursor.execute(sql, {
                "now": now, "reason": NO_EMAIL_REASON, "sep": SEPARATOR,
                # An empty string (one digest, no action) splits into no element at all: the unnest
                # pads the shorter arrays with NULL, which is what a missing action is.
                "actions": _pg_text_array("" if i.action_id is None else str(i.action_id) for i in chunk),
                "kinds": _pg_text_array(str(i.kind) for i in chunk),
                "periods": _pg_text_array(i.period for i in chunk),
                "recipients": _pg_text_array("" if i.recipient_id is None else str(i.recipient_id) for i in chunk),
                # Likewise one row with an empty address, hence the COALESCE above.
                "emails": _pg_text_array(i.email for i in chunk),
                "log_only": _pg_text_array("t" if i.log_only else "f" for i in chunk),
            })
            for row_id, kind, to_send in cursor.fetchall():
                counts[kind] += 1
                if to_send:
                    ids.append(row_id)
    return sorted(ids), counts


def scan(now=None, *, digests=None, deadlines=True, checkins=None):
    """Decide everything that is due at ``now`` and write it to the log in one transaction.

    ``digests``: None = only inside this week's digest window (the hourly scan's catch-up);
    True = decide this week's digests now (the Monday task); False = never.
    ``checkins``: the meetings' check-in mails; None = with the deadline reminders.
    Returns a :class:`ScanResult`; the caller delivers ``new_ids`` after the commit.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic():
        if postgresql:
            with connection.cursor() as cursor:
                # One scan at a time: a second one waits here, then finds everything in the log.
                # Without it two scans inserting the same keys batch by batch could deadlock.
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK_ID])
                # The scan's queries are many cheap index probes; PostgreSQL's JIT would spend over a
                # second compiling them at 100,000 actions and win nothing back.
                cursor.execute("SET LOCAL jit = off")
        ids, counts = [], Counter()
        batches = []
        if deadlines:
            people, rules = _People(), _DeadlineRules()
            if postgresql:
                ids, counts = _record_overdue_postgresql(timezone.now(), today, rules.escalate_after)
            rows = deadline_candidates(today, rules)
            batches = (plan_deadline_reminders(today, people, rows[start:start + BATCH_ACTIONS], rules,
                                               escalations=not postgresql)
                       for start in range(0, len(rows), BATCH_ACTIONS))
        if digests or (digests is None and digest_window_open(now)):
            batches = itertools.chain(batches, [plan_digests(now)])
        if checkins or (checkins is None and deadlines):
            batches = itertools.chain(batches, [plan_checkins(now)])
        planned_ids, planned_counts = record_batches(batches)
        ids, counts = sorted(ids + planned_ids), counts + planned_counts
    result = ScanResult(new_ids=ids, counts=counts)
    logger.info("Herinneringen-scan %s: %s", today, result)
    return result


def pending_ids(now=None, *, older_than=None, limit=10_000):
    """Rows decided but never sent, still worth sending: offered again by every scan.

    ``older_than`` leaves fresh rows to the delivery that is already queued for them.
    """
    now = now or timezone.now()
    if older_than is None:
        older_than = datetime.timedelta(minutes=app_settings.LOB_REMINDER_REQUEUE_AFTER_MINUTES)
    window = datetime.timedelta(hours=app_settings.LOB_REMINDER_RESEND_WINDOW_HOURS)
    return list(Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True,
                                        created_at__lte=now - older_than, created_at__gte=now - window)
                .exclude(email="").order_by("created_at").values_list("id", flat=True)[:limit])


def digest_content(user, now=None):
    """What one person's weekly digest shows; used by the email, computed when it is sent."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    own = list(Action.objects.filter(owner=user, status__in=ACTIVE_STATUSES).with_related().order_by("deadline"))
    partnership_ids = list(Membership.objects.filter(user=user).values_list("partnership_id", flat=True))
    completed = list(Action.objects.filter(partnership_id__in=partnership_ids, status=ActionStatus.AFGEROND,
                                           completed_at__gte=now - datetime.timedelta(days=DIGEST_COMPLETED_DAYS))
                     .with_related().order_by("-completed_at")[:25])
    soon = today + datetime.timedelta(days=DIGEST_DUE_SOON_DAYS)
    return {
        "overdue": [a for a in own if a.deadline < today],
        "due_soon": [a for a in own if today <= a.deadline <= soon],
        "later": [a for a in own if a.deadline > soon],
        "completed": completed,
        "today": today,
        "due_soon_days": DIGEST_DUE_SOON_DAYS,
        "completed_days": DIGEST_COMPLETED_DAYS,
    }
