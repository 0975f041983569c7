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
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (  # noqa: E402
    fetch, gunicorn, measure, migrated_database, print_ratios, print_timings, session_cookie, vacuum_analyze,
)

TARGET = 1.5


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
    vacuum_analyze()
    return people


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
        # Kept now: the next request empties the query log when it starts (request_started).
        queries = list(ctx.captured_queries)
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        start = time.process_time()
        for _ in range(repeat):
            client.get(path)
        cpu = (time.process_time() - start) / repeat * 1000
        print(f"{path:<18} {len(queries)} queries, {sql_ms:.1f} ms SQL, {cpu:.1f} ms CPU per verzoek")
        for q in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:160]}")
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(5):
            client.get(path)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(os.environ.get("PROFILE_FILTER", ""), 60)
    return 0


def main():
    parser = argparse.ArgumentParser(description="Meting: actielijst en actiebord met 10.000 acties naast een gewone Wagtail-pagina; zie de docstring van het script voor de opzet.")
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--database-url", help="deze (lege of al gevulde) database in plaats van een nieuwe "
                                                 "wegwerp-PostgreSQL")
    parser.add_argument("--profile", action="store_true",
                        help="profileer de pagina's in dit proces (Django-testclient) in plaats van over HTTP")
    args = parser.parse_args()

    with migrated_database(args.database_url) as database_url:
        t0 = time.monotonic()
        from django.contrib.auth import get_user_model

        from actieplan.models import Action, ReflectionTheme

        existing = get_user_model().objects.filter(username="bench_werkgroeplid").first() if args.database_url else None
        user = existing or fill(args.actions).werkgroeplid
        print(f"PostgreSQL gevuld: {Action.objects.count()} acties in 1 samenwerkingsverband "
              f"({time.monotonic() - t0:.0f} s)", flush=True)
        if args.profile:
            return profile(user)
        cookie = session_cookie(user)
        theme = ReflectionTheme.objects.order_by("sort_order").values_list("pk", flat=True).first()
        pages = {"plain": "/", "list": "/actieplan/", "board": "/actieplan/bord/",
                 "filtered": f"/actieplan/?status=open&theme={theme}", "mine": "/actieplan/?mine=on"}
        with gunicorn(database_url, cookie) as base:
            _ms, _status, body = fetch(base + pages["list"], cookie)
            assert f"{args.actions} acties".encode() in body, "de lijst toont niet alle acties: niet ingelogd?"
            _ms, _status, body = fetch(base + pages["board"], cookie)
            assert "in de lijst".encode() in body, "het bord toont geen links 'in de lijst'"
            timings = measure(base, cookie, pages, args.rounds, args.concurrency)

    print(f"gunicorn 2 workers, {args.concurrency} gelijktijdige client(s), {args.rounds} verzoeken per pagina, "
          f"ingelogd als werkgroeplid")
    p50 = print_timings(timings)
    return 0 if print_ratios(p50, ("list", "board", "filtered", "mine"), TARGET) else 1


if __name__ == "__main__":
    sys.exit(main())
