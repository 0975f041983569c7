"""When a meeting series meets: plain date arithmetic, no database.

A series meets every ``interval`` weeks on a weekday, or every ``interval`` months on the n-th (or last) weekday
of the month ("elke eerste dinsdag", "elk kwartaal de laatste donderdag") or on a day of the month ("elke maand
op de 31e": in a shorter month the last day, so February gets the 28th or 29th and no month is skipped). As in
OpenProject's recurring meetings, the dates come from the rule and the series' first date, never from the
previous meeting: a meeting that was moved by a day does not drag the rest of the series along.
"""

import calendar
import datetime

WEEKLY = "weekly"
MONTHLY_WEEKDAY = "monthly-weekday"
MONTHLY_DAY = "monthly-day"

#: n-th weekday of the month: 1 … 4, or -1 for the last one (a fifth one does not exist in every month).
LAST = -1
ORDINALS = (1, 2, 3, 4, LAST)


def _add_months(year, month, months):
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def nth_weekday(year, month, weekday, ordinal):
    """The ``ordinal``-th ``weekday`` (0 = Monday) of the month; ``ordinal`` -1 is the last one."""
    days = calendar.monthrange(year, month)[1]
    if ordinal == LAST:
        last = datetime.date(year, month, days)
        return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))


def day_of_month(year, month, day):
    """Day ``day`` of the month, or the month's last day when it is shorter (31 → 30 April, 28/29 February)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def dates(rule, start, *, interval=1, weekday=None, ordinal=None, day=None):
    """Every date of the series from its first date ``start`` on, in order (an endless generator).

    ``rule`` WEEKLY: every ``interval`` weeks on ``start``'s weekday (or ``weekday``). MONTHLY_WEEKDAY: every
    ``interval`` months on the ``ordinal``-th ``weekday``. MONTHLY_DAY: every ``interval`` months on ``day``
    (clamped to the month's length). Monthly series count their months from ``start``'s month; a date before
    ``start`` in that first month is skipped.
    """
    interval = max(int(interval or 1), 1)
    if rule == WEEKLY:
        weekday = start.weekday() if weekday is None else weekday
        current = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
        while True:
            yield current
            current += datetime.timedelta(weeks=interval)
    if rule not in (MONTHLY_WEEKDAY, MONTHLY_DAY):
        raise ValueError(f"unknown recurrence rule {rule!r}")
    step = 0
    while True:
        year, month = _add_months(start.year, start.month, step * interval)
        if rule == MONTHLY_WEEKDAY:
            current = nth_weekday(year, month, weekday, ordinal)
        else:
            current = day_of_month(year, month, day)
        if current >= start:
            yield current
        step += 1


def next_dates(rule, start, after, count=1, *, until=None, **options):
    """The first ``count`` dates of the series later than ``after`` (and not after ``until``)."""
    found = []
    for current in dates(rule, start, **options):
        if until is not None and current > until:
            break
        if current > after:
            found.append(current)
            if len(found) == count:
                break
    return found


def ordinal_of(day):
    """Which ``(ordinal, weekday)`` ``day`` is in its month: the 1st … 4th, or the last (-1) for a fifth one."""
    ordinal = (day.day - 1) // 7 + 1
    return (LAST if ordinal == 5 else ordinal), day.weekday()
