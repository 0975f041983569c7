"""The editor's page form for the library and the proeftuinen: a forgotten draft does not block a new page.

Wagtail saves a new page as a draft while the editor types (autosave). A page that was started and abandoned stays
behind as a never-published draft with the same web address (slug), and a new page with the same title was then
refused by a message on the hidden "Promoten" tab. Now a never-published draft only moves the new page to a free
address ("-2"); a clash with a page that is, or once was, published is said at the top of the form, with where
that page is.
"""

from django.forms import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page


def abandoned_draft(page):
    """A page that was never published (and is not live): an autosaved start, or a draft nobody finished."""
    return not page.live and page.first_published_at is None and page.last_published_at is None


class DraftAwarePageForm(WagtailAdminPageForm):
    def _clash(self, slug):
        if not slug or self.parent_page is None:
            return None
        siblings = self.parent_page.get_children().filter(slug=slug)
        if self.instance.pk is not None:
            siblings = siblings.exclude(pk=self.instance.pk)
        return siblings.first()

    def _free_slug(self, slug):
        for n in range(2, 1000):
            candidate = f"{slug[:250]}-{n}"
            if Page._slug_is_available(candidate, self.parent_page, self.instance):
                return candidate
        return slug

    def clean(self):
        slug = self.cleaned_data.get("slug")
        clash = self._clash(slug)
        if clash is not None and self.instance.pk is None and abandoned_draft(clash):
            self.cleaned_data["slug"] = self._free_slug(slug)
            clash = None
        cleaned = super().clean()
        if clash is not None and "slug" in self.errors:
            self.add_error(None, ValidationError(_(
                "The web address ‘%(slug)s’ is already used by the page ‘%(title)s’ (%(state)s) in the same "
                "place: /admin/pages/%(id)s/edit/. Choose a different title, or change the web address on "
                "the ‘Promote’ tab.") % {"slug": slug, "title": clash.title, "id": clash.pk,
                                  "state": _("published") if clash.live else _("draft")}))
        return cleaned
