"""Builders for the plan search and following tests: one hit of every kind in a partnership."""

from dataclasses import dataclass

from actieplan.actions import services
from actieplan.models import (
    Action, ActionUpdate, AgendaItem, Decision, Meeting, ReflectionQuestion, ReflectionResponse, ReflectionScore,
    ReflectionSession,
)
from tests.factories import make_action
from tests.meeting_factories import make_item, make_meeting


@dataclass
class Stock:
    """One searchable thing of each kind, holding the same word."""

    action: Action
    note: ActionUpdate
    meeting: Meeting
    item: AgendaItem
    decision: Decision
    comment: ReflectionScore
    small_group_comment: ReflectionScore  # in a session of two: never found


def respond(session, n, comment_on_first=""):
    """``n`` answer sets in ``session``; the first one comments on the first question."""
    question = ReflectionQuestion.objects.order_by("theme__sort_order", "number").first()
    scores = []
    for i in range(n):
        response = ReflectionResponse.objects.create(session=session)
        scores.append(ReflectionScore.objects.create(response=response, question=question, score=3,
                                                     comment=comment_on_first if i == 0 else ""))
    return scores[0]


def stock(people, word):
    """In ``people.partnership``: an action, a note on another action, a meeting, an agenda item, a decision and
    a reflection comment that each hold ``word`` once (and a comment in a too small session)."""
    partnership = people.partnership
    action = make_action(partnership, people.owner, title=f"{word.capitalize()} stageplaatsen in de zorg",
                         created_by=people.procesbewaker)
    other = make_action(partnership, people.manager, title="Ouderavond over de overstap",
                        created_by=people.procesbewaker)
    note = services.add_update(other, people.manager, f"Gesproken met Summa over {word} en de stagebank.")
    meeting = make_meeting(partnership, title=f"Werkgroep {word}", chair=people.procesbewaker)
    item = make_item(meeting, title="Warme overdracht", notes=f"Afgesproken: {word} komt terug in maart.")
    decision = Decision.objects.create(item=make_item(meeting, title="Rondvraag"), text=f"Besluit: {word} mag door.")
    session = ReflectionSession.objects.create(partnership=partnership, title="Voorjaarssessie")
    comment = respond(session, 3, f"Bij {word} ontbreekt de gemeente.")
    small = ReflectionSession.objects.create(partnership=partnership, title="Kleine sessie")
    small_group_comment = respond(small, 2, f"Alleen wij tweeën over {word}.")
    return Stock(action, note, meeting, item, decision, comment, small_group_comment)


def expected_hits(stock, user=None):
    """The kind and primary key of every hit of ``stock`` (the small group's comment is never one); with ``user``
    only those the pages let that person read, asked of the one policy (actieplan/partnerships/permissions.py)."""
    from actieplan.partnerships import permissions

    hits = {("acties", stock.action.pk, stock.action), ("notities", stock.note.pk, stock.note.action),
            ("overleggen", stock.meeting.pk, stock.meeting), ("agendapunten", stock.item.pk, stock.meeting),
            ("besluiten", stock.decision.pk, stock.meeting), ("reflectie", stock.comment.pk, None)}
    if user is None:
        return {(kind, pk) for kind, pk, _subject in hits}

    def readable(kind, subject):
        if kind in ("acties", "notities"):
            return permissions.can_view_action(user, subject)
        if kind == "reflectie":
            return permissions.can_read_reflection(user, stock.meeting.partnership_id)
        return permissions.can_view_meeting(user, subject)

    return {(kind, pk) for kind, pk, subject in hits if readable(kind, subject)}
