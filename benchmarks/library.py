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
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import (  # noqa: E402
    fetch, gunicorn, measure, migrated_database, print_ratios, print_timings, vacuum_analyze,
)

TARGET = 2.0
QUERY = "?thema=sluitende-transities&overgang=vo-mbo&q=stage"
WORDS = ["stageplaatsen", "ouderbetrokkenheid", "warme overdracht", "loopbaangesprek", "mentor", "bedrijfsbezoek",
         "keuzedeel", "nazorg", "netwerk", "gastles", "loopbaandossier", "doorstroom", "praktijkleren"]


def fill(n):
    """The demo site plus ``n`` generated practices in its library, each with a theme and one or two transitions."""
    from actieplan.models import Region
    from good_practices import demo
    from good_practices.models import DelenWaardTheme, GoodPracticeIndexPage, Transition
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
    parser = argparse.ArgumentParser(description="Meting: de bibliotheek \"Het delen waard\" met 2.000 good practices, twee filters en een zoekterm, naast een gewone Wagtail-pagina.")
    parser.add_argument("--practices", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--database-url", help="deze (lege of al gevulde) database")
    args = parser.parse_args()

    with migrated_database(args.database_url) as database_url:
        t0 = time.monotonic()
        from good_practices.models import GoodPracticeIndexPage, GoodPracticePage

        if not GoodPracticePage.objects.filter(slug="aanpak-0").exists():
            fill(args.practices)
        vacuum_analyze()
        library = GoodPracticeIndexPage.objects.get()
        print(f"PostgreSQL gevuld: {GoodPracticePage.objects.count()} good practices "
              f"({time.monotonic() - t0:.0f} s)", flush=True)
        library_path = library.url + QUERY
        pages = {"plain": "/", "library": library_path}
        with gunicorn(database_url) as base:
            _ms, _status, body = fetch(base + library_path)
            text = body.decode()
            assert "gevonden voor" in text and "<mark>" in text, "de bibliotheek vond niets voor de zoekterm"
            found = text.split('class="gp-count">', 1)[1].split("good practice", 1)[0].strip()
            timings = measure(base, "", pages, args.rounds, args.concurrency)

    print(f"gunicorn 2 workers, {args.concurrency} gelijktijdige client(s), {args.rounds} verzoeken per pagina, "
          f"anoniem; bibliotheek {library_path} gaf {found} resultaten")
    p50 = print_timings(timings)
    return 0 if print_ratios(p50, ("library",), TARGET) else 1


if __name__ == "__main__":
    sys.exit(main())
