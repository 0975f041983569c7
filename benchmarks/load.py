"""Load test: 50 concurrent people on mixed journeys for 60 s, against gunicorn (2 workers) and PostgreSQL.

    .venv/bin/python benchmarks/load.py [--actions 10000] [--users 50] [--seconds 60] [--database-url URL]
    .venv/bin/python benchmarks/load.py --storingen      # fault mode: one Redis and one PostgreSQL restart inside

Starts its own PostgreSQL (tests.services.postgres_server), fills it like benchmarks/actions_list.py
(one partnership, ``--actions`` actions) plus the "Het delen waard" library and a reflection session
with answers, serves the site with gunicorn (2 workers, like production) on loopback only and runs
locust headless against it. Each simulated werkgroep member (own login session) walks: library,
action list, board, an action's page, adds a progress note (GET the form, POST it with its CSRF
token) and the reflection results. Prints locust's summary, then p95 and the error count against
the targets (p95 < 300 ms, 0 errors); exits 1 when a target is missed.

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
from locust import HttpUser, between, events, task

COOKIES = os.environ["LOB_LOAD_COOKIES"].split("|")
ACTIONS = [int(a) for a in os.environ["LOB_LOAD_ACTIONS"].split(",")]
SESSION = os.environ["LOB_LOAD_SESSION"]
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
    wait_time = between(0.5, 1.5)

    def on_start(self):
        name, value = random.choice(COOKIES).split("=", 1)
        self.client.cookies.set(name, value)

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
        self.client.get(f"/actieplan/acties/{random.choice(ACTIONS)}/", name="actie")

    @task(1)
    def add_note(self):
        pk = random.choice(ACTIONS)
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
        self.client.get(f"/actieplan/reflectie/{SESSION}/resultaten/", name="reflectie-uitkomsten")
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
    args = parser.parse_args()
    if args.faults:
        return fault_mode(args)

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
