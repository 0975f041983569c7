"""The words the searches may suggest, per scope, and the closest ones to a misspelt word.

On PostgreSQL the comparison is pg_trgm's ``similarity`` with its trigram index (``word % 'stagge'``); where
pg_trgm is not there (SQLite, or a server without the extension) the same figure is computed in Python
(:func:`actieplan.search.text.similarity`) over the scope's words.

Scopes: ``plan-<partnership id>`` for what a partnership's members read, ``bibliotheek`` for the library. The
capabilities that own texts add their words when a text is saved (:func:`add`) and register a source for the
full rebuild (``manage.py update_search_words``, :func:`rebuild`).
"""

import logging

from django.db import connection

from actieplan import caching
from actieplan.search import text
from actieplan.search.models import SearchWord

logger = logging.getLogger(__name__)

LIBRARY_SCOPE = "bibliotheek"
#: The name (``actieplan.caching``) of cached searches, which show suggestions from these words.
SEARCH = "search"
#: Below this similarity a word is too far off to be what was meant ("stagge" and "stage" score 0.62).
MIN_SIMILARITY = 0.4
BATCH = 5000

_sources = {}
_trigram_index = {}


def plan_scope(partnership_id):
    return f"plan-{partnership_id}"


def add(scope, *texts):
    """Remember the words of ``texts`` for ``scope`` (one insert; words already known are skipped)."""
    found = text.vocabulary(*texts)
    if found:
        SearchWord.objects.bulk_create([SearchWord(scope=scope, word=word) for word in sorted(found)],
                                       ignore_conflicts=True)


def register_source(name, rows):
    """``rows()`` yields ``(scope, text)`` for every text of a capability: what :func:`rebuild` reads."""
    _sources[name] = rows


def rebuild(names=None):
    """Add the words of every registered source (or of ``names``); returns the number of words per source."""
    added = {}
    for name, rows in _sources.items():
        if names is not None and name not in names:
            continue
        pending, total = set(), 0
        for scope, value in rows():
            pending.update((scope, word) for word in text.vocabulary(value))
            if len(pending) >= BATCH:
                total += _write(pending)
                pending = set()
        total += _write(pending)
        added[name] = total
    caching.bump(SEARCH)  # bulk inserts send no signal
    return added


def _write(pairs):
    SearchWord.objects.bulk_create([SearchWord(scope=scope, word=word) for scope, word in sorted(pairs)],
                                   ignore_conflicts=True, batch_size=BATCH)
    return len(pairs)


def has_trigram_index():
    """Whether pg_trgm is installed in this database (asked once per connection's database)."""
    if connection.vendor != "postgresql":
        return False
    name = connection.settings_dict.get("NAME")
    if name not in _trigram_index:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            _trigram_index[name] = cursor.fetchone() is not None
    return _trigram_index[name]


def similar(word, scopes=None, limit=5):
    """The known words closest to ``word`` in ``scopes`` (None: every scope), best first, as
    ``[(word, similarity)]``; ``word`` itself is left out. Only words at least :data:`MIN_SIMILARITY` alike."""
    if len(word) < text.MIN_SUBSTRING or (scopes is not None and not scopes):
        return []
    if has_trigram_index():
        return _similar_postgresql(word, scopes, limit)
    candidates = SearchWord.objects.exclude(word=word)
    if scopes is not None:
        candidates = candidates.filter(scope__in=scopes)
    # Words much longer or shorter cannot reach the threshold; the length filter keeps the Python loop short.
    scored = {}
    for candidate in candidates.filter(word__regex=r"^.{%d,%d}$" % (max(len(word) - 4, 1), len(word) + 4))\
            .values_list("word", flat=True).distinct():
        score = text.similarity(word, candidate)
        if score >= MIN_SIMILARITY:
            scored[candidate] = score
    return sorted(scored.items(), key=lambda item: (-item[1], abs(len(item[0]) - len(word)), item[0]))[:limit]


def _similar_postgresql(word, scopes, limit):
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    where, params = "", [word, word, word]
    if scopes is not None:
        where = "AND scope = ANY(%s)"
        params.append(list(scopes))
    with connection.cursor() as cursor:
        # SET LOCAL needs a transaction; the threshold of the % operator (which the trigram index serves).
        cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, false)", [str(MIN_SIMILARITY)])
        cursor.execute(
            f"SELECT word, max(similarity(word, %s)) AS s FROM {table} "
            f"WHERE word %% %s AND word <> %s {where} GROUP BY word "
            f"ORDER BY s DESC, abs(length(word) - %s), word LIMIT %s",
            [*params, len(word), limit])
        return [(found, float(score)) for found, score in cursor.fetchall()]
