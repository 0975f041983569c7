"""Demo content: the meetings of VSV-regio 37 in which the demo's actions were agreed, and the next one.

Written from source 003 (the CINOP research for the Actieplan Loopbaanbegeleiding: the call for "een
soort van generalist (verantwoordelijke/procesbewaker)", clear tasks and roles, the overlegstructuren,
professionalisering by looking at each other's work, the vangnet after leaving school) and from
principle 8 of source 001 ("Vergadertijgers? Ervaring ontstaat door doen!"). Three meetings are past,
with closed minutes whose decisions became the actions of ``actieplan.demo.actions`` (linked to them,
and those actions were created at the moment of the decision); one werkgroep meeting is two days
ahead: its check-in went out yesterday and four owners have answered.

Two series (OpenProject-style recurring meetings) hold them: the werkgroep meets monthly on a fixed weekday (the
one of the coming meeting, "elke derde donderdag" or whichever it is today), the board every quarter; each with a
template agenda from the same sources. The board's next meeting is opened from its series. The past meetings
record who was there.

Dates are relative to today, like the actions. Idempotent: a meeting is looked up by (partnership,
kind, title) and only created, with its items, decisions and check-in, when missing; a series by its title.
"""

import datetime

from django.utils import timezone
from wagtail.log_actions import log

from actieplan.meetings import emails as meeting_emails, minutes
from actieplan.reminders import scan as reminders
from actieplan.actions.models import Action
from actieplan.meetings import recurrence
from actieplan.meetings.models import (
    AgendaItem, AgendaItemStatus, Attendance, AttendanceStatus, Decision, Meeting, MeetingKind, MeetingSeries,
    RecurrenceRule,
)
from actieplan.partnerships.models import Membership, Role
from actieplan.reminders.models import Reminder

from actieplan.actions import demo as demo_actions
from actieplan.partnerships.demo import PARTNERSHIP_SLUG, demo_user, get_partnership

PROCESBEWAKER = "marieke.vandenheuvel"
WERKGROEP = ["marieke.vandenheuvel", "joost.verhoeven", "fatima.elamrani", "sanne.hendriks", "ruud.smits"]
BESTUUR = ["annemarie.kuijpers", "henk.dewit", "paul.janssen", "gerard.coolen", "mariska.vanderlinden",
           "marieke.vandenheuvel"]

# An item: (title, notes, status, decisions); a decision: (text, title of the demo action it became, or None).
MEETINGS = [
    {
        "title": "Bestuurlijk overleg: vaststelling Actieplan Loopbaanbegeleiding",
        "kind": MeetingKind.BESTUUR, "days": -67, "hour": 9, "duration": 90,
        "location": "Gemeentehuis Helmond, vergaderzaal 2", "chair": "annemarie.kuijpers", "invited": BESTUUR,
        "items": [
            ("Uitkomsten van het onderzoek: een foto van de loopbaanbegeleiding in de regio",
             "Marieke presenteert wat goed gaat en waar de witte vlekken zitten: de warme overdracht is er niet "
             "overal, nazorg na de schoolperiode ontbreekt vaak, en de respondenten vragen om duidelijke taken, "
             "verantwoordelijkheden en rollen. Afspraken liever regionaal dan per instelling.",
             AgendaItemStatus.AFGEHANDELD, [
                 ("Het bestuur stelt het Actieplan Loopbaanbegeleiding vast, met de drie centrale activiteiten: "
                  "loopbaanbegeleiding in de keten, bewustwording en professionalisering, overzicht in de keten en "
                  "verbinden.", None),
             ]),
            ("Wie houdt het overzicht? Een generalist per subregio",
             "Uit het onderzoek: ‘een soort van generalist (verantwoordelijke/procesbewaker) die alle info verzamelt "
             "en besluit wat er wanneer en hoe moet gebeuren’. Het bestuur wil er één per subregio: Eindhoven, "
             "Kempengemeenten, Helmond en Peellandgemeenten.",
             AgendaItemStatus.AFGEHANDELD, [
                 ("Per subregio wordt een generalist aangewezen; de wethouder van Helmond trekt dit.",
                  "Per subregio een generalist (procesbewaker) aanwijzen"),
             ]),
            ("Overlegstructuren in de keten",
             "De commissie doorstroom staat nog niet goed op de kaart en de relatie met het afstemmingsoverleg is "
             "onduidelijk. Een deel van de respondenten vindt dat er juist te veel wordt overlegd. Eerst een "
             "overzicht, dan pas besluiten wat weg kan.",
             AgendaItemStatus.AFGEHANDELD, [
                 ("De procesbewaker brengt alle overleggen in de keten in kaart: wie neemt deel en hoe hangen ze samen.",
                  "Overzicht van overlegstructuren in de keten opstellen"),
             ]),
        ],
    },
    {
        "title": "Werkgroep: professionalisering en het vangnet na school",
        "kind": MeetingKind.WERKGROEP, "days": -37, "hour": 14, "duration": 90,
        "location": "Summa College, Eindhoven", "chair": PROCESBEWAKER, "invited": WERKGROEP,
        "items": [
            ("Wat vragen mentoren in pro en vso?",
             "Ruim de helft van de respondenten wil verdieping, vooral in vso en pro: gesprekstechnieken en het "
             "coachen van leerlingen staan bovenaan. Er is ook behoefte aan lesmateriaal voor loopbaanleren in "
             "het praktijkonderwijs.",
             AgendaItemStatus.AFGEHANDELD, [
                 ("Er komt een scholingsaanbod gesprekstechnieken en coaching voor mentoren in pro en vso.",
                  "Scholingsaanbod gesprekstechnieken en coaching voor mentoren in pro en vso"),
                 ("De Talentenmap van het praktijkonderwijs wordt in de hele regio gedeeld.",
                  "Lesmateriaal loopbaanleren voor pro delen in de regio (Talentenmap)"),
             ]),
            ("Jongeren die na uitstroom naar werk buiten beeld raken",
             "Jongeren met een tijdelijk contract vallen na afloop tussen wal en schip: de school is niet meer in "
             "beeld en de gemeente weet niet dat ze er zijn. Senzer en de gemeente Helmond willen een werkproces.",
             AgendaItemStatus.AFGEHANDELD, [
                 ("Sociaal werkbedrijf, gemeente en school spreken af wie de jongere oppakt als een contract niet "
                  "wordt verlengd.", "Vangnet voor jongeren zonder contractverlenging na uitstroom naar werk"),
             ]),
            ("Het Leerwerkloket: onbekend maakt onbemind",
             "De samenwerking met het Leerwerkloket krijgt een lage beoordeling in het onderzoek, wellicht doordat "
             "men niet weet wat het loket doet.",
             AgendaItemStatus.AFGEHANDELD, [
                 ("Het Leerwerkloket stelt zich voor in de werkgroep.", "Kennismaking met het Leerwerkloket in de werkgroep"),
             ]),
            ("Hoe we vergaderen",
             "‘Vergadertijgers? Ervaring ontstaat door doen!’ De werkgroep wil minder praten en meer proberen.",
             AgendaItemStatus.AFGEHANDELD, [
                 ("Elk werkgroepoverleg begint bij wat vorige keer is afgesproken; de agenda komt uit het actieplan "
                  "en wie een actie heeft, checkt vooraf in.", None),
             ]),
        ],
    },
    {
        "title": "Werkgroep: van elkaar leren",
        "kind": MeetingKind.WERKGROEP, "days": -19, "hour": 14, "duration": 90,
        "location": "Senzer, Helmond", "chair": PROCESBEWAKER, "invited": WERKGROEP,
        "items": [
            ("Meekijken bij een ander",
             "Professionals leren het liefst door te kijken hoe een ander het doet. Zes organisaties willen een "
             "gastplek bieden.",
             AgendaItemStatus.AFGEHANDELD, [
                 ("Er komt een rooster van meeloopdagen tussen scholen, gemeenten en sociale werkbedrijven.",
                  "Meeloopdagen: professionals kijken een dag mee bij een andere organisatie"),
             ]),
            ("Nieuwkomers uit de ISK",
             "Jongeren die pas kort in Nederland zijn en uitstromen naar werk, vallen vaak buiten beeld; zij komen "
             "niet altijd in aanmerking voor dezelfde ondersteuning.",
             AgendaItemStatus.AFGEHANDELD, [
                 ("WIJ Eindhoven werkt een aanpak uit voor nieuwkomers die vanuit de ISK uitstromen naar werk.",
                  "Aanpak voor nieuwkomers die vanuit de ISK uitstromen naar werk"),
             ]),
            ("De commissie doorstroom op de kaart",
             "Weinig professionals kennen de commissie doorstroom of weten hoe ze een leerling aanmelden.",
             AgendaItemStatus.AFGEHANDELD, [
                 ("In de nieuwsbrief komt wie in de commissie doorstroom zit en hoe je een leerling aanmeldt.",
                  "Commissie doorstroom zichtbaar maken: wie zit erin en hoe meld je een leerling aan"),
             ]),
            ("Enquête onder werkgevers: de privacytoets",
             "De vragenlijst is klaar, maar de privacytoets loopt nog. Volgende keer terugkomen op de planning.",
             AgendaItemStatus.OPEN, []),
        ],
    },
]

COMING = {
    "title": "Werkgroep: warme overdracht en het vangnet",
    "kind": MeetingKind.WERKGROEP, "days": 2, "hour": 14, "duration": 90,
    "location": "ROC ter Aa, Helmond", "chair": PROCESBEWAKER, "invited": WERKGROEP,
    "items": [
        ("Vangnet geblokkeerd: wie is verantwoordelijk bij een verhuizing?",
         "Vangnet voor jongeren zonder contractverlenging na uitstroom naar werk"),
        ("Terugblik op de netwerkbijeenkomst bij Senzer", None),
    ],
    # (owner, action title, one-line answer): the check-in that came back.
    "answers": [
        ("tom.peters", "Eenduidige cijfers over jongeren in een kwetsbare positie (JIKP) per subregio",
         "Cijfers van Deurne zijn binnen; Helmond levert ze deze week."),
        ("fatima.elamrani", "Universele overdrachtslijst vso/pro naar mbo vaststellen",
         "Twee van de drie vso-scholen zijn akkoord; de derde bespreekt het maandag."),
        ("bas.willems", "Enquête onder werkgevers over stages en banen voor pro- en vso-leerlingen",
         "De privacytoets is bijna rond; daarna gaat de vragenlijst naar veertig werkgevers."),
        ("sanne.hendriks", "Scholingsaanbod gesprekstechnieken en coaching voor mentoren in pro en vso",
         "De eerste groep van veertien mentoren begint over twee weken."),
    ],
}


# The two series: (title, kind, months between meetings, hour, place, chair, invited, template agenda).
WERKGROEP_SERIES = {
    "title": "Werkgroep LOB Zuidoost-Brabant", "kind": MeetingKind.WERKGROEP, "interval": 1, "hour": 14,
    "location": "Wisselend bij een van de partners", "chair": PROCESBEWAKER, "invited": WERKGROEP,
    "agenda": [
        "Sinds vorige keer: wat is afgesproken en hoe staat het ervoor",
        "Proeftuinen: wat leren we van wat we uitproberen? (‘Vergadertijgers? Ervaring ontstaat door doen!’)",
        "Warme overdracht en het vangnet na school",
        "Rondvraag en afspraken voor het volgende overleg",
    ],
    # The demo meetings (by title) that belong to it.
    "meetings": ["Werkgroep: professionalisering en het vangnet na school", "Werkgroep: van elkaar leren",
                 "Werkgroep: warme overdracht en het vangnet"],
    "rule_from": "Werkgroep: warme overdracht en het vangnet",
}
BESTUUR_SERIES = {
    "title": "Bestuurlijk overleg Actieplan Loopbaanbegeleiding", "kind": MeetingKind.BESTUUR, "interval": 3,
    "hour": 9, "location": "Gemeentehuis Helmond, vergaderzaal 2", "chair": "annemarie.kuijpers", "invited": BESTUUR,
    "agenda": [
        "Vaststellen van het verslag van het vorige bestuurlijk overleg",
        "Voortgang van het actieplan: de praatclub-index en waar het vastzit",
        "Besluiten die op bestuurlijk niveau liggen",
        "Een generalist per subregio: stand van zaken in Eindhoven, Kempengemeenten, Helmond en Peellandgemeenten",
        "Rondvraag",
    ],
    "meetings": ["Bestuurlijk overleg: vaststelling Actieplan Loopbaanbegeleiding"],
    "rule_from": "Bestuurlijk overleg: vaststelling Actieplan Loopbaanbegeleiding",
}

#: Who sent apologies for the past meetings (everyone else invited was there).
APOLOGIES = {
    "Bestuurlijk overleg: vaststelling Actieplan Loopbaanbegeleiding": ["gerard.coolen"],
    "Werkgroep: professionalisering en het vangnet na school": ["ruud.smits"],
    "Werkgroep: van elkaar leren": ["sanne.hendriks"],
}


def _moment(days, hour, minute=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _meeting(partnership, spec, creator):
    meeting = Meeting.objects.filter(partnership=partnership, kind=spec["kind"], title=spec["title"]).first()
    if meeting is not None:
        return meeting, False
    starts_at = _moment(spec["days"], spec["hour"])
    meeting = Meeting.objects.create(
        partnership=partnership, kind=spec["kind"], title=spec["title"], starts_at=starts_at,
        duration_minutes=spec["duration"], location=spec["location"], chair=demo_user(spec["chair"]),
        created_by=creator, created_at=starts_at - datetime.timedelta(days=21))
    meeting.invited.set([demo_user(name) for name in spec["invited"]])
    log(instance=meeting, action="wagtail.create", user=creator)
    return meeting, True


def _past_meeting(partnership, spec, creator):
    meeting, created = _meeting(partnership, spec, creator)
    if not created:
        return meeting
    moment = meeting.starts_at
    for position, (title, notes, status, decisions) in enumerate(spec["items"], start=1):
        item = AgendaItem.objects.create(meeting=meeting, position=position, title=title, notes=notes, status=status,
                                         created_by=creator, created_at=meeting.created_at)
        for text, action_title in decisions:
            moment += datetime.timedelta(minutes=12)
            action = (Action.objects.filter(partnership=partnership, title=action_title).first()
                      if action_title else None)
            if action_title and action is None:
                continue  # the actions loader did not make this one: no decision pretending it became an action
            Decision.objects.create(item=item, text=text, action=action, created_by=meeting.chair, created_at=moment,
                                    agreed_deadline=action.deadline if action else None)
            if action is not None and action.pk in demo_actions.made_now:
                # The action was made on the spot: it exists from the moment of the decision. Only an action the
                # demo made in this run: one that existed before (an upgrade adding the meetings) keeps its date.
                Action.objects.filter(pk=action.pk).update(created_at=moment)
    meeting.closed_at = meeting.ends_at + datetime.timedelta(hours=2)
    meeting.closed_by = demo_user(PROCESBEWAKER)
    meeting.save(update_fields=["closed_at", "closed_by"])
    return meeting


def _coming_meeting(partnership, spec, creator, previous):
    meeting, created = _meeting(partnership, spec, creator)
    if not created:
        return meeting
    position = 0
    # The open item of the previous werkgroep moves on, as the "Naar volgend overleg" button does.
    if previous is not None:
        for item in previous.items.filter(status=AgendaItemStatus.OPEN).order_by("position"):
            position += 1
            AgendaItem.objects.create(meeting=meeting, position=position, title=item.title, action=item.action,
                                      carried_from=item, created_by=creator)
            AgendaItem.objects.filter(pk=item.pk).update(status=AgendaItemStatus.DOORGESCHOVEN)
    for title, action_title in spec["items"]:
        position += 1
        action = Action.objects.filter(partnership=partnership, title=action_title).first() if action_title else None
        AgendaItem.objects.create(meeting=meeting, position=position, title=title, action=action, created_by=creator)
    # The check-in went out yesterday (recorded in the reminder log as sent, so nobody gets it again) ...
    yesterday = timezone.now() - datetime.timedelta(days=1)
    ids, _counts = reminders.record(meeting_emails.plan_checkins(yesterday, meetings=[meeting]))
    Reminder.objects.filter(pk__in=ids).update(sent_at=yesterday, attempts=1)
    # ... and four owners answered: on the agenda, and as a note on their action's timeline.
    members = {m.user.username: m.user for m in Membership.objects.filter(partnership=partnership).select_related("user")}
    for username, action_title, text in spec["answers"]:
        owner = members.get(username)
        action = Action.objects.filter(partnership=partnership, title=action_title, owner=owner).first()
        if action is not None and action.is_active:
            minutes.answer_checkin(meeting, owner, {action: text})
    return meeting


def _series(partnership, spec, creator):
    """The series of ``spec``, its meetings linked to it; its rule is the weekday of ``rule_from``'s date."""
    series = MeetingSeries.objects.filter(partnership=partnership, title=spec["title"]).first()
    if series is not None:
        return series, False
    anchor = Meeting.objects.filter(partnership=partnership, title=spec["rule_from"]).first()
    day = timezone.localtime(anchor.starts_at).date() if anchor else timezone.localdate()
    ordinal, weekday = recurrence.ordinal_of(day)
    series = MeetingSeries.objects.create(
        partnership=partnership, kind=spec["kind"], title=spec["title"], rule=RecurrenceRule.MONTHLY_WEEKDAY,
        interval=spec["interval"], ordinal=ordinal, weekday=weekday, first_date=day,
        start_time=datetime.time(spec["hour"]), duration_minutes=90, location=spec["location"],
        chair=demo_user(spec["chair"]), agenda_template="\n".join(spec["agenda"]), created_by=creator,
        created_at=timezone.now() - datetime.timedelta(days=70))
    series.invited.set([demo_user(name) for name in spec["invited"]])
    log(instance=series, action="wagtail.create", user=creator)
    Meeting.objects.filter(partnership=partnership, title__in=spec["meetings"]).update(series=series)
    return series, True


def _attendance(meeting):
    """Who was at a past demo meeting: everyone invited and the chair, except who sent apologies."""
    if meeting.attendance.exists():
        return
    apologies = set(APOLOGIES.get(meeting.title, ()))
    people = {u.pk: u for u in meeting.invited.all()}
    if meeting.chair is not None:
        people[meeting.chair.pk] = meeting.chair
    Attendance.objects.bulk_create([
        Attendance(meeting=meeting, person=person, recorded_by=meeting.chair, recorded_at=meeting.ends_at,
                   status=AttendanceStatus.AFGEMELD if person.username in apologies else AttendanceStatus.AANWEZIG)
        for person in people.values()])


def load(stdout=None):
    partnership = get_partnership()
    if partnership is None:
        raise RuntimeError(f"Samenwerkingsverband {PARTNERSHIP_SLUG} ontbreekt: laad eerst actieplan.demo.partnership.")
    if not Membership.objects.filter(partnership=partnership, role=Role.PROCESBEWAKER).exists():
        raise RuntimeError("De demo-procesbewaker ontbreekt: laad eerst actieplan.demo.partnership.")
    creator = demo_user(PROCESBEWAKER)
    before = Meeting.objects.filter(partnership=partnership).count()
    past = [_past_meeting(partnership, spec, creator) for spec in MEETINGS]
    for meeting in past:
        _attendance(meeting)
    _coming_meeting(partnership, COMING, creator, previous=past[-1])
    _series(partnership, WERKGROEP_SERIES, creator)
    board, created_board = _series(partnership, BESTUUR_SERIES, creator)
    if created_board:
        minutes.open_next_in_series(board, creator)  # the board's next quarterly meeting, with its template agenda
    created = Meeting.objects.filter(partnership=partnership).count() - before
    if stdout is not None and created:
        stdout.write(f"  Overleg: {created} overleggen aangemaakt voor {partnership} (drie geweest, twee komen eraan), "
                     "in een maandelijkse werkgroepreeks en een bestuurlijke reeks per kwartaal.\n")
