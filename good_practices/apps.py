from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from actieplan.compat import check_versions

# Before any model or admin module imports a Wagtail API: an unsupported Wagtail stops here, with one line.
check_versions()


class GoodPracticesConfig(AppConfig):
    """The library "Het delen waard" and the proeftuinen. ``ready`` keeps the library's cached facets and search
    hits (``actieplan.caching``, name "library") in step with every page and vocabulary change, and the words the
    library suggests ("Bedoelde je: …") in step with what is published."""

    name = "good_practices"
    verbose_name = _("Het delen waard")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from actieplan import caching
        from actieplan.actions.models import Action, ActionUpdate
        from actieplan.partnerships.models import Partnership, Region
        from actieplan.search import vocabulary
        from good_practices import experiences, search, taxonomy
        from good_practices.models import GoodPracticePage
        from good_practices.search import LIBRARY

        caching.bump_on_change(LIBRARY, Page, PageViewRestriction, Region, taxonomy.Taxonomy,
                               m2m=[PageViewRestriction.groups.through])
        # The experiences shared on a practice's page: any action, note, link or partnership choice may change them.
        caching.bump_on_change(experiences.CACHE_NAME, Action, ActionUpdate, Partnership,
                               m2m=[Action.linked_pages.through])

        def library_changed(**_kwargs):
            caching.bump(LIBRARY)

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(library_changed, weak=False, dispatch_uid=f"good_practices-library-{signal}")

        # The library's vocabulary for "Bedoelde je: …" (each published practice's words, and a full rebuild) and
        # its search index with the taxonomy links saved.
        page_published.connect(search.on_practice_published, sender=GoodPracticePage,
                               dispatch_uid="good_practices-vocabulary")
        vocabulary.register_source(vocabulary.LIBRARY_SCOPE,
                                   lambda: search.library_texts(GoodPracticePage.objects.live()))
