"""Benchmark: the plan search over 10,000 actions and 50,000 progress notes, and "Sinds je laatste bezoek" for a
person who follows 200 actions, against a plain Wagtail page, in one run.

    .venv/bin/python benchmarks/plan_search.py [--actions 10000] [--notes 50000] [--follows 200] [--rounds 300]
                                               [--concurrency 1] [--database-url URL] [--koud] [--profile]

``--koud`` makes every request a first one (the search and "since" cache versions move on before each request,
outside its time); without it, repeated requests are served from those caches, as a person paging back is.
``--database-url`` reuses a database (filled on the first run) instead of a throw-away server; ``--profile``
shows per page the SQL and the slowest functions, in-process, instead of measuring.

Starts its own PostgreSQL (tests.services.postgres_server), migrates, fills one partnership with ``--actions``
actions (as benchmarks/actions_list.py does), ``--notes`` progress notes spread over the last 90 days (each a
recorded change, as the timeline's notes are), 200 meetings with agenda items and decisions and 60 reflection
sessions with comments, builds the search vocabulary, and lets a bestuurder follow ``--follows`` actions. It
serves the site with gunicorn (2 workers, like production) and measures over HTTP, logged in as that
bestuurder, the home page (a plain Wagtail page), a search for a common word ("stage": thousands of hits), a
search for two words, a search with a typo ("Bedoelde je") and the "since" page. The pages are requested
interleaved so machine noise hits them alike. Prints p50/p90 per page and the ratio of each to the plain page
(targets: search ≤ 2, since ≤ 1.5).
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

SEARCH_TARGET = 2.0
SINCE_TARGET = 1.5

#: What notes talk about: a hundred words of the field (three start with "stage"), and the small words between.
WORDS = """stage stagebank stageplekken werkgevers Summa Ergon overdracht ouderavond loopbaandossier mentor decanen
gemeente leerwerkbedrijf doorstroom praktijkroute entree vervolgopleiding meeloopdag zorg techniek bouw horeca
afspraak besproken gebeld gemaild toegezegd planning uitgesteld voorstel werkgroep bestuur netwerk rapportage
leerlingen ouders docenten mbo havo vmbo praktijkonderwijs vso schoolverlaters uitval startkwalificatie jongeren
begeleiding coach stagecoördinator leerbedrijf bpv beroepspraktijkvorming open dag voorlichting keuzegesprek
studiekeuze portfolio reflectie gesprek vragenlijst evaluatie subsidie begroting offerte contract convenant
wethouder ambtenaar leerplicht rmc jeugdzorg wijkteam uwv werkplein sociaal werkbedrijf banenafspraak
taalniveau nieuwkomers statushouders inburgering schakelklas entreeopleiding niveau examen diploma certificaat
rooster lokaal bus vervoer kosten factuur handtekening verslag notulen agenda""".split()
FILLER = "de het een en van met voor over bij op in naar is zijn wordt komt staat nog ook al dan".split()


def sentence(rng, n=18):
    return " ".join(rng.choice(WORDS if rng.random() < 0.15 else FILLER) for _ in range(n)).capitalize() + "."


def fill(n_actions, n_notes, n_follows):
    """The action list's plan plus notes (each with its recorded change), meetings, sessions and follows."""
    from django.utils import timezone

    from actieplan.models import (
        Action, ActionUpdate, AgendaItem, Change, ChangeKind, Decision, Follow, FollowerSettings, Meeting,
        ReflectionQuestion, ReflectionResponse, ReflectionScore, ReflectionSession,
    )
    from actieplan.search import vocabulary
    from benchmarks.actions_list import fill as fill_actions

    people = fill_actions(n_actions)
    rng = random.Random(27)
    now = timezone.now()
    actions = list(Action.objects.values_list("pk", "owner_id"))
    updates = []
    for i in range(n_notes):
        action_id, owner_id = actions[i % len(actions)]
        updates.append(ActionUpdate(action_id=action_id, author_id=owner_id, note=sentence(rng, rng.randint(10, 30)),
                                    created_at=now - datetime.timedelta(minutes=rng.randint(1, 90 * 24 * 60))))
    ActionUpdate.objects.bulk_create(updates, batch_size=5000)
    Change.objects.bulk_create(
        [Change(kind=ChangeKind.NOTE, action_id=a, update_id=u, actor_id=author, created_at=moment)
         for u, a, author, moment in ActionUpdate.objects.values_list("pk", "action_id", "author_id", "created_at")],
        batch_size=5000)

    for m in range(200):
        meeting = Meeting.objects.create(partnership=people.partnership, title=f"Werkgroep {rng.choice(WORDS)} {m}",
                                         starts_at=now - datetime.timedelta(days=m * 2), chair=people.procesbewaker)
        for position in range(4):
            item = AgendaItem.objects.create(meeting=meeting, position=position, title=sentence(rng, 4),
                                             notes=sentence(rng, 30))
            Decision.objects.create(item=item, text=sentence(rng, 12))
    question = ReflectionQuestion.objects.order_by("theme__sort_order", "number").first()
    for s in range(60):
        session = ReflectionSession.objects.create(partnership=people.partnership, title=f"Sessie {s}")
        for _r in range(6):
            response = ReflectionResponse.objects.create(session=session)
            ReflectionScore.objects.create(response=response, question=question, score=3,
                                           comment=sentence(rng, 15))

    bestuurder = people.bestuurder
    followed = rng.sample([pk for pk, _owner in actions], n_follows)
    Follow.objects.bulk_create([Follow(user=bestuurder, action_id=pk, created_at=now - datetime.timedelta(days=120))
                                for pk in followed], ignore_conflicts=True)
    FollowerSettings.objects.update_or_create(user=bestuurder, defaults={"seen_at": now - datetime.timedelta(days=7)})
    vocabulary.rebuild()
    vacuum_analyze()
    return bestuurder


def profile(user, paths, repeat=20):
    """Where the time goes per page: SQL (count and ms) and the slowest Python functions."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        queries = list(ctx.captured_queries)
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        start = time.process_time()
        for _ in range(repeat):
            client.get(path)
        cpu = (time.process_time() - start) / repeat * 1000
        print(f"{path:<40} {len(queries)} queries, {sql_ms:.1f} ms SQL, {cpu:.1f} ms CPU per verzoek")
        for q in sorted(queries, key=lambda q: -float(q["time"]))[:4]:
            print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:200]}")
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(5):
            client.get(path)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(os.environ.get("PROFILE_FILTER", ""), 40)
    return 0


def every_request_cold(_name):
    """``--koud``: before a request, what the search and the since page cached is stale (every page alike, the
    plain page's header count included)."""
    from actieplan import caching

    caching.bump("search", "following")


def main():
    parser = argparse.ArgumentParser(description="Meting: zoeken in het actieplan (10.000 acties, 50.000 notities) en "
                                                 "'Sinds je laatste bezoek' (200 gevolgde acties) naast een gewone "
                                                 "Wagtail-pagina; zie de docstring van het script voor de opzet.")
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=50_000)
    parser.add_argument("--follows", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--database-url", help="deze (lege of al gevulde) database in plaats van een nieuwe "
                                                 "wegwerp-PostgreSQL")
    parser.add_argument("--koud", "--cold", dest="cold", action="store_true",
                        help="elk verzoek koud: de cacheversies van zoeken en 'sinds' gaan vóór elk verzoek een stap "
                             "verder (buiten de gemeten tijd), zoals bij een eerste zoekopdracht")
    parser.add_argument("--profile", action="store_true",
                        help="profileer de pagina's in dit proces (Django-testclient) in plaats van over HTTP")
    args = parser.parse_args()

    with migrated_database(args.database_url) as database_url:
        t0 = time.monotonic()
        from django.contrib.auth import get_user_model

        from actieplan.models import Action, ActionUpdate, Follow

        existing = get_user_model().objects.filter(username="bench_bestuurder").first() if args.database_url else None
        user = existing or fill(args.actions, args.notes, args.follows)
        print(f"PostgreSQL gevuld: {Action.objects.count()} acties, {ActionUpdate.objects.count()} notities, "
              f"{Follow.objects.filter(user=user).count()} gevolgd door de bestuurder "
              f"({time.monotonic() - t0:.0f} s)", flush=True)
        pages = {"plain": "/", "search": "/actieplan/zoeken/?q=stage",
                 "search2": "/actieplan/zoeken/?q=stagebank+Summa", "typo": "/actieplan/zoeken/?q=stagbank",
                 "since": "/actieplan/sinds/"}
        if args.profile:
            return profile(user, list(pages.values()))
        cookie = session_cookie(user)
        with gunicorn(database_url, cookie) as base:
            _ms, _status, body = fetch(base + pages["search"], cookie)
            assert "resultaten voor".encode() in body, "de zoekpagina vindt niets: niet ingelogd?"
            _ms, _status, body = fetch(base + pages["typo"], cookie)
            assert "Bedoelde je".encode() in body, "geen 'Bedoelde je' bij een tikfout"
            _ms, _status, body = fetch(base + pages["since"], cookie)
            assert "since-item".encode() in body, "'Sinds je laatste bezoek' toont niets"
            timings = measure(base, cookie, pages, args.rounds, args.concurrency,
                              before=every_request_cold if args.cold else None)

    print(f"gunicorn 2 workers, {args.concurrency} gelijktijdige client(s), {args.rounds} verzoeken per pagina, "
          f"ingelogd als bestuurder" + (", elk verzoek koud (caches van zoeken en 'sinds' vervallen)" if args.cold
                                        else ", herhaalde verzoeken (de caches werken mee)"))
    p50 = print_timings(timings)
    searched = print_ratios(p50, ("search", "search2", "typo"), SEARCH_TARGET)
    since = print_ratios(p50, ("since",), SINCE_TARGET)
    return 0 if searched and since else 1


if __name__ == "__main__":
    sys.exit(main())
