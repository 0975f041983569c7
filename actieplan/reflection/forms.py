"""The reflectietool's forms: a new session (working group) and the questionnaire (participants), with the
signed respondent token in its hidden field and the Dutch messages a participant may get."""

from django import forms
from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.translation import gettext as _, gettext_lazy

from actieplan.formats import person_name
from actieplan.partnerships.permissions import manageable_partnerships
from actieplan.reflection import participation
from actieplan.reflection.models import ReflectionSession, new_respondent_token


UNKNOWN = "x"


SCORE_CHOICES = [
    ("1", gettext_lazy("1 – helemaal niet waar")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", gettext_lazy("5 – helemaal waar")),
    (UNKNOWN, gettext_lazy("weet niet / n.v.t.")),
]


TOKEN_SALT = "actieplan.reflectie.respondent"


class SessionForm(forms.ModelForm):
    """A new session: for which partnership, when, and who leads the conversation."""

    class Meta:
        model = ReflectionSession
        fields = ["partnership", "title", "date", "facilitator", "expected_participants"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "partnership": {"required": gettext_lazy("Kies het samenwerkingsverband van deze sessie."),
                            "invalid_choice": gettext_lazy("Voor dit samenwerkingsverband mag je geen sessie aanmaken.")},
            "title": {"required": gettext_lazy("Geef de sessie een titel, bijvoorbeeld ‘Reflectie voorjaar’.")},
            "date": {"required": gettext_lazy("Vul de datum van het gesprek in."),
                     "invalid": gettext_lazy("Vul een geldige datum in, bijvoorbeeld 14-03-2027.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partnerships = manageable_partnerships(user)
        self.fields["partnership"].queryset = partnerships
        self.fields["partnership"].empty_label = None if partnerships.count() == 1 else "—"
        self.fields["facilitator"].queryset = (get_user_model().objects
                                               .filter(lob_memberships__partnership__in=partnerships)
                                               .distinct().order_by("first_name", "last_name"))
        self.fields["facilitator"].label_from_instance = person_name
        self.fields["facilitator"].help_text = _("Leeg laten kan; standaard ben jij de gespreksleider.")

    def clean(self):
        data = super().clean()
        partnership, facilitator = data.get("partnership"), data.get("facilitator")
        if partnership and facilitator and not facilitator.lob_memberships.filter(partnership=partnership).exists():
            self.add_error("facilitator", _("De gespreksleider is geen lid van dit samenwerkingsverband."))
        return data


class AnswerForm(forms.Form):
    """The 22 questions as the session asked them: a score 1–5 or "weet niet", and a comment."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, session_wording, **kwargs):
        super().__init__(*args, **kwargs)
        self.wording = session_wording
        for q in session_wording:
            qid = q["question_id"]
            self.fields[f"score_{qid}"] = forms.ChoiceField(
                label=q["text"], choices=SCORE_CHOICES, widget=forms.RadioSelect,
                error_messages={
                    "required": _("Kies een score van 1 tot en met 5, of ‘weet niet / n.v.t.’."),
                    "invalid_choice": _("Een score moet 1, 2, 3, 4 of 5 zijn (of ‘weet niet / n.v.t.’)."),
                },
            )
            self.fields[f"comment_{qid}"] = forms.CharField(
                label=_("Toelichting (mag leeg blijven)"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": _("Houd de toelichting korter dan %(limit_value)d tekens.")},
            )

    def themes(self):
        """Rows for the template: ``[(theme name, [(question, score field, comment field)])]``."""
        grouped = []
        for q in sorted(self.wording, key=lambda q: (q["theme_order"], q["theme"], q["number"])):
            if not grouped or grouped[-1][0] != q["theme"]:
                grouped.append((q["theme"], []))
            grouped[-1][1].append((q, self[f"score_{q['question_id']}"], self[f"comment_{q['question_id']}"]))
        return grouped

    def answers(self):
        """``[(question_id, score or None, comment)]`` from valid data."""
        result = []
        for q in self.wording:
            raw = self.cleaned_data[f"score_{q['question_id']}"]
            result.append((q["question_id"], None if raw == UNKNOWN else int(raw),
                           self.cleaned_data.get(f"comment_{q['question_id']}", "").strip()))
        return result


class ExpectedForm(forms.ModelForm):
    """The expected number of participants, set or raised while the session is open (the session page)."""

    class Meta:
        model = ReflectionSession
        fields = ["expected_participants"]
        error_messages = {"expected_participants": {
            "min_value": gettext_lazy("Vul een aantal van 1 of meer in, of laat het leeg."),
            "max_value": gettext_lazy("Zoveel deelnemers heeft geen overleg; vul hooguit %(limit_value)s in."),
            "invalid": gettext_lazy("Vul een heel getal in, of laat het leeg.")}}


def _signer(session_code):
    return signing.Signer(salt=f"{TOKEN_SALT}.{session_code}")


def issue_token(session_code):
    """A fresh respondent token, signed for this session, for the hidden field of the form."""
    return _signer(session_code).sign(new_respondent_token())


def read_token(session_code, signed):
    """The respondent token inside ``signed``, or None when it was not issued for this session."""
    try:
        return _signer(session_code).unsign(signed or "")
    except signing.BadSignature:
        return None


CLOSED_MESSAGE = gettext_lazy(
    "Deze sessie is gesloten: de scores liggen vast en er kunnen geen antwoorden meer bij. "
    "Je antwoorden staan hieronder nog, zodat je ze aan de gespreksleider kunt geven.")


def refusal_message(outcome):
    """The polite Dutch sentence for a submission that was not recorded."""
    if outcome == participation.DUPLICATE:
        return _("Vanaf dit apparaat zijn al antwoorden voor deze sessie ingestuurd; iedere deelnemer telt één "
                 "keer mee. Dank je wel! Wil iemand anders meedoen, laat die dan op een eigen telefoon invullen.")
    if outcome == participation.FULL:
        return _("Het verwachte aantal deelnemers heeft deze vragenlijst al ingevuld, dus je antwoorden zijn niet "
                 "meegeteld. Zeg het even tegen de gespreksleider: die kan het aantal verhogen. Je antwoorden staan "
                 "hieronder nog.")
    if outcome == participation.NO_TICKET:
        return _("Voor deze sessie heb je een persoonlijke code nodig die nog niet gebruikt is. Vraag de "
                 "gespreksleider om een code en open je persoonlijke link; je antwoorden staan hieronder nog.")
    if outcome == participation.RATE_LIMITED:
        return _("Er zijn vanaf deze verbinding in korte tijd erg veel antwoorden ingestuurd. Wacht een kwartier "
                 "en probeer het dan opnieuw, of vraag de gespreksleider om hulp. Je antwoorden staan hieronder nog.")
    return str(CLOSED_MESSAGE)
