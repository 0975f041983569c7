"""Load test: 50 concurrent people on mixed journeys for 60 s, against gunicorn (2 workers) and PostgreSQL.

    .venv/bin/python benchmarks/load.py [--actions 10000] [--users 50] [--seconds 60] [--database-url URL]
    .venv/bin/python benchmarks/load.py --storingen      # fault mode: one Redis and one PostgreSQL restart inside
    .venv/bin/python benchmarks/load.py --landelijk [--bewaar DIR]   # national: 400 people in 40 partnerships

Starts its own PostgreSQL (tests.services.postgres_server), fills it like benchmarks/actions_list.py
(one partnership, ``--actions`` actions) plus the "Het delen waard" library and a reflection session
with answers, serves the site with gunicorn (2 workers, like production) on loopback only and runs
locust headless against it. Each simulated werkgroep member (own login session) walks: library,
action list, board, an action's page, adds a progress note (GET the form, POST it with its CSRF
token) and the reflection results. Prints locust's summary, then p95 and the error count against
the targets (p95 < 300 ms, 0 errors); exits 1 when a target is missed.

National mode (``--landelijk``): the platform of benchmarks/national.py (40 partnerships × 10,000 actions, 1.2
million notes; with ``--bewaar DIR`` the database that script kept in DIR, filled on the first run), 400 people
(``--users``), 10 in each partnership, each with their own login and walking their own partnership's plan: about
100 requests per second in all (each person starts a journey step every 4 s, ``--pace``) for 120 s
(``--seconds``), against gunicorn with 2 workers (``--workers``) and PostgreSQL, connections pooled
(``DB_POOL_MAX_SIZE``, ``--pool``), with Redis as the shared cache as in docker-compose.yml (``--zonder-redis``: each
worker's own cache in memory, the embedded default). Same table and targets.

Fault mode (``--storingen``): the production shape with Redis as cache and broker (a real redis-server kept with
appendonly, as compose runs it) on a PostgreSQL server of its own. While the users work, Redis is stopped for 5 s
and, later, PostgreSQL for 4 s (``pg_ctl stop -m fast``: every connection cut). Every request is logged with its
time; the script prints the requests and errors per second, marks the restart windows (from the stop until 5 s
after the start), checks that no error falls outside them, and that every note the site confirmed (its text on
the timeline) is in the database afterwards. Exits 1 when one of those fails.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, gunicorn, migrated_database, session_cookie  # noqa: E402
from benchmarks.actions_list import fill  # noqa: E402
from tests.services import PostgresServer, RedisServer  # noqa: E402

P95_TARGET_MS = 300
#: Fault mode: (what, seconds after the start, seconds down). A restart's window ends GRACE seconds after it is up.
FAULTS = [("Redis", 12, 5), ("PostgreSQL", 32, 4)]
GRACE = 5

LOCUSTFILE = '''
import csv, os, random, re, time, uuid
from locust import HttpUser, between, constant_pacing, events, task

COOKIES = os.environ["LOB_LOAD_COOKIES"].split("|")
ACTIONS = [int(a) for a in os.environ["LOB_LOAD_ACTIONS"].split(",")]
SESSION = os.environ["LOB_LOAD_SESSION"]
# National mode: per person (the same order as COOKIES) their partnership's actions and latest session.
PEOPLE = [p.split(";") for p in os.environ.get("LOB_LOAD_PEOPLE", "").split("|") if p]
PACE = float(os.environ.get("LOB_LOAD_PACE", "0"))
NEXT = iter(range(10 ** 9))
LOG_DIR = os.environ.get("LOB_LOAD_LOG_DIR", "")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUESTS, SAVED = [], []


@events.request.add_listener
def remember(request_type, name, response_time, response_length, exception=None, **kwargs):
    if LOG_DIR:
        end = time.time()
        REQUESTS.append((end - response_time / 1000, end, name, "" if exception is None else str(exception)[:200]))


@events.test_stop.add_listener
def write_log(environment, **kwargs):
    if LOG_DIR:
        with open(os.path.join(LOG_DIR, f"verzoeken-{os.getpid()}.csv"), "w", newline="") as f:
            csv.writer(f).writerows(REQUESTS)
        with open(os.path.join(LOG_DIR, f"notities-{os.getpid()}.txt"), "w") as f:
            f.write("\\n".join(SAVED))


class Werkgroeplid(HttpUser):
    wait_time = constant_pacing(PACE) if PACE else between(0.5, 1.5)

    def on_start(self):
        n = next(NEXT) % len(COOKIES)
        name, value = (COOKIES[n] if PEOPLE else random.choice(COOKIES)).split("=", 1)
        self.client.cookies.set(name, value)
        self.actions, self.session = ACTIONS, SESSION
        if PEOPLE:
            actions, self.session = PEOPLE[n]
            self.actions = [int(a) for a in actions.split(",")]

    @task(3)
    def library(self):
        self.client.get("/het-delen-waard/", name="bibliotheek")

    @task(3)
    def action_list(self):
        self.client.get("/actieplan/", name="actielijst")

    @task(2)
    def board(self):
        self.client.get("/actieplan/bord/", name="bord")

    @task(3)
    def action_detail(self):
        self.client.get(f"/actieplan/acties/{random.choice(self.actions)}/", name="actie")

    @task(1)
    def add_note(self):
        pk = random.choice(self.actions)
        page = self.client.get(f"/actieplan/acties/{pk}/", name="actie")
        match = TOKEN.search(page.text)
        if not match:
            return
        note = f"Gebeld met het ROC ({uuid.uuid4().hex[:12]})."
        with self.client.post(f"/actieplan/acties/{pk}/", name="notitie toevoegen", catch_response=True,
                              data={"csrfmiddlewaretoken": match.group(1), "note": note,
                                    "new_status": "", "percent_done": ""},
                              headers={"Referer": self.client.base_url + f"/actieplan/acties/{pk}/"}) as response:
            if note not in response.text:
                title = re.search(r"<title>(.*?)</title>", response.text, re.S)
                response.failure(f"de notitie staat niet op de tijdlijn ({response.status_code}, "
                                 f"{title.group(1).strip() if title else response.text[:80]!r})")
            else:
                SAVED.append(note)  # the site showed it: it must be in the database

    @task(1)
    def reflection_results(self):
        self.client.get(f"/actieplan/reflectie/{self.session}/resultaten/", name="reflectie-uitkomsten")
'''


def fill_extra(people, n_members=10):
    """The library, a reflection session with 12 answer sets, and ``n_members`` werkgroep members."""
    from actieplan.models import MandateLevel, ReflectionQuestion, ReflectionResponse, ReflectionScore
    from actieplan.models import ReflectionSession, Role
    from good_practices import demo
    from tests.factories import add_member, make_user

    demo.load()
    session = ReflectionSession.objects.create(partnership=people.partnership, title="Reflectie najaar")
    questions = list(ReflectionQuestion.objects.all())
    rng = random.Random(11)
    for n in range(12):
        response = ReflectionResponse.objects.create(session=session, respondent_token=f"load-{n}")
        ReflectionScore.objects.bulk_create([ReflectionScore(response=response, question=q, score=rng.randint(1, 5))
                                             for q in questions])
    members = []
    for n in range(n_members):
        user = make_user(f"load_werkgroep{n}", first_name=f"Werk{n}", last_name="Groep", groups=["Werkgroep"])
        add_member(people.partnership, user, people.organisation, Role.WERKGROEPLID, MandateLevel.UITVOEREND)
        members.append(user)
    return session, members


def summary(stats_csv):
    with open(stats_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows


def main():
    parser = argparse.ArgumentParser(description="Belastingtest: 50 gelijktijdige gebruikers op gemengde routes, 60 s, tegen gunicorn (2 workers) en PostgreSQL.")
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database-url")
    parser.add_argument("--storingen", "--faults", dest="faults", action="store_true",
                        help="Storingsmodus: Redis als cache en wachtrij, en binnen de run één herstart van Redis en "
                             "één van PostgreSQL; toont fouten per seconde en controleert de notities.")
    parser.add_argument("--landelijk", "--national", dest="national", action="store_true",
                        help="Landelijk: 40 samenwerkingsverbanden × 10.000 acties (benchmarks/national.py), 400 "
                             "mensen, ongeveer 100 verzoeken per seconde, 120 s")
    parser.add_argument("--bewaar", "--keep", dest="keep", metavar="DIR",
                        help="landelijk: de database die benchmarks/national.py in DIR bewaarde (of vult)")
    parser.add_argument("--pace", type=float, default=4.0,
                        help="landelijk: elke persoon zet elke zoveel seconden een stap (400 mensen / 4 s = 100/s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn-workers")
    parser.add_argument("--zonder-redis", "--no-redis", dest="no_redis", action="store_true",
                        help="landelijk: zonder Redis (elke worker een eigen cache in het geheugen)")
    parser.add_argument("--pool", type=int, default=2,
                        help="landelijk: DB_POOL_MAX_SIZE per proces (0: geen pool, vaste verbindingen)")
    args = parser.parse_args()
    if args.faults:
        return fault_mode(args)
    if args.national:
        if "--users" not in sys.argv:
            args.users = 400
        if "--seconds" not in sys.argv:
            args.seconds = 120
        return national_mode(args)

    locust = ROOT / ".venv/bin/locust"
    for tool in (ROOT / ".venv/bin/gunicorn", locust):
        if not tool.exists():
            print(f"{tool.name} ontbreekt in de omgeving (.venv/bin/{tool.name}); installeer het eerst.")
            return 2

    with migrated_database(args.database_url) as database_url:
        from actieplan.models import Action

        t0 = time.monotonic()
        people = fill(args.actions)
        session, members = fill_extra(people)
        cookies = [session_cookie(user) for user in members]
        action_ids = list(Action.objects.filter(partnership=people.partnership, status__in=["open", "bezig"])
                          .order_by("?").values_list("pk", flat=True)[:200])
        print(f"PostgreSQL gevuld: {Action.objects.count()} acties, bibliotheek, 1 reflectiesessie met 12 "
              f"antwoordsets, {len(members)} werkgroepleden ({time.monotonic() - t0:.0f} s)", flush=True)
        workdir = Path(tempfile.mkdtemp(prefix="lob-locust-"))
        (workdir / "locustfile.py").write_text(LOCUSTFILE)
        with gunicorn(database_url, cookies[0]) as base:
            env = {**os.environ, "LOB_LOAD_COOKIES": "|".join(cookies),
                   "LOB_LOAD_ACTIONS": ",".join(map(str, action_ids)), "LOB_LOAD_SESSION": str(session.pk)}
            command = [str(locust), "-f", str(workdir / "locustfile.py"), "--headless", "--host", base,
                       "-u", str(args.users), "-r", str(max(1, args.users // 5)), "-t", f"{args.seconds}s",
                       "--csv", str(workdir / "stats"), "--only-summary", "--loglevel", "WARNING"]
            print("$ locust " + " ".join(command[1:]), flush=True)
            subprocess.run(command, cwd=workdir, env=env, check=False)

        rows = summary(workdir / "stats_stats.csv")
        total = next(r for r in rows if r["Name"] == "Aggregated")
        p95 = float(total["95%"])
        requests = int(total["Request Count"])
        errors = int(total["Failure Count"])
        print()
        print(f"{'route':<24} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'fouten':>7}")
        for r in rows:
            print(f"{r['Name']:<24} {r['Request Count']:>6} {r['50%']:>8} {r['95%']:>8} {r['Failure Count']:>7}")
        print()
        print(f"{args.users} gebruikers, {args.seconds} s, gunicorn 2 workers, PostgreSQL, {args.actions} acties: "
              f"{requests} verzoeken, {float(total['Requests/s']):.1f}/s, p95 {p95:.0f} ms "
              f"(doel < {P95_TARGET_MS} ms), {errors} fouten (doel 0)")
        ok = p95 < P95_TARGET_MS and errors == 0
        print("GEHAALD" if ok else "NIET GEHAALD")
        return 0 if ok else 1


def national_people(per_partnership):
    """``per_partnership`` people in each partnership (members of it, made when there are too few), each with
    their partnership's open actions and its latest reflection session: ``[(cookie, action ids, session id)]``."""
    from django.contrib.auth import get_user_model

    from actieplan.models import (Action, MandateLevel, Membership, Organisation, Partnership, ReflectionSession,
                                  Role)
    from good_practices.models import GoodPracticePage

    if not GoodPracticePage.objects.exists():
        from good_practices import demo

        demo.load()
    User = get_user_model()
    people = []
    for partnership in Partnership.objects.order_by("pk"):
        members = list(User.objects.filter(lob_memberships__partnership=partnership,
                                           lob_memberships__role=Role.WERKGROEPLID).order_by("pk")[:per_partnership])
        organisation = Organisation.objects.filter(memberships__partnership=partnership).first()
        for k in range(len(members), per_partnership):
            user = User.objects.create_user(f"load-{partnership.slug}-{k}", f"load-{partnership.slug}-{k}@example.nl",
                                            None, first_name="Werk", last_name=f"Groep {k}")
            Membership.objects.create(user=user, partnership=partnership, organisation=organisation,
                                      role=Role.WERKGROEPLID, mandate_level=MandateLevel.UITVOEREND)
            members.append(user)
        actions = list(Action.objects.filter(partnership=partnership, status__in=["open", "bezig"])
                       .order_by("pk").values_list("pk", flat=True)[:5000:250])
        session = ReflectionSession.objects.filter(partnership=partnership).order_by("-date").values_list(
            "pk", flat=True).first()
        people += [(session_cookie(user), actions, session) for user in members]
    return people


def national_mode(args):
    """400 people in 40 partnerships on the national platform, about 100 requests per second."""
    from benchmarks.national import KeptPostgres, fill_first, fill_others

    locust = ROOT / ".venv/bin/locust"
    postgres = KeptPostgres(args.keep) if args.keep else PostgresServer()
    postgres.start()
    pool = {"DB_POOL_MAX_SIZE": str(args.pool), "DB_POOL_MIN_SIZE": "1"} if args.pool else {}
    # The production shape (docker-compose.yml): Redis as the shared cache and Celery's broker. Without it
    # (--zonder-redis) each gunicorn worker keeps its own cache in memory, the embedded default.
    redis = None if args.no_redis else RedisServer().start()
    if redis:
        pool = {**pool, "REDIS_URL": redis.url, "CELERY_TASK_ALWAYS_EAGER": "0"}
    try:
        with migrated_database(postgres.url, pool) as database_url:
            from django.contrib.auth import get_user_model

            from actieplan.models import Action, ActionUpdate, Partnership

            t0 = time.monotonic()
            if not get_user_model().objects.filter(username="bench_bestuurder").exists():
                people = fill_first(10_000)
                fill_others(people.partnership, 40)
            partnerships = Partnership.objects.count()
            people = national_people(max(1, args.users // partnerships))
            print(f"PostgreSQL: {partnerships} samenwerkingsverbanden, {Action.objects.count()} acties, "
                  f"{ActionUpdate.objects.count()} notities; {len(people)} mensen met een eigen sessie "
                  f"({time.monotonic() - t0:.0f} s)", flush=True)
            workdir = Path(tempfile.mkdtemp(prefix="lob-locust-"))
            (workdir / "locustfile.py").write_text(LOCUSTFILE)
            with gunicorn(database_url, people[0][0], pool, workers=args.workers) as base:
                env = {**os.environ, "LOB_LOAD_COOKIES": "|".join(p[0] for p in people),
                       "LOB_LOAD_PEOPLE": "|".join(f"{','.join(map(str, p[1]))};{p[2]}" for p in people),
                       "LOB_LOAD_ACTIONS": ",".join(map(str, people[0][1])), "LOB_LOAD_SESSION": str(people[0][2]),
                       "LOB_LOAD_PACE": str(args.pace)}
                # People arrive at the rate they then keep (one every pace / people seconds), so their first, cold
                # requests come spread like the rest instead of all in the first seconds; the figures count from
                # when the last one arrived (--reset-stats) for ``--seconds``.
                arrive = max(1.0, len(people) / args.pace)
                command = [str(locust), "-f", str(workdir / "locustfile.py"), "--headless", "--host", base,
                           "-u", str(len(people)), "-r", f"{arrive:.2f}", "--reset-stats",
                           "-t", f"{round(args.seconds + len(people) / arrive)}s",
                           "--csv", str(workdir / "stats"), "--only-summary", "--loglevel", "WARNING"]
                print("$ locust " + " ".join(command[1:]), flush=True)
                subprocess.run(command, cwd=workdir, env=env, check=False, stdout=subprocess.DEVNULL)
    finally:
        if redis:
            redis.cleanup()
        if args.keep:
            postgres.stop()
        else:
            postgres.cleanup()
    rows = summary(workdir / "stats_stats.csv")
    total = next(r for r in rows if r["Name"] == "Aggregated")
    p95, requests, errors = float(total["95%"]), int(total["Request Count"]), int(total["Failure Count"])
    print()
    print(f"{'route':<24} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'fouten':>7}")
    for r in rows:
        print(f"{r['Name']:<24} {r['Request Count']:>6} {r['50%']:>8} {r['95%']:>8} {r['Failure Count']:>7}")
    print()
    print(f"landelijk: {len(people)} mensen in {partnerships} samenwerkingsverbanden, {args.seconds} s, gunicorn "
          f"{args.workers} workers, PostgreSQL" + (f" (pool van {args.pool} per proces)" if args.pool else "") +
          (", zonder Redis" if args.no_redis else ", Redis als cache") +
          f": {requests} verzoeken, {float(total['Requests/s']):.1f}/s, p95 {p95:.0f} ms (doel < {P95_TARGET_MS} ms), "
          f"{errors} fouten (doel 0)")
    ok = p95 < P95_TARGET_MS and errors == 0
    print("GEHAALD" if ok else "NIET GEHAALD")
    return 0 if ok else 1


def read_log(workdir):
    """(requests [(start, end, name, error)], confirmed notes) from every locust process."""
    requests, notes = [], []
    for path in workdir.glob("verzoeken-*.csv"):
        with open(path, newline="") as f:
            requests += [(float(start), float(end), name, error) for start, end, name, error in csv.reader(f)]
    for path in workdir.glob("notities-*.txt"):
        notes += [line for line in path.read_text().splitlines() if line]
    return sorted(requests), notes


def inject(faults, redis, postgres, started, windows):
    """Stop and start Redis and PostgreSQL at their moments; record each window (wall-clock times)."""
    servers = {"Redis": redis, "PostgreSQL": postgres}
    for what, at, down in faults:
        time.sleep(max(0.0, started + at - time.time()))
        begin = time.time()
        servers[what].stop()
        time.sleep(down)
        servers[what].start()
        windows.append((what, begin, time.time() + GRACE))


def fault_mode(args):
    locust = ROOT / ".venv/bin/locust"
    postgres = PostgresServer().start()
    redis = RedisServer(persistent=True).start()
    extra = {"REDIS_URL": redis.url, "CELERY_TASK_ALWAYS_EAGER": "0"}
    try:
        with migrated_database(postgres.url, extra) as database_url:
            from django.db import connections

            from actieplan.models import Action, ActionUpdate

            t0 = time.monotonic()
            people = fill(args.actions)
            session, members = fill_extra(people)
            cookies = [session_cookie(user) for user in members]
            action_ids = list(Action.objects.filter(partnership=people.partnership, status__in=["open", "bezig"])
                              .order_by("?").values_list("pk", flat=True)[:200])
            print(f"PostgreSQL gevuld: {Action.objects.count()} acties ({time.monotonic() - t0:.0f} s); Redis als "
                  f"cache en wachtrij", flush=True)
            workdir = Path(tempfile.mkdtemp(prefix="lob-locust-"))
            (workdir / "locustfile.py").write_text(LOCUSTFILE)
            windows = []
            with gunicorn(database_url, cookies[0], extra) as base:
                env = {**os.environ, "LOB_LOAD_COOKIES": "|".join(cookies), "LOB_LOAD_LOG_DIR": str(workdir),
                       "LOB_LOAD_ACTIONS": ",".join(map(str, action_ids)), "LOB_LOAD_SESSION": str(session.pk)}
                command = [str(locust), "-f", str(workdir / "locustfile.py"), "--headless", "--host", base,
                           "-u", str(args.users), "-r", str(max(1, args.users // 5)), "-t", f"{args.seconds}s",
                           "--csv", str(workdir / "stats"), "--only-summary", "--loglevel", "ERROR"]
                print("$ locust " + " ".join(command[1:]), flush=True)
                started = time.time()
                run = subprocess.Popen(command, cwd=workdir, env=env, stdout=subprocess.DEVNULL)
                faults = [f for f in FAULTS if f[1] + f[2] < args.seconds]
                injector = threading.Thread(target=inject, args=(faults, redis, postgres, started, windows))
                injector.start()
                injector.join()
                run.wait()
            requests, notes = read_log(workdir)
            connections.close_all()  # this process's connection did not survive the restart
            stored = set(ActionUpdate.objects.filter(note__in=notes).values_list("note", flat=True))
    finally:
        redis.cleanup()
        postgres.cleanup()
    return report_faults(args, requests, notes, stored, windows, started)


def report_faults(args, requests, notes, stored, windows, started):
    """Requests and errors per second (by when a request ended), the windows, and the verdict: an error counts as
    inside a window when the request was under way at some moment of it (sent before the stop, answered in it)."""
    per_second, errors_per_second = Counter(), Counter()
    outside = []
    for start, end, name, error in requests:
        second = int(end - started)
        per_second[second] += 1
        if error:
            errors_per_second[second] += 1
            if not any(start <= until and end >= begin for _what, begin, until in windows):
                outside.append((start - started, end - started, name, error))
    print()
    print(f"{'s':>3} {'verzoeken':>10} {'fouten':>7}  storing")
    for second in range(0, max(per_second, default=0) + 1):
        marks = [what for what, begin, end in windows if begin - started < second + 1 and second <= end - started]
        print(f"{second:>3} {per_second[second]:>10} {errors_per_second[second]:>7}  {', '.join(marks)}")
    print()
    for what, begin, end in windows:
        inside = sum(1 for s, e, _n, error in requests if error and s <= end and e >= begin)
        print(f"storingsvenster {what}: {begin - started:.1f} s tot {end - started:.1f} s (gestopt, "
              f"{FAULTS_DOWN[what]} s later gestart, plus {GRACE} s om te herstellen); fouten erin: {inside}")
    missing = [note for note in notes if note not in stored]
    total_errors = sum(errors_per_second.values())
    print(f"{args.users} gebruikers, {args.seconds} s, gunicorn 2 workers, PostgreSQL en Redis: {len(requests)} "
          f"verzoeken, {total_errors} fouten, waarvan {len(outside)} buiten de storingsvensters (doel 0)")
    for start, end, name, error in outside[:10]:
        print(f"  buiten een venster: {start:.1f}–{end:.1f} s {name}: {error}")
    print(f"notities die de site bevestigde: {len(notes)}, ontbrekend in de database: {len(missing)} (doel 0)")
    ok = not outside and not missing and len(windows) == len(FAULTS) and bool(notes)
    print("GEHAALD" if ok else "NIET GEHAALD")
    return 0 if ok else 1


FAULTS_DOWN = {what: down for what, _at, down in FAULTS}


if __name__ == "__main__":
    sys.exit(main())
