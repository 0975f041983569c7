"""The plan search: one query over everything a person may read of their partnerships' plan.

Six kinds of hits, each searched in its own table and read through the same rules as its page:

- actions (title, description): ``counts.visible``, as the list and the action page;
- progress notes (the note): the notes of those actions, as the action page's timeline;
- decisions, agenda items (title, description, minutes notes) and meetings (title, place): the meetings of the
  partnerships one belongs to, as the meeting pages (``can_view_meeting``); platform admins see all;
- reflection comments: the comments of the sessions of one's partnerships, as the results page, never with
  who wrote them or which kind of partner they are, and only from sessions with at least
  ``aggregation.MIN_GROUP`` answer sets (the small-group rule of the results by kind of partner).

Matching: every word must occur (AND), as a Dutch word form or as the start of a longer word ("stage" finds
"stages" and "stageplaatsen"). On PostgreSQL that is full text with the ``dutch`` configuration and prefix
queries (``to_tsquery('dutch', 'stage:*')``), served by one GIN index per table (migration 0021); elsewhere a
substring match on the word and its light stem (``text.stem``). Stop words are dropped on both.

When nothing is found: a misspelt word is replaced by the closest word of the person's own partnerships'
vocabulary ("Bedoelde je: …", ``vocabulary.similar``) if that finds something; else, with several words, the
hits with any of them are shown and the page says so. An empty query finds nothing and shows the guidance.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import BooleanField, Case, Count, F, Func, IntegerField, Q, Value, When, Window
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actieplan import caching
from actieplan.actions import counts
from actieplan.actions.models import Action, ActionUpdate
from actieplan.meetings.models import AgendaItem, Decision, Meeting
from actieplan.partnerships.permissions import (
    is_platform_admin, partnership_ids, readable_reflection_filter, visible_meetings_filter,
)
from actieplan.reflection.aggregation import MIN_GROUP
from actieplan.reflection.models import ReflectionScore, ReflectionSession
from actieplan.search import text, vocabulary

#: Hits per kind on the overview; a chosen kind shows this many per page.
OVERVIEW_HITS = 5
PAGE_HITS = 20
#: The text search configuration of the indexes (migration 0021) and the queries: they must be the same.
CONFIG = "dutch"

ALL, ANY = "all", "any"


class Matches(Func):
    """``to_tsvector('dutch', coalesce(a, '') || ' ' || coalesce(b, '')) @@ <query>``: the document written
    exactly as the expression of the table's GIN index, so PostgreSQL answers it from the index. ``words`` and
    ``mode`` make the query (:func:`tsquery_sql`)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, *fields, words, mode=ALL):
        super().__init__(*(F(name) for name in fields))
        self.words, self.mode = list(words), mode

    def as_sql(self, compiler, connection, **extra):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, part_params = compiler.compile(expression)
            parts.append(f"COALESCE({sql}, '')")
            params += part_params
        document = " || ' ' || ".join(parts)
        query, query_params = tsquery_sql(self.words, self.mode)
        return f"to_tsvector('{CONFIG}', {document}) @@ {query}", [*params, *query_params]


def prefixes(word):
    """``'stages:* | stage:*'``: the word and its light stem, each as the start of a word (a word shorter than
    three letters only as itself: "we" would start half the words). Words hold only letters and digits
    (``text.words``), nothing of the query syntax."""
    if len(word) < text.MIN_SUBSTRING:
        return word
    return " | ".join(f"{form}:*" for form in dict.fromkeys([word, text.stem(word)]))


def tsquery_sql(words, mode=ALL):
    """The query for ``words``: per word its forms (:func:`prefixes`) read twice, with the Dutch stemmer and as
    typed, since neither alone finds every form: Dutch makes "stage" "stag" but keeps "stages", and makes
    "stageplaats" "stageplat" while the text's "stageplaatsen" is stored as "stageplaats". Every word (AND) or
    any (OR)."""
    join = " && " if mode == ALL else " || "
    sql = join.join(f"(to_tsquery('{CONFIG}', %s) || to_tsquery('simple', %s))" for _word in words)
    return f"({sql})", [form for word in words for form in (prefixes(word), prefixes(word))]


def _contains(fields, words, mode):
    """The SQLite fallback: each word (or its light stem) somewhere in one of ``fields``; a word shorter than
    three letters as a word of its own."""
    per_word = []
    for word in words:
        if len(word) < text.MIN_SUBSTRING:
            per_word.append(reduce(or_, (Q(**{f"{name}__iregex": rf"(^|\W){word}(\W|$)"}) for name in fields)))
            continue
        options = {word, text.stem(word)}
        per_word.append(reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields for term in options)))
    return reduce(and_ if mode == ALL else or_, per_word)


def matching(queryset, fields, words, mode=ALL):
    if connection.vendor == "postgresql":
        return queryset.filter(Matches(*fields, words=words, mode=mode))
    return queryset.filter(_contains(fields, words, mode))


# --- who may read what: the pages' own rules -------------------------------------------------------------------

def _visible_action_ids(user):
    return counts.visible(user).order_by().values("pk")


def _sessions_large_enough():
    return (ReflectionSession.objects.annotate(n=Count("responses")).filter(n__gte=MIN_GROUP)
            .order_by().values("pk"))


@dataclass(frozen=True)
class Kind:
    """One kind of hit: where it lives, what it is called, which texts are searched and who may read it."""

    key: str
    label: str
    one: str
    fields: tuple
    readable: object  # Reader -> the rows its user may read
    order: tuple
    related: tuple = ()
    partnership: str = "partnership_id"  # where the vocabulary scope comes from
    model: type = None


class Reader:
    """Who searches, and what they may read that several kinds share, asked once per search: the ids of the
    meetings they may read (``visible_meetings_filter``, a handful per partnership; the rule joins invitees,
    items and decisions, too much to repeat in every kind's count and page)."""

    def __init__(self, user):
        self.user = user
        self._meeting_ids = None
        self._readable = {}

    def readable(self, kind):
        """The rows of ``kind`` this person may read (built once per search: a retry with other words reuses it)."""
        if kind.key not in self._readable:
            self._readable[kind.key] = kind.readable(self)
        return self._readable[kind.key]

    def meeting_ids(self):
        if self._meeting_ids is None:
            self._meeting_ids = list(Meeting.objects.filter(visible_meetings_filter(self.user)).order_by()
                                     .values_list("pk", flat=True).distinct())
        return self._meeting_ids


KINDS = [
    Kind("acties", _("Actions"), _("Action"), ("title", "description"),
         lambda reader: counts.visible(reader.user), ("-search_title_hit", "deadline", "pk"),
         ("partnership", "owner", "owner_organisation"), model=Action),
    Kind("notities", _("Progress notes"), _("Progress note"), ("note",),
         lambda reader: ActionUpdate.objects.filter(action_id__in=_visible_action_ids(reader.user)),
         ("-created_at", "-pk"), ("action", "author"), partnership="action__partnership_id", model=ActionUpdate),
    Kind("besluiten", _("Decisions"), _("Decision"), ("text",),
         lambda reader: Decision.objects.filter(item__meeting_id__in=reader.meeting_ids()),
         ("-created_at", "-pk"), ("item__meeting", "action"), partnership="item__meeting__partnership_id",
         model=Decision),
    Kind("agendapunten", _("Agenda items"), _("Agenda item"), ("title", "description", "notes"),
         lambda reader: AgendaItem.objects.filter(meeting_id__in=reader.meeting_ids()),
         ("-meeting__starts_at", "position", "pk"), ("meeting", "action"), partnership="meeting__partnership_id",
         model=AgendaItem),
    Kind("overleggen", _("Meetings"), _("Meeting"), ("title", "location"),
         lambda reader: Meeting.objects.filter(pk__in=reader.meeting_ids()),
         ("-starts_at", "-pk"), ("partnership",), model=Meeting),
    Kind("reflectie", _("Comments from reflection sessions"), _("Comment from a reflection session"),
         ("comment",),
         lambda reader: ReflectionScore.objects.exclude(comment="").filter(
             readable_reflection_filter(reader.user, "response__session__partnership_id"),
             response__session_id__in=_sessions_large_enough()),
         ("-response__session__date", "question__theme__sort_order", "question__number", "pk"),
         ("response__session", "question__theme"), partnership="response__session__partnership_id",
         model=ReflectionScore),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


# --- the search -----------------------------------------------------------------------------------------------

@dataclass
class KindResult:
    kind: Kind
    count: int
    hits: list
    url: str = ""


@dataclass
class PlanSearch:
    """What the results page shows."""

    query: str
    words: list = field(default_factory=list)
    kinds: list = field(default_factory=list)  # KindResult per kind, in KINDS order
    chosen: Kind = None
    page: int = 1
    pages: int = 1
    suggestion: str = ""  # the corrected query whose hits are shown ("Bedoelde je")
    relaxed: bool = False  # no hit had every word; these have some of them
    left_out: list = field(default_factory=list)  # words that found nothing at all (relaxed)

    @property
    def total(self):
        return sum(result.count for result in self.kinds)

    @property
    def terms(self):
        """What the page highlights: the stems of the words searched for."""
        return [text.stem(word) for word in self.words]

    @property
    def shown(self):
        return [result for result in self.kinds if result.count and (self.chosen is None or result.kind == self.chosen)]


def _hits(kind, reader, words, mode):
    rows = matching(reader.readable(kind), kind.fields, words, mode)
    if kind.key == "acties":
        # Actions whose title holds every word first (a cheap condition on the hits, no ranking of all rows).
        title = reduce(and_, (Q(title__icontains=text.stem(word)) for word in words))
        rows = rows.annotate(search_title_hit=Case(When(title, then=Value(1)), default=Value(0),
                                                   output_field=IntegerField()))
    return rows


def run(reader, words, *, mode=ALL, chosen=None, page=1):
    """Counts per kind and the hits to show (a page of the chosen kind, or the first few of each).

    A kind whose hits are shown gets its count in the same query (``COUNT(*) OVER ()``: the number of rows before
    the page is cut), so each kind is searched once; only a page past the end needs a separate count."""
    result = PlanSearch(query=" ".join(words), words=list(words), chosen=chosen, page=page)
    for kind in KINDS:
        rows = _hits(kind, reader, words, mode)
        hits = []
        if chosen is None or chosen == kind:
            size = PAGE_HITS if chosen else OVERVIEW_HITS
            shown = max(page, 1) if chosen else 1
            hits = _page_of(kind, rows, shown, size)
            count = hits[0].search_total if hits else (0 if shown == 1 else rows.order_by().count())
            if count and not hits:  # past the last page: the last one
                shown = -(-count // size)
                hits = _page_of(kind, rows, shown, size)
            if chosen and count:
                result.pages = max(1, -(-count // size))
                result.page = page = shown
            for hit in hits:
                hit.search_url = hit_url(kind, hit)
        else:
            count = rows.order_by().count()
        result.kinds.append(KindResult(kind, count, hits))
    return result


def _page_of(kind, rows, page, size):
    """The hits of ``page``, each with ``search_total`` (the count of all hits). Two queries: the page's ids in
    order with the count (narrow rows: the sort and the count read no texts), then those rows with what they show."""
    start = (page - 1) * size
    # The filter on the count (always true) makes Django put the counting query in a subquery with the page cut
    # outside it. Written plainly (LIMIT right above COUNT(*) OVER ()) PostgreSQL costs the plan as if only the
    # first rows were read, and picks for many hits a parallel plan that sorts all of them before asking who may
    # read them (twice as slow); the count reads every hit anyway.
    found = list(rows.annotate(search_total=Window(Count("*"))).filter(search_total__gt=0).order_by(*kind.order)
                 .values_list("pk", "search_total")[start:start + size])
    if not found:
        return []
    by_pk = rows.model.objects.select_related(*kind.related).in_bulk([pk for pk, _total in found])
    hits = []
    for pk, total in found:
        hit = by_pk[pk]
        hit.search_total = total
        hits.append(hit)
    return hits


#: The name (``actieplan.caching``) of cached searches; apps.py bumps it when anything searched, anything the
#: hits show, or anything deciding who may read them changes, and :func:`vocabulary.rebuild` when the words do.
SEARCH = vocabulary.SEARCH


def search(user, query, *, kind=None, page=1):
    """The search for ``query`` as ``user`` sees it; see the module for what happens when nothing is found.

    The outcome (counts, the hits shown, the suggestion) is cached per person, query, kind and page under
    :data:`SEARCH` (any change to what it shows makes it stale): paging, going back to the overview and searching
    again from the header read it instead of searching again."""
    words = text.search_words(query)
    chosen = KINDS_BY_KEY.get(kind)
    if not words or not user.is_authenticated:
        return PlanSearch(query=query or "", chosen=chosen)
    parts = ("plan-search", user.pk, tuple(words), kind if chosen else "", page, timezone.localdate().isoformat())
    stored = caching.cached(SEARCH, parts)
    if stored is not None:
        return _unpack(stored, query, chosen)
    result = _search(user, query, words, chosen, page)
    caching.store(SEARCH, parts, _pack(result))
    return result


def _pack(result):
    """What is kept of a search: plain values and the hits (the kinds by key: they hold functions)."""
    return {"words": result.words, "page": result.page, "pages": result.pages, "suggestion": result.suggestion,
            "relaxed": result.relaxed, "left_out": result.left_out,
            "kinds": [(r.kind.key, r.count, r.hits) for r in result.kinds]}


def _unpack(stored, query, chosen):
    return PlanSearch(query=query, words=stored["words"], chosen=chosen, page=stored["page"], pages=stored["pages"],
                      suggestion=stored["suggestion"], relaxed=stored["relaxed"], left_out=stored["left_out"],
                      kinds=[KindResult(KINDS_BY_KEY[key], count, hits) for key, count, hits in stored["kinds"]])


def _search(user, query, words, chosen, page):
    reader = Reader(user)
    result = run(reader, words, chosen=chosen, page=page)
    if result.total:
        return _finish(result, query)
    scopes = _scopes(user)
    # With one word, the search just made is that word's own search: it found nothing.
    alone = {words[0]: False} if len(words) == 1 else {}
    productive = [word for word in words if _finds_something(reader, word, scopes, alone.get(word))]
    barren = [word for word in words if word not in productive]
    corrected = correction(barren, words, scopes)
    if corrected:
        retry = run(reader, corrected, chosen=chosen, page=page)
        if retry.total:
            retry.suggestion = " ".join(corrected)
            return _finish(retry, query)
    if productive and barren:  # leave out the words that find nothing at all
        retry = run(reader, productive, chosen=chosen, page=page)
        if retry.total:
            return _finish(retry, query, relaxed=True, left_out=barren)
    if len(productive) > 1:  # no hit has every word: those with some of them
        retry = run(reader, productive, mode=ANY, chosen=chosen, page=page)
        if retry.total:
            return _finish(retry, query, relaxed=True, left_out=barren)
    return _finish(result, query)


def _finish(result, query, relaxed=False, left_out=()):
    result.query = query
    result.relaxed = relaxed
    result.left_out = list(left_out)
    return result


def _scopes(user):
    """The vocabulary scopes of ``user``: their partnerships' plans (None: every scope, for platform admins)."""
    return None if is_platform_admin(user) else [vocabulary.plan_scope(pk) for pk in partnership_ids(user)]


def _finds_something(reader, word, scopes, searched=None):
    """Whether ``word`` alone finds anything the reader may read (a word of their vocabulary surely does).
    ``searched``: what the search for ``word`` alone already found (None: not searched yet), the answer itself."""
    if searched is not None:
        return searched
    known = vocabulary.SearchWord.objects.filter(word=word)
    if scopes is not None:
        known = known.filter(scope__in=scopes)
    if known.exists():
        return True
    # A count, not exists(): with LIMIT 1 PostgreSQL reads the whole table hoping for an early hit, and a word
    # that finds nothing never gives one; the count reads the full-text index.
    return any(matching(reader.readable(kind), kind.fields, [word]).order_by().count() for kind in KINDS)


def correction(barren, words, scopes):
    """``words`` with each of ``barren`` (the words that find nothing) replaced by the closest word of the
    vocabulary of ``scopes``, or None when nothing would change."""
    if not barren or scopes == []:
        return None
    corrected = []
    for word in words:
        closest = vocabulary.similar(word, scopes, limit=1) if word in barren else []
        corrected.append(closest[0][0] if closest else word)
    return corrected if corrected != list(words) else None


def hit_url(kind, hit):
    """Where a hit is shown on its own page."""
    if kind.key == "acties":
        return reverse("actieplan:action_detail", args=[hit.pk])
    if kind.key == "notities":
        return reverse("actieplan:action_detail", args=[hit.action_id]) + f"#notitie-{hit.pk}"
    if kind.key == "besluiten":
        return reverse("actieplan:meeting_detail", args=[hit.item.meeting_id]) + f"#punt-{hit.item_id}"
    if kind.key == "agendapunten":
        return reverse("actieplan:meeting_detail", args=[hit.meeting_id]) + f"#punt-{hit.pk}"
    if kind.key == "overleggen":
        return reverse("actieplan:meeting_detail", args=[hit.pk])
    return reverse("actieplan:reflection_results", args=[hit.response.session_id]) + "#toelichtingen"


# --- the vocabulary of the plan: kept up to date as texts are saved ----------------------------------------------

def _scope_of(kind, instance):
    partnership_id = instance
    for part in kind.partnership.split("__"):
        partnership_id = getattr(partnership_id, part, None)
        if partnership_id is None:
            return None
    return vocabulary.plan_scope(partnership_id)


def _remember_words(sender, instance, raw=False, **kwargs):
    kind = next((kind for kind in KINDS if kind.model is sender), None)
    if raw or kind is None:
        return
    scope = _scope_of(kind, instance)
    if scope is not None:
        vocabulary.add(scope, *(getattr(instance, name, "") for name in kind.fields))


def _all_plan_texts():
    for kind in KINDS:
        fields = [kind.partnership, *kind.fields]
        rows = kind.model.objects.order_by().values_list(*fields)
        if kind.key == "reflectie":
            rows = rows.exclude(comment="")
        for partnership_id, *texts in rows.iterator(chunk_size=2000):
            yield vocabulary.plan_scope(partnership_id), " ".join(t or "" for t in texts)


def connect():
    """Keep the plan's vocabulary up to date (called from ``AppConfig.ready``)."""
    for kind in KINDS:
        post_save.connect(_remember_words, sender=kind.model, dispatch_uid=f"actieplan-search-words-{kind.key}")
    vocabulary.register_source("plan", _all_plan_texts)
