"""Wagtail's database search backend, with a query no input can break on SQLite (the embedded default).

On SQLite Wagtail searches through FTS5, and hands every word to its ``MATCH`` syntax as typed: a lone ``"`` in
the admin's page search, the page chooser or a listing's search box made SQLite raise "unterminated string" (a
server error). Here each word of a plain query or phrase keeps only its letters and digits, as the library's own
search does (``good_practices/search.py``); PostgreSQL and MySQL get Wagtail's backend unchanged.
"""

import re

from modelsearch.backends import database
from modelsearch.query import Phrase, PlainText

_NOT_A_WORD = re.compile(r"[^\w]+", re.UNICODE)


#: What an input without a single letter or digit searches for: a word no page holds, so it finds nothing.
_NOTHING = "lobgeenzoekwoord0"


def _words(text):
    return " ".join(_NOT_A_WORD.sub(" ", text or "").split()) or _NOTHING


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = database.SearchBackend(params)
    compiler = getattr(backend, "query_compiler_class", None)
    if compiler is None or not compiler.__module__.endswith(".sqlite"):
        return backend
    backend.query_compiler_class = _safe(compiler)
    backend.autocomplete_query_compiler_class = _safe(backend.autocomplete_query_compiler_class)
    return backend


def _safe(compiler_class):
    class SafeSQLiteQueryCompiler(compiler_class):
        def build_search_query_content(self, query, config=None):
            if isinstance(query, PlainText):
                query = PlainText(_words(query.query_string), operator=query.operator, boost=query.boost)
            elif isinstance(query, Phrase):
                query = Phrase(_words(query.query_string))
            return super().build_search_query_content(query, config=config)

    SafeSQLiteQueryCompiler.__name__ = f"Safe{compiler_class.__name__}"
    return SafeSQLiteQueryCompiler
