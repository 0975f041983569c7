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
of the full-text syntax are separators, so no input can make the query fail.
"""

import re
from functools import reduce
from operator import and_, or_

from django.db.models import Case, IntegerField, Q, Value, When

from actieplan import caching

#: The name (``actieplan.caching``) of everything cached for the library: the facet block and search hits.
LIBRARY = "library"

WORD = re.compile(r"\w+", re.UNICODE)
#: Enough for any sensible query; the rest of a pasted paragraph is ignored.
MAX_WORDS = 8
#: Shorter stems would match half the library as a substring ("de", "vo").
MIN_SUBSTRING = 3

# Inflections stripped to reach a stem that is a prefix of the other forms (longest first).
_SUFFIXES = ("heden", "'s", "en", "s")


def words(query):
    """The distinct words of ``query``, lower case, in order; everything else is a separator."""
    seen = []
    for word in WORD.findall((query or "").lower().replace("_", " ")):
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def stem(word):
    """A light Dutch stem: plural and inflection endings off, so the stem is a prefix of the other forms.

    "stages" → "stage", "stageplaatsen" → "stageplaats", "ouders" → "ouder", "mogelijkheden" →
    "mogelijkheid", "stappen" → "stap", "bedrijven" → "bedrijf". Short words stay as they are.
    """
    if word.endswith("heden") and len(word) > 7:
        return word[:-5] + "heid"
    for suffix in _SUFFIXES[1:]:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            base = word[: -len(suffix)]
            if suffix == "en":
                if len(base) > 4 and base[-1] == base[-2] and base[-1] not in "aeiou":
                    base = base[:-1]  # stappen → stap
                elif base[-1] == "v":
                    base = base[:-1] + "f"  # bedrijven → bedrijf
                elif base[-1] == "z":
                    base = base[:-1] + "s"  # reizen → reis
            return base
    return word


def terms(query):
    """What the page highlights: the stems of the query's words."""
    return [stem(word) for word in words(query)]


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
