"""Benchmark: the library "Het delen waard" with 2,000 good practices, two facets and a search term, against a
plain Wagtail page, in one run.

    .venv/bin/python benchmarks/library.py [--practices 2000] [--rounds 200] [--database-url URL]

Starts its own PostgreSQL (tests.services.postgres_server), migrates, loads the demo site and adds
``--practices`` generated good practices (tagged with the real taxonomies, searchable through Wagtail's
index), serves the site with gunicorn (2 workers) and measures over HTTP, as an anonymous visitor, the
home page (a plain Wagtail page) and the library with ``thema``, ``overgang`` and ``q=stage``, interleaved.
Prints p50/p90 per page and the ratio library/plain (target ≤ 2).
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.actions_list import fetch, measure, percentile, server_env, wait_until_answering  # noqa: E402
from tests.services import free_port, postgres_server, wait_for_port  # noqa: E402

TARGET = 2.0
QUERY = "?thema=sluitende-transities&overgang=vo-mbo&q=stage"
WORDS = ["stageplaatsen", "ouderbetrokkenheid", "warme overdracht", "loopbaangesprek", "mentor", "bedrijfsbezoek",
         "keuzedeel", "nazorg", "netwerk", "gastles", "loopbaandossier", "doorstroom", "praktijkleren"]


def fill(n):
    """The demo site plus ``n`` generated practices in its library, each with a theme and one or two transitions."""
    from actieplan.models import Region
    from good_practices import demo
    from good_practices.models import DelenWaardTheme, GoodPracticeIndexPage, GoodPracticePage, Transition
    from lobplatform.demo import site

    site.load()
    demo.load()  # the library with the 40 real practices from the sources
    library = GoodPracticeIndexPage.objects.get()
    themes = list(DelenWaardTheme.objects.all())
    transitions = list(Transition.objects.all())
    regions = list(Region.objects.all()) or [None]
    from django.db import transaction

    rng = random.Random(15)
    t0 = time.monotonic()
    with transaction.atomic():
        _add(library, n, rng, themes, transitions, regions, t0)
    return library


def _add(library, n, rng, themes, transitions, regions, t0):
    from good_practices.models import GoodPracticePage

    for i in range(n):
        a, b = rng.sample(WORDS, 2)
        page = GoodPracticePage(
            title=f"Aanpak {i}: {a} en {b}", slug=f"aanpak-{i}", live=True,
            summary=f"Een school in de regio werkt aan {a}. Samen met partners ontstond een aanpak rond {b} "
                    f"die het delen waard is.",
            body=[{"type": "paragraph", "value": f"<p>Hoe het werkt: {a}, {b} en een vaste contactpersoon.</p>"}],
            region=rng.choice(regions),
        )
        page.themes.set([rng.choice(themes)])
        page.transitions.set(rng.sample(transitions, rng.choice([1, 2])))
        library.add_child(instance=page)
        if i % 250 == 0:
            print(f"  … {i} good practices ({time.monotonic() - t0:.0f} s)", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--database-url", help="use this (empty or already filled) database")
    args = parser.parse_args()

    with (nullcontext(args.database_url) if args.database_url else postgres_server()) as database_url:
        os.environ.update(server_env(database_url))
        import django

        django.setup()
        t0 = time.monotonic()
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("migrate", verbosity=0)
        from good_practices.models import GoodPracticeIndexPage, GoodPracticePage

        if not GoodPracticePage.objects.filter(slug="aanpak-0").exists():
            fill(args.practices)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would before the pages are read
        library = GoodPracticeIndexPage.objects.get()
        print(f"PostgreSQL gevuld: {GoodPracticePage.objects.count()} good practices "
              f"({time.monotonic() - t0:.0f} s)", flush=True)
        library_path = library.url + QUERY
        connections.close_all()

        port = free_port()
        log = tempfile.NamedTemporaryFile(prefix="lob-gunicorn-", suffix=".log", delete=False)
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "lobplatform.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--preload", "--timeout", "120", "--error-logfile", log.name],
            cwd=ROOT, env=server_env(database_url), stdout=subprocess.DEVNULL, stderr=log,
        )
        try:
            wait_for_port(port, timeout=180)
            base = f"http://127.0.0.1:{port}"
            wait_until_answering(base + "/", "")
            pages = {"plain": "/", "library": library_path}
            _ms, _status, body = fetch(base + library_path, "")
            text = body.decode()
            assert "gevonden voor" in text and "<mark>" in text, "the library found nothing for the search term"
            found = text.split('class="gp-count">', 1)[1].split("good practice", 1)[0].strip()
            timings = measure(base, "", pages, args.rounds, args.concurrency)
        finally:
            server.terminate()
            server.wait(20)

    print(f"gunicorn 2 workers, {args.concurrency} gelijktijdige client(s), {args.rounds} verzoeken per pagina, "
          f"anoniem; bibliotheek {library_path} gaf {found} resultaten")
    print(f"{'pagina':<8} {'p50 ms':>8} {'p90 ms':>8} {'gem. ms':>8}")
    p50 = {}
    for name, values in timings.items():
        p50[name] = percentile(values, 50)
        print(f"{name:<8} {p50[name]:8.1f} {percentile(values, 90):8.1f} {statistics.mean(values):8.1f}")
    ratio = p50["library"] / p50["plain"]
    print(f"ratio library/plain (p50): {ratio:.2f}  (doel ≤ {TARGET})")
    print("OK" if ratio <= TARGET else "BOVEN HET DOEL")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
