"""Benchmark: the action list and board with 10,000 actions against a plain Wagtail page, in one run.

    .venv/bin/python benchmarks/actions_list.py [--actions 10000] [--rounds 300] [--concurrency 1]
                                                [--database-url URL] [--profile]

``--database-url`` reuses a database (filled on the first run) instead of a throw-away server;
``--profile`` shows per page the SQL and the slowest functions, in-process, instead of measuring.

Starts its own PostgreSQL (tests.services.postgres_server), migrates, fills one partnership with
``--actions`` actions (bulk_create), serves the site with gunicorn (2 workers, like production) and
measures over HTTP, as a logged-in werkgroep member, the latency of the home page (a plain Wagtail
page), the action list, the board, a filtered list (``?status=open&theme=…``) and "Mijn acties"
(``?mine=on``). The pages are requested interleaved so machine noise hits them alike. Prints p50/p90
per page and the ratio of each to the plain page (target ≤ 1.5).
"""

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import free_port, postgres_server, wait_for_port  # noqa: E402

SETTINGS = "lobplatform.settings.dev"  # DEBUG off below; plain static storage, so no collectstatic is needed
TARGET = 1.5


def server_env(database_url):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({
        "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": database_url, "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 30, "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    })
    return env


def fill(n_actions, n_people=40):
    """One partnership with ``n_people`` members at every mandate level and ``n_actions`` actions."""
    from django.utils import timezone

    from actieplan.models import Action, ActionStatus, BoardDomain, MandateLevel, ReflectionTheme, Role
    from lobplatform.demo import site
    from tests.factories import add_member, make_organisation, make_people, make_user

    site.load()
    people = make_people("bench")
    orgs = [people.organisation] + [make_organisation(people.partnership, name=f"School {i}") for i in range(1, 8)]
    owners = [(people.owner, people.organisation), (people.manager, people.organisation),
              (people.werkgroeplid, people.organisation)]  # so "Mijn acties" has something to show
    for i in range(n_people):
        user = make_user(f"lid{i}", first_name=f"Lid{i}", last_name="Werkgroep")
        org = orgs[i % len(orgs)]
        add_member(people.partnership, user, org, Role.DEELNEMER, MandateLevel(1 + i % 3))
        owners.append((user, org))
    themes = list(ReflectionTheme.objects.all())
    boards = [b for b, _label in BoardDomain.choices]
    statuses = ([ActionStatus.AFGEROND] * 30 + [ActionStatus.OPEN] * 25 + [ActionStatus.BEZIG] * 20
                + [ActionStatus.GEBLOKKEERD] * 10 + [ActionStatus.VERVALLEN] * 15)
    rng = random.Random(37)
    today = timezone.localdate()
    now = timezone.now()
    batch = []
    for i in range(n_actions):
        owner, org = owners[i % len(owners)]
        status = rng.choice(statuses)
        batch.append(Action(
            title=f"Actiepunt {i}: {rng.choice(['LOB-dag', 'stagebank', 'ouderavond', 'warme overdracht', 'loopbaandossier'])}",
            description="Afspraak uit de reflectiesessie; zie het actieplan van de regio.",
            partnership=people.partnership, theme=themes[i % len(themes)], board=boards[i % 3],
            owner=owner, owner_organisation=org, mandate_level=1 + i % 3,
            deadline=today + datetime.timedelta(days=rng.randint(-365, 365)), status=status,
            created_by=people.procesbewaker, created_at=now,
            completed_at=now - datetime.timedelta(days=rng.randint(0, 300)) if status == ActionStatus.AFGEROND else None,
        ))
    Action.objects.bulk_create(batch, batch_size=1000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk insert, before anyone reads it
    return people


def session_cookie(user):
    """A real login session for ``user`` (the same one the login form would create)."""
    from django.conf import settings
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def fetch(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        status = response.status
    return (time.perf_counter() - start) * 1000, status, body


def wait_until_answering(url, cookie, timeout=180):
    """The port opens before the workers have imported everything; wait for a real answer."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fetch(url, cookie)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure(base, cookie, pages, rounds, concurrency, warmup=20):
    for _ in range(warmup):
        for path in pages.values():
            fetch(base + path, cookie)
    timings = {name: [] for name in pages}
    lock = threading.Lock()

    def worker(n):
        rng = random.Random(n)
        names = list(pages)
        for _ in range(rounds // concurrency):
            rng.shuffle(names)
            for name in names:
                ms, status, _body = fetch(base + pages[name], cookie)
                assert status == 200, (name, status)
                with lock:
                    timings[name].append(ms)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings


def profile(user, repeat=20):
    """Where the time goes per page: SQL (count and ms) and the slowest Python functions."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    for path in ("/", "/actieplan/", "/actieplan/bord/", "/actieplan/?status=open", "/actieplan/?mine=on"):
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        start = time.process_time()
        for _ in range(repeat):
            client.get(path)
        cpu = (time.process_time() - start) / repeat * 1000
        print(f"{path:<18} {len(ctx.captured_queries)} queries, {sql_ms:.1f} ms SQL, {cpu:.1f} ms CPU per request")
        for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:160]}")
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(5):
            client.get(path)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(os.environ.get("PROFILE_FILTER", ""), 60)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--database-url", help="use this (empty or already filled) database instead of a fresh "
                                                 "throw-away PostgreSQL")
    parser.add_argument("--profile", action="store_true",
                        help="profile the three pages in-process (Django test client) instead of over HTTP")
    args = parser.parse_args()

    with (nullcontext(args.database_url) if args.database_url else postgres_server()) as database_url:
        os.environ.update(server_env(database_url))
        import django

        django.setup()
        t0 = time.monotonic()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command

        call_command("migrate", verbosity=0)

        from actieplan.models import Action

        existing = get_user_model().objects.filter(username="bench_werkgroeplid").first() if args.database_url else None
        if existing:
            people = type("People", (), {"werkgroeplid": existing})
        else:
            people = fill(args.actions)

        print(f"PostgreSQL gevuld: {Action.objects.count()} acties in 1 samenwerkingsverband "
              f"({time.monotonic() - t0:.0f} s)", flush=True)
        if args.profile:
            return profile(people.werkgroeplid)
        cookie = session_cookie(people.werkgroeplid)
        from django.db import connections

        connections.close_all()

        port = free_port()
        log = tempfile.NamedTemporaryFile(prefix="lob-gunicorn-", suffix=".log", delete=False)
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "lobplatform.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--preload", "--timeout", "120",
             "--access-logfile", "-", "--error-logfile", log.name],
            cwd=ROOT, env=server_env(database_url), stdout=subprocess.DEVNULL, stderr=log,
        )
        try:
            wait_for_port(port, timeout=180)
            base = f"http://127.0.0.1:{port}"
            wait_until_answering(base + "/", cookie)
            from actieplan.models import ReflectionTheme

            theme = ReflectionTheme.objects.order_by("sort_order").values_list("pk", flat=True).first()
            connections.close_all()
            pages = {"plain": "/", "list": "/actieplan/", "board": "/actieplan/bord/",
                     "filtered": f"/actieplan/?status=open&theme={theme}", "mine": "/actieplan/?mine=on"}
            _ms, _status, body = fetch(base + pages["list"], cookie)
            assert f"{args.actions} acties".encode() in body, "the list does not show all actions: not logged in?"
            _ms, _status, body = fetch(base + pages["board"], cookie)
            assert "in de lijst".encode() in body, "the board shows no 'more in the list' links"
            timings = measure(base, cookie, pages, args.rounds, args.concurrency)
        finally:
            server.terminate()
            server.wait(20)

    print(f"gunicorn 2 workers, {args.concurrency} gelijktijdige client(s), {args.rounds} verzoeken per pagina, "
          f"ingelogd als werkgroeplid")
    print(f"{'pagina':<8} {'p50 ms':>8} {'p90 ms':>8} {'gem. ms':>8}")
    p50 = {}
    for name, values in timings.items():
        p50[name] = percentile(values, 50)
        print(f"{name:<8} {p50[name]:8.1f} {percentile(values, 90):8.1f} {statistics.mean(values):8.1f}")
    ok = True
    for name in ("list", "board", "filtered", "mine"):
        ratio = p50[name] / p50["plain"]
        ok &= ratio <= TARGET
        print(f"ratio {name}/plain (p50): {ratio:.2f}  (doel ≤ {TARGET})")
    print("OK" if ok else "BOVEN HET DOEL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
