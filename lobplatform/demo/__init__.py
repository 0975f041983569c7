"""Demo content, written from the five source documents (see ../shared/seeds/README.md).

Each app contributes a loader (a function ``load(stdout)``); ``LOB_DEMO_LOADERS`` lists them in
the order they depend on each other. Every loader is idempotent: it looks things up by a natural
key and creates only what is missing, so loading twice duplicates nothing.
"""

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string


def load_all(stdout=None):
    from actieplan.notifications import muted

    # Demo actions are history, not news: loading them must not mail their owners.
    with muted():
        for dotted in settings.LOB_DEMO_LOADERS:
            loader = import_string(dotted)
            with transaction.atomic():
                loader(stdout)
