"""Demo content: three reflection sessions over two years for VSV-regio 37 Zuidoost-Brabant.

The story follows sources 000 and 003: at the first session Daadkracht and Monitoring are weak
(no small group with mandate and means, no view of where pupils go after the overstap); the group
makes actions of them, and the next sessions show the scores moving up. Scores are drawn from a
seeded random generator, so every install gets the same demo. Idempotent: sessions are found by
(partnership, title) and actions by title; nothing that exists is touched.
"""

import datetime
import random

from django.utils import timezone

from actieplan.actions import demo as demo_actions
from actieplan.reflection import aggregation
from actieplan.actions.models import Action, ActionStatus
from actieplan.partnerships.reference import MandateLevel, ReflectionQuestion
from actieplan.partnerships.models import Membership, Partnership, Role
from actieplan.reflection.models import ReflectionResponse, ReflectionScore, ReflectionSession

PARTNERSHIP_SLUG = "vsv-regio-37-zuidoost-brabant"

#: Theme means per session (slug: mean); questions vary around them by QUESTION_OFFSETS.
SESSIONS = [
    {
        "title": "Eerste reflectie: waar staan we als regio?",
        "days_ago": 680,
        "respondents": 11,
        "kinds": {"school": 5, "gemeente": 3, "werkgever": 3},
        "means": {"visie-en-ambitie": 3.3, "relatie": 3.6, "betrokken-partners": 2.9,
                  "daadkracht": 2.1, "inspiratie": 3.0, "monitoring": 1.9},
        "unknown": {"monitoring": 0.22},
        "close": True,
        "comments": [
            ("daadkracht", 1, "Iedereen vindt LOB belangrijk, maar niemand heeft er uren of budget voor. "
                              "We hebben een kleine groep nodig die echt kan organiseren."),
            ("daadkracht", 2, "Afstemmen tussen vo en mbo loopt via drie lagen; voor je het weet is het schooljaar om."),
            ("daadkracht", 3, "Als decaan moet ik voor elke activiteit toestemming vragen aan de directie."),
            ("monitoring", 1, "We weten niet waar onze leerlingen na de overstap naar het mbo terechtkomen."),
            ("monitoring", 2, "Gegevens over uitval komen pas na maanden bij ons; dan is ingrijpen te laat."),
            ("monitoring", 3, "Weet niet welke monitor de gemeenten gebruiken; dat is precies het probleem."),
            ("betrokken-partners", 3, "Mandaat ligt bij de bestuurders; de werkgroep moet steeds wachten op een besluit."),
            ("relatie", 2, "De netwerkbijeenkomsten in Helmond zijn waardevol, ook informeel."),
            ("visie-en-ambitie", 4, "De visie staat in het actieplan, maar we gebruiken haar niet bij keuzes."),
            ("inspiratie", 3, "Docenten vo en mbo ontmoeten elkaar eigenlijk nooit."),
        ],
    },
    {
        "title": "Tussenmeting na een jaar samenwerken",
        "days_ago": 330,
        "respondents": 12,
        "kinds": {"school": 5, "gemeente": 4, "werkgever": 3},
        "means": {"visie-en-ambitie": 3.5, "relatie": 3.7, "betrokken-partners": 3.1,
                  "daadkracht": 2.9, "inspiratie": 3.4, "monitoring": 2.6},
        "unknown": {"monitoring": 0.12},
        "close": True,
        "comments": [
            ("daadkracht", 1, "Het kernteam met eigen budget werkt: de bus tour was in zes weken geregeld."),
            ("daadkracht", 3, "Nog steeds veel afhankelijk van één of twee enthousiastelingen per school."),
            ("monitoring", 1, "De overstapmonitor vo-mbo is ingericht, maar nog niet elke school levert gegevens aan."),
            ("monitoring", 2, "Voor het eerst hebben we met het RMC per leerling naar uitval gekeken."),
            ("betrokken-partners", 3, "Het mandaat is op papier geregeld; in de praktijk schuift het nog vaak door."),
            ("inspiratie", 1, "De studiemiddag over loopbaangesprekken inspireerde ook de teamleiders."),
            ("inspiratie", 4, "Good practices delen we nu via ‘Het delen waard’."),
            ("relatie", 4, "Mooi dat we elkaar nu ook op locatie bij de mbo-instellingen ontmoeten."),
        ],
    },
    {
        "title": "Reflectie twee jaar later: wat is er bereikt?",
        "days_ago": 21,
        "respondents": 10,
        "kinds": {"school": 4, "gemeente": 3, "werkgever": 3},
        "means": {"visie-en-ambitie": 3.8, "relatie": 3.9, "betrokken-partners": 3.3,
                  "daadkracht": 3.6, "inspiratie": 3.7, "monitoring": 3.2},
        "unknown": {"monitoring": 0.06},
        "close": False,  # still open: late participants can add their scores
        "comments": [
            ("daadkracht", 2, "Korte lijnen: ik bel de teamleider van het mbo nu gewoon rechtstreeks."),
            ("monitoring", 2, "We gebruiken de gegevens nu ook voor warme overdracht, maar nog niet voor praktijkonderwijs."),
            ("monitoring", 3, "De monitor kan meer: koppel hem aan de LOB-activiteiten in het loopbaandossier."),
            ("betrokken-partners", 3, "Bestuurders laten de werkgroep nu meer zelf beslissen binnen het budget."),
            ("betrokken-partners", 4, "Het overleg tussen de lagen is beter, maar werkgevers schuiven nog zelden aan."),
            ("visie-en-ambitie", 3, "De ambitie staat bovenaan elke agenda; dat helpt nieuwe mensen op weg."),
            ("inspiratie", 3, "Docenten uit vso en pro willen graag mee met de volgende bus tour."),
        ],
    },
]

QUESTION_OFFSETS = {
    ("visie-en-ambitie", 2): 0.6,  # the pupil at the centre is the easy part
    ("visie-en-ambitie", 4): -0.4,
    ("relatie", 3): -0.3,
    ("betrokken-partners", 3): -0.5,  # mandate keeps lagging behind
    ("daadkracht", 1): -0.2,
    ("inspiratie", 3): -0.3,
    ("monitoring", 2): -0.3,
    ("monitoring", 3): -0.2,
}

#: How a kind of partner scores a theme differently (the perception gap the results point at): employers
#: feel less involved than schools think they are; municipalities see more of the monitoring.
KIND_OFFSETS = {
    ("werkgever", "betrokken-partners"): -1.4,
    ("gemeente", "monitoring"): 0.5,
    ("school", "visie-en-ambitie"): 0.3,
}


def respondent_kinds(spec):
    """The partner kind of each respondent, in order (every kind a group of three or more)."""
    kinds = [kind for kind, n in spec.get("kinds", {}).items() for _ in range(n)]
    return kinds + [""] * (spec["respondents"] - len(kinds))


#: Actions the group agreed at the end of a session: (session index, theme, question, fields).
SESSION_ACTIONS = [
    (0, "daadkracht", 1, {
        "title": "Kernteam LOB met eigen uren en budget instellen",
        "description": "Een kleine projectgroep (vo, mbo, gemeente) met middelen en mandaat om activiteiten "
                       "zelf te organiseren, zodat de samenwerking niet op één of twee enthousiastelingen hangt.",
        "mandate_level": MandateLevel.BESTUURLIJK, "status": ActionStatus.AFGEROND, "deadline_days": 120}),
    (0, "monitoring", 1, {
        "title": "Overstapmonitor vo–mbo inrichten met alle scholen van de regio",
        "description": "Afspraken maken over welke gegevens elke school na de overstap deelt, zodat we per "
                       "leerling zien waar hij of zij terechtkomt.",
        "mandate_level": MandateLevel.MANAGEMENT, "status": ActionStatus.AFGEROND, "deadline_days": 240}),
    (1, "betrokken-partners", 3, {
        "title": "Mandaat per laag vastleggen: wat beslist de werkgroep zelf?",
        "description": "Met de bestuurders per laag van het ‘achtje’ vastleggen welke besluiten de werkgroep "
                       "zelf neemt en binnen welk budget, zodat acties niet blijven wachten.",
        "mandate_level": MandateLevel.BESTUURLIJK, "status": ActionStatus.BEZIG, "deadline_days": 420}),
    (2, "monitoring", 2, {
        "title": "Warme overdracht bij dreigende uitval in de eerste tien weken mbo",
        "description": "Het RMC en de mbo-instellingen bellen de vo-school (ook pro en vso) zodra een "
                       "oud-leerling in de eerste tien weken dreigt uit te vallen.",
        "mandate_level": MandateLevel.UITVOEREND, "status": ActionStatus.OPEN, "deadline_days": 80}),
    (2, "inspiratie", 3, {
        "title": "Bus tour MBO ook voor mentoren uit vso en praktijkonderwijs",
        "description": "De bus tour langs mbo-instellingen uitbreiden met mentoren en decanen uit vso en pro.",
        "mandate_level": MandateLevel.MANAGEMENT, "status": ActionStatus.OPEN, "deadline_days": 110}),
]


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


def _score(rng, mean, unknown_chance):
    if rng.random() < unknown_chance:
        return None
    return max(1, min(5, round(rng.gauss(mean, 0.75))))


def _fill(session, spec, rng):
    """Add the respondents' scores and comments to a new (open) session."""
    questions = {q.pk: q for q in ReflectionQuestion.objects.select_related("theme")}
    wording = session.wording()
    comment_for = {}
    for slug, number, text in spec["comments"]:
        comment_for.setdefault((slug, number), []).append(text)
    start = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(15, 10)))
    kinds = respondent_kinds(spec)
    for respondent in range(spec["respondents"]):
        kind = kinds[respondent]
        response = ReflectionResponse.objects.create(
            session=session, partner_kind=kind,
            submitted_at=start + datetime.timedelta(minutes=2 * respondent + rng.randint(0, 2)))
        scores = []
        for q in wording:
            slug = questions[q["question_id"]].theme.slug
            mean = (spec["means"][slug] + QUESTION_OFFSETS.get((slug, q["number"]), 0)
                    + KIND_OFFSETS.get((kind, slug), 0))
            value = _score(rng, mean, spec["unknown"].get(slug, 0.04))
            pending = comment_for.get((slug, q["number"]))
            # Each comment goes to one respondent, spread over the group.
            comment = pending.pop() if pending and rng.random() < 0.35 + 0.1 * respondent else ""
            scores.append(ReflectionScore(response=response, question_id=q["question_id"], score=value,
                                          comment=comment))
        ReflectionScore.objects.bulk_create(scores)


def _tuesday_before(day):
    """Werkgroepen meet on weekdays: move the demo date back to a Tuesday."""
    return day - datetime.timedelta(days=(day.weekday() - 1) % 7)


def _member(partnership, roles, level=None):
    members = Membership.objects.filter(partnership=partnership, role__in=roles).select_related("user")
    if level is not None and members.filter(mandate_level=level).exists():
        members = members.filter(mandate_level=level)
    first = members.order_by("pk").first()
    return first.user if first else None


def load(stdout=None):
    """Create the three sessions with responses, and the actions made from their weakest themes."""
    partnership = Partnership.objects.filter(slug=PARTNERSHIP_SLUG).first()
    if partnership is None:
        _say(stdout, "Reflectietool: demo-samenwerkingsverband ontbreekt, geen sessies aangemaakt.")
        return
    facilitator = _member(partnership, [Role.PROCESBEWAKER]) or _member(partnership, [Role.WERKGROEPLID])
    today = timezone.localdate()
    sessions = []
    created = 0
    for spec in SESSIONS:
        session = ReflectionSession.objects.filter(partnership=partnership, title=spec["title"]).first()
        if session is None:
            session = ReflectionSession.objects.create(
                partnership=partnership, title=spec["title"], facilitator=facilitator,
                date=_tuesday_before(today - datetime.timedelta(days=spec["days_ago"])))
            _fill(session, spec, random.Random(f"{PARTNERSHIP_SLUG}:{spec['title']}"))
            if spec["close"]:
                session.close()
                ReflectionSession.objects.filter(pk=session.pk).update(
                    closed_at=timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(16, 5))))
            created += 1
        sessions.append(session)
    _say(stdout, f"Reflectietool: {created} sessie(s) aangemaakt, {len(sessions) - created} bestonden al.")
    _load_actions(partnership, sessions, stdout)


def _load_actions(partnership, sessions, stdout):
    made = 0
    for index, theme_slug, number, fields in SESSION_ACTIONS:
        if Action.objects.filter(partnership=partnership, title=fields["title"]).exists():
            continue
        level = fields["mandate_level"]
        owner = _member(partnership, [Role.PROCESBEWAKER, Role.WERKGROEPLID, Role.DEELNEMER, Role.BESTUURDER], level)
        if owner is None:
            _say(stdout, "Reflectietool: geen leden in het demo-samenwerkingsverband, geen acties aangemaakt.")
            return
        session = sessions[index]
        question = ReflectionQuestion.objects.get(theme__slug=theme_slug, number=number)
        created_at = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(16, 0)))
        deadline = session.date + datetime.timedelta(days=fields["deadline_days"])
        action = Action(
            title=fields["title"], description=fields["description"], partnership=partnership,
            theme=question.theme, question=question, source_session=session, owner=owner,
            mandate_level=level, deadline=deadline, status=fields["status"],
            created_by=session.facilitator, created_at=created_at,
        )
        if fields["status"] == ActionStatus.AFGEROND:
            action.completed_at = created_at + datetime.timedelta(days=fields["deadline_days"] - 10)
        action.save()
        demo_actions.made_now.add(action.pk)
        made += 1
    if made:
        _say(stdout, f"Reflectietool: {made} actie(s) uit reflectiesessies aangemaakt.")


def theme_means(session):
    """``{theme name: mean}`` of a session (used by the demo test to check the story holds)."""
    answers = ReflectionScore.objects.filter(response__session=session).values_list(
        "response_id", "question_id", "score", "comment")
    return {t.name: t.summary.mean for t in aggregation.session_results(session.question_wording, answers)}
