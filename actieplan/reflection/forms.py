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
    ("1", gettext_lazy("1 – not at all true")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", gettext_lazy("5 – completely true")),
    (UNKNOWN, gettext_lazy("do not know / n/a")),
]


TOKEN_SALT = "actieplan.reflectie.respondent"


class SessionForm(forms.ModelForm):
    """A new session: for which partnership, when, and who leads the conversation."""

    class Meta:
        model = ReflectionSession
        fields = ["partnership", "title", "date", "facilitator", "expected_participants"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "partnership": {"required": gettext_lazy("Choose the partnership of this session."),
                            "invalid_choice": gettext_lazy("You may not create a session for this partnership.")},
            "title": {"required": gettext_lazy("Give the session a title, for example ‘Spring reflection’.")},
            "date": {"required": gettext_lazy("Enter the date of the discussion."),
                     "invalid": gettext_lazy("Enter a valid date, for example 14-03-2027.")},
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
        self.fields["facilitator"].help_text = _("You may leave this empty; by default you are the discussion leader.")

    def clean(self):
        data = super().clean()
        partnership, facilitator = data.get("partnership"), data.get("facilitator")
        if partnership and facilitator and not facilitator.lob_memberships.filter(partnership=partnership).exists():
            self.add_error("facilitator", _("The discussion leader is not a member of this partnership."))
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
                    "required": _("Choose a score from 1 to 5, or ‘do not know / n/a’."),
                    "invalid_choice": _("A score must be 1, 2, 3, 4 or 5 (or ‘do not know / n/a’)."),
                },
            )
            self.fields[f"comment_{qid}"] = forms.CharField(
                label=_("Comment (may be left empty)"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": _("Keep the comment shorter than %(limit_value)d characters.")},
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
            "min_value": gettext_lazy("Enter a number of 1 or more, or leave it empty."),
            "max_value": gettext_lazy("No meeting has that many participants; enter at most %(limit_value)s."),
            "invalid": gettext_lazy("Enter a whole number, or leave it empty.")}}


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
    "This session is closed: the scores are fixed and no more answers can be added. Your answers are still "
    "shown below, so you can give them to the discussion leader.")


def refusal_message(outcome):
    """The polite Dutch sentence for a submission that was not recorded."""
    if outcome == participation.DUPLICATE:
        return _("Answers for this session have already been sent from this device; each participant counts "
                 "once. Thank you! If someone else wants to take part, let them fill it in on their own "
                 "phone.")
    if outcome == participation.FULL:
        return _("The expected number of participants has already filled in this questionnaire, so your "
                 "answers have not been counted. Please tell the discussion leader: they can raise the "
                 "number. Your answers are still shown below.")
    if outcome == participation.NO_TICKET:
        return _("For this session you need a personal code that has not been used yet. Ask the discussion "
                 "leader for a code and open your personal link; your answers are still shown below.")
    if outcome == participation.RATE_LIMITED:
        return _("A great many answers have been sent from this connection in a short time. Wait a quarter "
                 "of an hour and then try again, or ask the discussion leader for help. Your answers are "
                 "still shown below.")
    return str(CLOSED_MESSAGE)
