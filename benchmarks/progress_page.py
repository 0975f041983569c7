"""Benchmark: the Voortgang page with 10,000 actions and 200 reflection sessions against a plain Wagtail page.

    .venv/bin/python benchmarks/progress_page.py [--actions 10000] [--sessions 200] [--rounds 200]

Starts its own PostgreSQL, migrates, fills one partnership (the action list benchmark's fill: 42
owners, eight organisations, every status and mandate level) with actions agreed over two years,
deadline changes on a fifth of them, ``--sessions`` reflection sessions of five respondents each and a
board meeting; serves the site with gunicorn (2 workers) and measures over HTTP, as a bestuurder,
the home page (a plain Wagtail page) and the Voortgang page, interleaved. Prints p50/p90 and the
ratio (target ≤ 1.5), then the page with a cold report cache (a new "sinds" date per request, so
every request computes every figure), and the PDF's time.
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (  # noqa: E402
    fetch, gunicorn, measure, migrated_database, percentile, print_ratios, print_timings, session_cookie,
    vacuum_analyze,
)
from benchmarks.actions_list import fill  # noqa: E402

TARGET = 1.5


def fill_progress(n_actions, n_sessions):
    from django.db import connection
    from django.utils import timezone

    from actieplan.progress.demo import ensure_progress_page
    from actieplan.models import (
        Action, ActionUpdate, Meeting, MeetingKind, ReflectionQuestion, ReflectionResponse, ReflectionScore,
        ReflectionSession,
    )

    people = fill(n_actions)
    now = timezone.now()
    rng = random.Random(12)
    with connection.cursor() as cursor:  # agreed over two years, not all at once
        cursor.execute("UPDATE actieplan_action SET created_at = %s - (id %% 730) * interval '1 day'", [now])
    ids = list(Action.objects.values_list("pk", "deadline"))
    updates = []
    for pk, deadline in rng.sample(ids, len(ids) // 5):
        for k in range(rng.randint(1, 3)):
            updates.append(ActionUpdate(action_id=pk, note=f"Uitgesteld: wacht op de werkgevers ({k + 1})",
                                        created_at=now - datetime.timedelta(days=rng.randint(1, 300)),
                                        previous_deadline=deadline - datetime.timedelta(days=30 * (k + 1)),
                                        new_deadline=deadline))
        updates.append(ActionUpdate(action_id=pk, note="Besproken in de werkgroep.", created_at=now))
    ActionUpdate.objects.bulk_create(updates, batch_size=2000)
    questions = list(ReflectionQuestion.objects.filter(is_active=True))
    sessions = ReflectionSession.objects.bulk_create([
        ReflectionSession(partnership=people.partnership, title=f"Reflectiesessie {i + 1}",
                          date=timezone.localdate() - datetime.timedelta(days=7 * (n_sessions - i)),
                          code=f"bench{i:04d}")
        for i in range(n_sessions)])
    responses = ReflectionResponse.objects.bulk_create([
        ReflectionResponse(session=s, respondent_token=f"bench-{s.pk}-{k}") for s in sessions for k in range(5)])
    ReflectionScore.objects.bulk_create([
        ReflectionScore(response=r, question=q, score=rng.randint(1, 5)) for r in responses for q in questions],
        batch_size=5000)
    Meeting.objects.create(partnership=people.partnership, kind=MeetingKind.BESTUUR, title="Bestuurlijk overleg",
                           starts_at=now - datetime.timedelta(days=40))
    page = ensure_progress_page(people.partnership)
    vacuum_analyze()
    return people, page


def profile(user, page):
    """The SQL of one request with a cold cache, slowest first, and the time spent outside SQL."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    client.get(page.url)
    cache.clear()
    client.force_login(user)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        client.get(page.url)
    total = (time.perf_counter() - start) * 1000
    sql = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    print(f"koud: {total:.0f} ms, {len(ctx.captured_queries)} queries, {sql:.0f} ms SQL")
    for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:10]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:220]}")
    return 0


def main():
    parser = argparse.ArgumentParser(description="Meting: de Voortgang-pagina met 10.000 acties en 200 reflectiesessies naast een gewone Wagtail-pagina, koud en als PDF.")
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--cold", type=int, default=20, help="verzoeken met een koude rapportcache")
    parser.add_argument("--pdf", type=int, default=5, help="PDF-downloads om te timen")
    parser.add_argument("--profile", action="store_true", help="toon in plaats daarvan de SQL van één koud verzoek")
    args = parser.parse_args()

    with migrated_database() as database_url:
        t0 = time.monotonic()
        from actieplan.models import Action, ReflectionScore

        people, page = fill_progress(args.actions, args.sessions)
        print(f"PostgreSQL gevuld: {Action.objects.count()} acties, {args.sessions} reflectiesessies "
              f"({ReflectionScore.objects.count()} scores) ({time.monotonic() - t0:.0f} s)", flush=True)
        if args.profile:
            return profile(people.bestuurder, page)
        cookie = session_cookie(people.bestuurder)
        with gunicorn(database_url, cookie) as base:
            pages = {"plain": "/", "voortgang": page.url}
            _ms, status, body = fetch(base + page.url, cookie)
            assert status == 200 and b'data-figure="agreed"' in body, "niet de Voortgang-pagina: niet ingelogd?"
            timings = measure(base, cookie, pages, args.rounds, 1)
            day0 = datetime.date(2020, 1, 1)
            cold = [fetch(f"{base}{page.url}?sinds={day0 + datetime.timedelta(days=i)}", cookie)[0]
                    for i in range(args.cold)]
            pdf = []
            for i in range(args.pdf):
                # A new "sinds" date each time: the PDF is rendered, not read from the cache.
                ms, status, body = fetch(f"{base}{page.url}?formaat=pdf&sinds={day0 + datetime.timedelta(days=500 + i)}",
                                         cookie)
                assert status == 200 and body.startswith(b"%PDF"), status
                pdf.append(ms)
            pdf_size = len(body)

    print(f"gunicorn 2 workers, 1 client, {args.rounds} verzoeken per pagina, ingelogd als bestuurder")
    p50 = print_timings(timings, width=22)
    print(f"{'voortgang (koud)':<22} {percentile(cold, 50):8.1f} {percentile(cold, 90):8.1f} "
          f"{sum(cold) / len(cold):8.1f}   ({len(cold)} verzoeken, elk alle cijfers opnieuw berekend)")
    print(f"{'PDF':<22} {percentile(pdf, 50):8.1f} {max(pdf):8.1f} {sum(pdf) / len(pdf):8.1f}   "
          f"({len(pdf)} downloads, {pdf_size // 1024} kB)")
    print(f"ratio voortgang koud/plain (p50): {percentile(cold, 50) / p50['plain']:.2f}")
    return 0 if print_ratios(p50, ("voortgang",), TARGET) else 1


if __name__ == "__main__":
    sys.exit(main())
