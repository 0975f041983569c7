"""Search that finds what people mean: Dutch word forms and parts of words, on SQLite and PostgreSQL alike.

A visitor types "stage", "stages" or "stageplaats" and expects "stageplaatsen"; "ouder" and
"betrokkenheid" should both find "ouderbetrokkenheid". Wagtail's search backend matches whole words
(with Dutch stemming on PostgreSQL), so each word of the query is matched three ways and a page that
matches any of them matches that word:

1. Wagtail full-text search (``.search``): ranking fields, the body, related names; on PostgreSQL with
   the Dutch configuration (``SEARCH_CONFIG``), so "ouders" also finds "ouder".
2. Wagtail autocomplete (``.autocomplete``) on the light Dutch stem of the word: a prefix match on the
   ``AutocompleteField``\\s, so "stages" (stem "stage") finds "stageplaatsen" on both databases.
3. A substring match on a few short fields (title, summary), for the later parts of compound words.

Every word must match (AND). Only letters and digits reach the backend: quotes, brackets and operators
of the full-text syntax are separators, so no input can make the query fail. Reading a query (words, the light
stem) is ``actieplan.search.text``, shared with the plan search.

Typo tolerance: when a search finds nothing, each word that finds nothing on its own is replaced by the closest
word of the library's vocabulary (``actieplan.search.vocabulary``, scope ``bibliotheek``: the words of the
published practices; trigram similarity, pg_trgm on PostgreSQL) and, if that finds practices, the library
shows those with "Bedoelde je: …" (:func:`correction`).
"""

from functools import reduce
from operator import and_, or_

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.html import strip_tags
from wagtail.search import index

from actieplan import caching
from actieplan.search import vocabulary
from actieplan.search.text import MIN_SUBSTRING, stem, terms, words  # noqa: F401 (the library's API)

#: The name (``actieplan.caching``) of everything cached for the library: the facet block and search hits.
LIBRARY = "library"


def condition(search_in, query, *, contains=("title",), cache_as=None):
    """A ``Q`` for the items of ``search_in`` that match every word of ``query``; ``None`` without words.

    ``search_in`` is a queryset the search backend can run on (only its filter fields); apply the
    ``Q`` to any queryset of the same model. ``contains`` names the fields matched as a substring
    (keep them short: they are scanned). Costs two search queries per word, whatever the number of
    results. With ``cache_as`` (a name for ``search_in``) the backend's hits per word are cached until
    the library changes (``actieplan.caching``, name :data:`LIBRARY`).
    """
    queryset = search_in
    found = []
    for word in words(query):
        part = stem(word)
        ids = _backend_hits(queryset, word, part, cache_as)
        condition = Q(pk__in=ids)
        # The word as typed and its stem: a Dutch stem can drop a doubled vowel ("doorstroom" -> "doorstrom").
        for term in {word, part}:
            if len(term) >= MIN_SUBSTRING:
                condition = reduce(or_, (Q(**{f"{field}__icontains": term}) for field in contains), condition)
        found.append(condition)
    if not found:
        return None
    return reduce(and_, found)


def relevance(terms, field="title"):
    """Order: every term in the title first, then some, then the rest (an ``order_by`` prefix)."""
    terms = [term for term in terms if len(term) >= MIN_SUBSTRING]
    if not terms:
        return ()
    hits = [Q(**{f"{field}__icontains": term}) for term in terms]
    return (Case(When(reduce(and_, hits), then=Value(0)), When(reduce(or_, hits), then=Value(1)),
                 default=Value(2), output_field=IntegerField()),)


def _backend_hits(queryset, word, part, cache_as):
    """Primary keys that Wagtail's full-text search finds for ``word`` or its autocomplete for ``part``."""
    def hits():
        found = {hit.pk for hit in queryset.search(word, operator="and")}
        found |= {hit.pk for hit in queryset.autocomplete(part)}
        return sorted(found)

    if not cache_as:
        return hits()
    return caching.get_or_compute(LIBRARY, ("search", cache_as, word, part), hits)


def correction(search_in, query, *, contains=("title",), visible=None):
    """``query`` with each word that finds nothing in ``search_in`` (narrowed to ``visible``, a queryset of the
    same model) replaced by the closest word of the library's vocabulary, when the result finds something in
    ``visible``; else None."""
    typed = words(query)
    visible = search_in if visible is None else visible
    corrected = []
    for word in typed:
        alone = condition(search_in, word, contains=contains)
        if alone is not None and visible.filter(alone).exists():
            corrected.append(word)
            continue
        closest = vocabulary.similar(word, [vocabulary.LIBRARY_SCOPE], limit=1)
        corrected.append(closest[0][0] if closest else word)
    if corrected == typed:
        return None
    suggestion = " ".join(corrected)
    found = condition(search_in, suggestion, contains=contains)
    return suggestion if found is not None and visible.filter(found).exists() else None


def _texts(value):
    """Every string inside a StreamField's raw data (rich text as plain text)."""
    if isinstance(value, str):
        yield strip_tags(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)


def practice_text(page):
    """What a practice says, for the vocabulary: title, summary, contact, source and the body's text."""
    return " ".join([page.title, page.summary or "", page.contact_name or "", page.source or "",
                     *_texts(list(page.body.raw_data))])


def on_practice_published(sender, instance, **kwargs):
    """On publish: the practice's words join the library's vocabulary, and the search index is written again now
    that its taxonomy links are saved too (Wagtail indexes a page when the page row is saved, before a
    ParentalManyToManyField is, so a practice's target groups and themes set in an edit were not searchable until
    the next save: "ouders" missed a practice for parents that only its target group named)."""
    vocabulary.add(vocabulary.LIBRARY_SCOPE, practice_text(instance))
    saved = type(instance).objects.filter(pk=instance.pk).first()  # the links as stored, not as in memory
    if saved is not None:
        index.insert_or_update_object(saved)


def library_texts(practices):
    """The text of each of ``practices`` (the published ones), for ``manage.py update_search_words``."""
    for page in practices.iterator():
        yield vocabulary.LIBRARY_SCOPE, practice_text(page)
