"""Benchmark: one platform for every region. 40 partnerships × 10,000 actions (400,000 actions, 1.2 million
progress notes), 2,000 reflection sessions and 400 meetings; what a member of one partnership waits for.

    .venv/bin/python benchmarks/national.py [--partnerships 40] [--actions 10000] [--rounds 100] [--cold 20]
                                            [--bewaar DIR] [--profile]

Starts its own PostgreSQL (or, with ``--bewaar DIR``/``--keep DIR``, a cluster kept in DIR: the first run fills it,
later runs reuse it and the figures of step 1, so one can iterate on a fix without filling again) and fills it in
two steps:

1. one partnership as benchmarks/actions_list.py fills it (``--actions`` actions, 42 owners, every status and
   mandate level), plus its share of the rest: 3 progress notes per action, 50 reflection sessions of 5
   respondents, 10 meetings, its Voortgang page. The pages are measured here first: the figures "at 10,000";
2. the other partnerships, each a copy of the first one's plan with its own people and organisations (SQL
   ``INSERT … SELECT``: minutes, not hours), with their notes, sessions and meetings. Measured again: "national".

Each step serves the site with gunicorn (2 workers, like production) and measures over HTTP, logged in as the
first partnership's bestuurder, interleaved: the home page (a plain Wagtail page), the action list, the board,
the Voortgang page (cached), the plan search ("stage"), the reflection results of the latest session, and the
operator's overview (URL name ``actieplan:platform_overview``, as a superuser; "niet gebouwd" when it does not
resolve); then the Voortgang page cold (a new "sinds" date per request: every figure computed), and right after a
progress note in another partnership (which leaves this partnership's report cached). Then, in this
process, at 400,000 actions: the reminder scan's first scan of a day (after a week of daily scans) and the
hourly scan after it (benchmarks/reminder_scan.py's time_scan).

Targets (issue 28): member pages within 1.5× the plain page p50 (the same ratios as at 10,000; the Voortgang page
after a note elsewhere too), the cold Voortgang page within 2× its cold time at 10,000, the operator overview
within 2× the plain page, the hourly scan within 2 s and the first scan of a day within 5 s. Exits 1 when one is missed. Not a test: figures depend on the
machine; compare them within one run.
"""

import argparse
import datetime
import json
import os
import pwd
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (  # noqa: E402
    fetch, gunicorn, measure, migrated_database, percentile, print_timings, session_cookie, vacuum_analyze,
)
from tests.services import PostgresServer, free_port  # noqa: E402

MEMBER_TARGET = 1.5
COLD_TARGET = 2.0
OVERVIEW_TARGET = 2.0
HOURLY_TARGET_S = 2.0
DAILY_TARGET_S = 5.0
NOTES_PER_ACTION = 3
SESSIONS_PER_PARTNERSHIP = 50
MEETINGS_PER_PARTNERSHIP = 10
PEOPLE_PER_PARTNERSHIP = 12
HISTORY_DAYS = 7
#: With ``--bewaar``: the p50 figures of step 1, kept for the runs that reuse the database.
BASELINE = "bij-10000.json"

#: What the notes say (benchmarks/plan_search.py's words): "stage" finds thousands of them in one partnership.
SENTENCES = [
    "Gebeld met de stagecoördinator van het ROC over de stagebank.",
    "Werkgevers in de zorg willen meer stageplekken aanbieden.",
    "Besproken in de werkgroep; de ouderavond komt in maart.",
    "Warme overdracht vmbo-mbo: de decanen leveren de lijst aan.",
    "Uitgesteld: wacht op de gemeente en het leerwerkbedrijf.",
    "Loopbaandossier aangepast na de evaluatie met de mentoren.",
    "Voorlichting over de praktijkroute gegeven op de open dag.",
    "Offerte voor het vervoer naar de meeloopdag ontvangen.",
    "Convenant met de wethouder besproken; verslag volgt.",
    "Jongeren zonder startkwalificatie in beeld gebracht met RMC.",
]


class KeptPostgres(PostgresServer):
    """A PostgreSQL cluster in a folder that outlives the run (``--bewaar``): filled once, reused after."""

    def __init__(self, directory):
        self.tmp = Path(directory).resolve()
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.data = self.tmp / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.tmp, pw.pw_uid, pw.pw_gid)


def execute(sql, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


def postpone_deadlines(partnership_ids, now):
    """A fifth of the actions had their deadline moved once (benchmarks/progress_page.py: a fifth, 1-3 times), the
    note its reason: the rows the done-on-time rule and the postponement section read."""
    execute("""
        INSERT INTO actieplan_actionupdate (action_id, author_id, author_name, created_at, note, new_status,
                                            previous_deadline, new_deadline)
        SELECT a.id, a.owner_id, '', %s - ((a.id * 11) %% 300) * interval '1 day',
               'Uitgesteld: wacht op de werkgevers.', '', a.deadline - 30, a.deadline
        FROM actieplan_action a WHERE a.partnership_id = ANY(%s) AND a.id %% 5 = 0""", [now, list(partnership_ids)])


def add_activity(partnership_ids, first=None):
    """For the actions of ``partnership_ids``: notes, reflection sessions with scores, meetings (bulk SQL)."""
    from django.utils import timezone

    from actieplan.models import (Meeting, MeetingKind, Partnership, ReflectionQuestion, ReflectionResponse,
                                  ReflectionScore, ReflectionSession)

    now = timezone.now()
    execute(f"""
        INSERT INTO actieplan_actionupdate (action_id, author_id, author_name, created_at, note, new_status)
        SELECT a.id, a.owner_id, '', %s - ((a.id * 7 + g * 1301) %% 129600) * interval '1 minute',
               (%s::text[])[1 + (a.id + g) %% {len(SENTENCES)}], ''
        FROM actieplan_action a CROSS JOIN generate_series(1, {NOTES_PER_ACTION}) g
        WHERE a.partnership_id = ANY(%s)""", [now, SENTENCES, list(partnership_ids)])
    postpone_deadlines(partnership_ids, now)
    wording = (first or ReflectionSession(partnership_id=partnership_ids[0]))
    if not wording.question_wording:
        wording.snapshot_questions()
    today = timezone.localdate()
    sessions = ReflectionSession.objects.bulk_create([
        ReflectionSession(partnership_id=p, title=f"Reflectiesessie {i + 1}", question_wording=wording.question_wording,
                          date=today - datetime.timedelta(days=14 * (SESSIONS_PER_PARTNERSHIP - i)),
                          code=f"n{p}s{i}", status=ReflectionSession.Status.CLOSED, closed_at=now)
        for p in partnership_ids for i in range(SESSIONS_PER_PARTNERSHIP)], batch_size=2000)
    ReflectionResponse.objects.bulk_create([
        ReflectionResponse(session=s, respondent_token=f"n-{s.pk}-{k}", submitted_at=now)
        for s in sessions for k in range(5)],
        batch_size=5000)
    questions = [q["question_id"] for q in wording.question_wording]
    execute(f"""
        INSERT INTO {ReflectionScore._meta.db_table} (response_id, question_id, score, comment)
        SELECT r.id, q, 1 + (r.id * 31 + q * 17) %% 5, ''
        FROM {ReflectionResponse._meta.db_table} r CROSS JOIN unnest(%s::int[]) q
        WHERE r.session_id = ANY(%s)""", [questions, [s.pk for s in sessions]])
    Meeting.objects.bulk_create([
        Meeting(partnership_id=p, kind=MeetingKind.BESTUUR if m % 3 == 0 else MeetingKind.WERKGROEP,
                title=f"Overleg {m + 1}", starts_at=now - datetime.timedelta(days=30 * m + 3))
        for p in partnership_ids for m in range(MEETINGS_PER_PARTNERSHIP)])
    return Partnership.objects.filter(pk__in=partnership_ids).count()


def fill_first(n_actions):
    """Step 1: the measured partnership, with its share of notes, sessions and meetings, and its Voortgang page."""
    from actieplan.models import Action
    from actieplan.progress.demo import ensure_progress_page
    from actieplan.search import vocabulary
    from benchmarks.actions_list import fill

    people = fill(n_actions)
    execute("UPDATE actieplan_action SET created_at = now() - (id %% 730) * interval '1 day'")  # over two years
    add_activity([people.partnership.pk])
    ensure_progress_page(people.partnership)
    vocabulary.rebuild()
    vacuum_analyze()
    assert Action.objects.filter(partnership=people.partnership).count() == n_actions
    return people


def fill_others(first, n_partnerships):
    """Step 2: ``n_partnerships - 1`` more partnerships, each with its own people and a copy of the first plan."""
    from django.contrib.auth import get_user_model

    from actieplan.models import (Action, MandateLevel, Membership, Organisation, OrganisationType, Partnership,
                                  ReflectionSession, Role)
    from actieplan.search import vocabulary

    User = get_user_model()
    existing = Partnership.objects.count()
    new = Partnership.objects.bulk_create([Partnership(name=f"Regio {i}", slug=f"regio-{i}")
                                           for i in range(existing, existing + n_partnerships - 1)])
    columns = [f.column for f in Action._meta.concrete_fields if f.column not in ("id", "parent_id")]
    for partnership in new:
        orgs = Organisation.objects.bulk_create([
            Organisation(name=f"{partnership.name} school {j}", organisation_type=OrganisationType.VO)
            for j in range(4)])
        for org in orgs:
            org.partnerships.add(partnership)
        users = User.objects.bulk_create([
            User(username=f"{partnership.slug}-{k}", first_name="Lid", last_name=f"{partnership.pk}-{k}",
                 password="!", email=f"{partnership.slug}-{k}@example.nl") for k in range(PEOPLE_PER_PARTNERSHIP)])
        Membership.objects.bulk_create([
            Membership(user=u, partnership=partnership, organisation=orgs[k % 4],
                       role=Role.PROCESBEWAKER if k == 0 else Role.WERKGROEPLID if k < 4 else Role.DEELNEMER,
                       mandate_level=MandateLevel(1 + k % 3)) for k, u in enumerate(users)])
        values = {"partnership_id": "%s", "owner_id": "(%s::int[])[1 + a.id %% %s]",
                  "owner_organisation_id": "(%s::int[])[1 + a.id %% %s]", "created_by_id": "NULL",
                  "source_session_id": "NULL", "question_id": "a.question_id"}
        select = ", ".join(values.get(c, f"a.{c}") for c in columns)
        owner_ids = [u.pk for u in users]
        execute(f"INSERT INTO actieplan_action ({', '.join(columns)}) SELECT {select} FROM actieplan_action a "
                f"WHERE a.partnership_id = %s",
                [partnership.pk, owner_ids, len(owner_ids), [orgs[k % 4].pk for k in range(len(users))],
                 len(users), first.pk])
        print(f"  {partnership.name}: {Action.objects.filter(partnership=partnership).count()} acties", flush=True)
    template = ReflectionSession.objects.filter(partnership=first).first()
    add_activity([p.pk for p in new], first=template)
    vocabulary.rebuild()
    vacuum_analyze()


def totals():
    from actieplan.models import Action, ActionUpdate, Meeting, Partnership, ReflectionSession

    return (f"{Partnership.objects.count()} samenwerkingsverbanden, {Action.objects.count()} acties, "
            f"{ActionUpdate.objects.count()} notities, {ReflectionSession.objects.count()} reflectiesessies, "
            f"{Meeting.objects.count()} overleggen")


def pages_for(people):
    from django.contrib.auth import get_user_model
    from django.urls import NoReverseMatch, reverse

    from actieplan.models import ReflectionSession
    from actieplan.progress.demo import ensure_progress_page

    latest = ReflectionSession.objects.filter(partnership=people.partnership).order_by("-date").first()
    pages = {"plain": "/", "list": reverse("actieplan:action_list"), "board": reverse("actieplan:action_board"),
             "voortgang": ensure_progress_page(people.partnership).url,
             "search": reverse("actieplan:search") + "?q=stage",
             "reflectie": reverse("actieplan:reflection_results", args=[latest.pk])}
    try:
        overview = reverse("actieplan:platform_overview")
    except NoReverseMatch:
        overview = None
    admin = None
    if overview:
        User = get_user_model()
        admin = User.objects.filter(username="national_operator").first() or User.objects.create_superuser(
            "national_operator", "operator@example.nl", None)
    return pages, overview, admin


def elsewhere(people, n):
    """``n`` open actions of other partnerships (none when the platform has only this one)."""
    from actieplan.models import Action

    return list(Action.objects.exclude(partnership=people.partnership).filter(status="open")
                .select_related("owner", "partnership").order_by("pk")[:n * 50:50])


def measure_step(label, people, rounds, n_cold):
    """Member pages (and the operator overview) over HTTP, then the cold Voortgang page; ``{name: p50}``."""
    from django.db import connection

    from actieplan.actions import services
    from benchmarks._common import server_env  # noqa: F401  (the same environment as gunicorn's)

    pages, overview, admin = pages_for(people)
    cookie = session_cookie(people.bestuurder)
    admin_cookie = session_cookie(admin) if admin else ""
    connection.close()
    with gunicorn(os.environ["DATABASE_URL"], cookie) as base:
        for name, path in pages.items():
            _ms, status, body = fetch(base + path, cookie)
            assert status == 200, (name, status)
        _ms, _status, body = fetch(base + pages["voortgang"], cookie)
        assert b'data-figure="agreed"' in body, "niet de Voortgang-pagina: niet ingelogd?"
        _ms, _status, body = fetch(base + pages["search"], cookie)
        assert "resultaten voor".encode() in body, "de zoekpagina vindt niets"
        timings = measure(base, cookie, pages, rounds, 1, warmup=5)
        if overview:
            # The operator's own session; its plain page beside it in the same run.
            both = measure(base, admin_cookie, {"plain-operator": "/", "overzicht": overview}, rounds, 1, warmup=5)
            timings.update(both)
        day0 = datetime.date(2020, 1, 1) + datetime.timedelta(days=random.randint(0, 3000))
        cold = [fetch(f"{base}{pages['voortgang']}?sinds={day0 + datetime.timedelta(days=i)}", cookie)[0]
                for i in range(n_cold)]
        after_note = []
        for action in elsewhere(people, n_cold):
            # Another region's progress note (saved here, as the web would), then this region's Voortgang page.
            services.add_update(action, action.owner, "Gesprek gevoerd met de werkgevers in de regio.")
            after_note.append(fetch(base + pages["voortgang"], cookie)[0])
        connection.close()
    print()
    print(f"== {label}: {totals()}")
    print(f"gunicorn 2 workers, 1 client, {rounds} verzoeken per pagina, ingelogd als bestuurder van "
          f"{people.partnership.name}")
    p50 = print_timings(timings, width=16)
    p50["voortgang-koud"] = percentile(cold, 50)
    print(f"{'voortgang-koud':<16} {p50['voortgang-koud']:8.1f} {percentile(cold, 90):8.1f} "
          f"{sum(cold) / len(cold):8.1f}   ({len(cold)} verzoeken, elk alle cijfers opnieuw berekend)")
    if after_note:
        p50["voortgang-na-notitie"] = percentile(after_note, 50)
        print(f"{'na notitie elders':<16} {p50['voortgang-na-notitie']:8.1f} {percentile(after_note, 90):8.1f} "
              f"{sum(after_note) / len(after_note):8.1f}   ({len(after_note)} verzoeken, elk na een notitie in een "
              f"ander samenwerkingsverband)")
    if not overview:
        print(f"{'overzicht':<16} niet gebouwd (de URL-naam actieplan:platform_overview bestaat niet)")
    for name in ("list", "board", "voortgang", "search", "reflectie", "voortgang-na-notitie"):
        if name in p50:
            print(f"ratio {name}/plain (p50): {p50[name] / p50['plain']:.2f}")
    if overview:
        print(f"ratio overzicht/plain (p50): {p50['overzicht'] / p50['plain-operator']:.2f}")
    return p50


def scans():
    """The reminder scan at this size: a week of daily scans first (the log a running platform has), then the
    first scan of a new day and the hourly scan after it; ``(daily s, hourly s)``."""
    from django.utils import timezone

    from actieplan.models import Action
    from benchmarks.reminder_scan import simulate_history, time_scan

    now = timezone.now()
    started = time.perf_counter()
    simulate_history(now - datetime.timedelta(days=HISTORY_DAYS), now - datetime.timedelta(days=1))
    print(f"\nherinneringen: de dagelijkse scans van {HISTORY_DAYS} dagen als geschiedenis "
          f"({time.perf_counter() - started:.0f} s); daarna bij {Action.objects.count()} acties:")
    t0 = time.perf_counter()
    time_scan("de eerste scan van een nieuwe dag", now)
    daily = time.perf_counter() - t0
    t0 = time.perf_counter()
    time_scan("de scan een uur later (de gewone toestand)", now + datetime.timedelta(hours=1))
    hourly = time.perf_counter() - t0
    return daily, hourly


def verdict(base, national, daily, hourly):
    lines, ok = [], True

    def check(text, value, target):
        nonlocal ok
        ok &= value <= target
        lines.append(f"{text}: {value:.2f} (doel ≤ {target}) {'OK' if value <= target else 'BOVEN HET DOEL'}")

    for name in ("list", "board", "voortgang", "search", "reflectie"):
        check(f"{name}/plain landelijk", national[name] / national["plain"], MEMBER_TARGET)
        if base:
            lines[-1] += f"   (bij 10.000: {base[name] / base['plain']:.2f})"
    if base:
        check("voortgang koud landelijk / koud bij 10.000", national["voortgang-koud"] / base["voortgang-koud"],
              COLD_TARGET)
    if "voortgang-na-notitie" in national:
        # A note in another region leaves the report cached (its partnership's scope): as fast as a cached page.
        check("voortgang na een notitie elders/plain", national["voortgang-na-notitie"] / national["plain"],
              MEMBER_TARGET)
    if "overzicht" in national:
        check("overzicht/plain (beheerder)", national["overzicht"] / national["plain-operator"], OVERVIEW_TARGET)
    else:
        lines.append("overzicht van de platformbeheerder: niet gebouwd")
    if daily is not None:
        check("eerste scan van de dag (s)", daily, DAILY_TARGET_S)
        check("scan een uur later (s)", hourly, HOURLY_TARGET_S)
    print("\n== doelen")
    print("\n".join(lines))
    print("GEHAALD" if ok else "NIET GEHAALD")
    return ok


def main():
    parser = argparse.ArgumentParser(description="Meting: 40 samenwerkingsverbanden × 10.000 acties op één platform; "
                                                 "zie de docstring van het script voor de opzet.")
    parser.add_argument("--partnerships", type=int, default=40)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--cold", type=int, default=20, help="verzoeken met een koude rapportcache")
    parser.add_argument("--bewaar", "--keep", dest="keep", metavar="DIR",
                        help="bewaar de gevulde database in DIR en gebruik hem bij een volgende run opnieuw")
    parser.add_argument("--zonder-scan", "--no-scan", dest="no_scan", action="store_true",
                        help="sla de herinneringsscan over")
    parser.add_argument("--profile", action="store_true",
                        help="toon de SQL van één koud verzoek per pagina (in dit proces) in plaats van te meten")
    args = parser.parse_args()

    server = KeptPostgres(args.keep) if args.keep else PostgresServer()
    server.start()
    try:
        with migrated_database(server.url):
            return run(args)
    finally:
        if args.keep:
            server.stop()
        else:
            server.cleanup()


def run(args):
    from django.contrib.auth import get_user_model

    from actieplan.models import Partnership
    from tests.factories import make_people  # noqa: F401  (the people the action list benchmark makes)

    User = get_user_model()
    bestuurder = User.objects.filter(username="bench_bestuurder").first()
    base = None
    t0 = time.monotonic()
    if bestuurder is None:
        people = fill_first(args.actions)
        print(f"stap 1 gevuld ({time.monotonic() - t0:.0f} s): {totals()}", flush=True)
        if not args.profile:
            base = measure_step("bij 10.000 acties (1 samenwerkingsverband)", people, args.rounds, args.cold)
            if args.keep:
                (Path(args.keep) / BASELINE).write_text(json.dumps(base))
    else:
        people = people_of(bestuurder)
        if args.keep and (Path(args.keep) / BASELINE).exists():
            base = json.loads((Path(args.keep) / BASELINE).read_text())
            print(f"de cijfers bij 10.000 acties: uit {Path(args.keep) / BASELINE} (de eerste run)")
    if Partnership.objects.count() < args.partnerships:
        t0 = time.monotonic()
        fill_others(people.partnership, args.partnerships - Partnership.objects.count() + 1)
        print(f"stap 2 gevuld ({time.monotonic() - t0:.0f} s): {totals()}", flush=True)
    if args.profile:
        return profile(people)
    if args.partnerships == 1 and base:
        return 0  # step 1 was the whole platform
    national = measure_step("landelijk", people, args.rounds, args.cold)
    daily = hourly = None
    if not args.no_scan:
        daily, hourly = scans()
    return 0 if verdict(base, national, daily, hourly) else 1


def people_of(bestuurder):
    """The first partnership's people again, on a reused database."""
    from types import SimpleNamespace

    from actieplan.models import Membership

    membership = Membership.objects.select_related("partnership").get(user=bestuurder)
    return SimpleNamespace(bestuurder=bestuurder, partnership=membership.partnership)


def profile(people):
    """Per page: the SQL of one request with cold caches, slowest first (EXPLAIN ANALYZE what stands out)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    pages, _overview, _admin = pages_for(people)
    client = Client(SERVER_NAME="localhost")
    client.force_login(people.bestuurder)
    for name, path in pages.items():
        client.get(path)
        cache.clear()
        client.force_login(people.bestuurder)
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        total = (time.perf_counter() - start) * 1000
        queries = list(ctx.captured_queries)
        sql = sum(float(q["time"]) for q in queries) * 1000
        print(f"{name:<12} koud {total:.0f} ms, {len(queries)} queries, {sql:.0f} ms SQL")
        for q in sorted(queries, key=lambda q: -float(q["time"]))[:4]:
            print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:240]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
