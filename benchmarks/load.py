"""Load test: 50 concurrent people on mixed journeys for 60 s, against gunicorn (2 workers) and PostgreSQL.

    .venv/bin/python benchmarks/load.py [--actions 10000] [--users 50] [--seconds 60] [--database-url URL]

Starts its own PostgreSQL (tests.services.postgres_server), fills it like benchmarks/actions_list.py
(one partnership, ``--actions`` actions) plus the "Het delen waard" library and a reflection session
with answers, serves the site with gunicorn (2 workers, like production) on loopback only and runs
locust headless against it. Each simulated werkgroep member (own login session) walks: library,
action list, board, an action's page, adds a progress note (GET the form, POST it with its CSRF
token) and the reflection results. Prints locust's summary, then p95 and the error count against
the targets (p95 < 300 ms, 0 errors); exits 1 when a target is missed.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, gunicorn, migrated_database, session_cookie  # noqa: E402
from benchmarks.actions_list import fill  # noqa: E402

P95_TARGET_MS = 300

LOCUSTFILE = '''
import os, random, re
from locust import HttpUser, between, task

COOKIES = os.environ["LOB_LOAD_COOKIES"].split("|")
ACTIONS = [int(a) for a in os.environ["LOB_LOAD_ACTIONS"].split(",")]
SESSION = os.environ["LOB_LOAD_SESSION"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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
        with self.client.post(f"/actieplan/acties/{pk}/", name="notitie toevoegen", catch_response=True,
                              data={"csrfmiddlewaretoken": match.group(1), "note": "Gebeld met het ROC.",
                                    "new_status": "", "percent_done": ""},
                              headers={"Referer": self.client.base_url + f"/actieplan/acties/{pk}/"}) as response:
            if "tijdlijn" not in response.text:
                response.failure("de notitie staat niet op de tijdlijn")

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
    args = parser.parse_args()

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


if __name__ == "__main__":
    sys.exit(main())
