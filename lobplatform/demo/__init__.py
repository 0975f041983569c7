"""Demo content, written from the five source documents (see ../shared/seeds/README.md).

Each app contributes a loader (a function ``load(stdout)``); ``LOB_DEMO_LOADERS`` lists them in
the order they depend on each other. Every loader is idempotent: it looks things up by a natural
key and creates only what is missing, so loading twice duplicates nothing.
"""

import time

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from actieplan.actions import demo as demo_actions
from actieplan.reminders.notifications import muted


# What each part holds, as the person starting the demo reads it; a site's own loaders show their path.
LABELS = {
    "lobplatform.demo.site.load": "startpagina en toegankelijkheidsverklaring",
    "actieplan.partnerships.demo.load": "samenwerkingsverband VSV-regio 37, organisaties en demo-accounts",
    "good_practices.demo.load": "Het delen waard (good practices) en de proeftuinen",
    "actieplan.reflection.demo.load": "drie reflectiesessies over twee jaar",
    "actieplan.actions.demo.load": "het actieplan: acties met hun tijdlijn",
    "actieplan.meetings.demo.load": "overleggen: een maandelijkse werkgroep en het bestuur per kwartaal",
    "actieplan.progress.demo.load": "de voortgangspagina voor het bestuur",
    "lobplatform.demo.region2.load": "een tweede regio, RMC-regio Rijnmond, met een eigen site (regio2.localhost)",
}


#: Loader paths from before the action plan was laid out by capability (0.1), still accepted in a site's
#: ``LOB_DEMO_LOADERS``.
MOVED_LOADERS = {
    "actieplan.demo.partnership.load": "actieplan.partnerships.demo.load",
    "actieplan.demo.reflection.load": "actieplan.reflection.demo.load",
    "actieplan.demo.actions.load": "actieplan.actions.demo.load",
    "actieplan.demo.meetings.load": "actieplan.meetings.demo.load",
    "actieplan.demo.progress.load": "actieplan.progress.demo.load",
}


def load_all(stdout=None):
    """Run every loader in order; with ``stdout``, say per part what it loads and how long it took."""
    # A run starts knowing of no action it made (as every run of the command does, in its own process).
    demo_actions.made_now.clear()
    loaders = [MOVED_LOADERS.get(dotted, dotted) for dotted in settings.LOB_DEMO_LOADERS]
    # Demo actions are history, not news: loading them must not mail their owners.
    with muted():
        for number, dotted in enumerate(loaders, start=1):
            loader = import_string(dotted)
            started = time.monotonic()
            if stdout is not None:
                stdout.write(f"    [{number}/{len(loaders)}] {LABELS.get(dotted, dotted)} …")
                stdout.flush()
            with transaction.atomic():
                loader(stdout)
            if stdout is not None:
                stdout.write(f"          klaar in {time.monotonic() - started:.1f} s")
