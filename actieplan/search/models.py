"""The vocabulary the searches suggest from ("Bedoelde je: …")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    """One word that occurs in the texts of one scope: a partnership's plan (``plan-<id>``) or the library
    (``bibliotheek``). A misspelt search word is compared with these (trigram similarity, pg_trgm on
    PostgreSQL) and the closest one is offered, but only when searching for it finds something the person may
    read, so a word from a text they cannot read is never shown.

    Rows are added when texts are saved and by ``manage.py update_search_words``; a word whose text was deleted
    stays (harmless: it is offered only when it still finds something)."""

    scope = models.CharField(_("scope"), max_length=40)
    word = models.CharField(_("word"), max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "word"], name="search_word_unique")]
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return f"{self.scope}: {self.word}"
