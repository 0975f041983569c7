"""Forms of the meeting pages: plan a meeting, add an agenda item, write a note, record a decision, check in.

The decision form asks what the action form asks (owner, mandate level, deadline, theme), with
Dutch messages of its own; the action itself is validated by ``Action.full_clean`` in
``services.create_action``, whose messages land on the same fields.
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actieplan.partnerships.reference import MandateLevel, ReflectionTheme
from actieplan.meetings.models import Meeting
from actieplan.partnerships.models import Membership, Partnership
from actieplan.partnerships.permissions import manageable_partnerships
from actieplan.validators import (
    MAX_COMMENT_CHARS, MAX_MINUTES_NOTE_CHARS, MAX_NOTE_CHARS, MaxTextLengthValidator, validate_multiline_text,
    validate_not_far_future, validate_single_line,
)
from actieplan.formats import name_from_parts, person_name




def member_labels(partnership_ids):
    """``{user id: 'Name (Organisation)'}`` for the members of these partnerships (one query)."""
    labels = {}
    for user_id, first, last, username, organisation in (
            Membership.objects.filter(partnership_id__in=partnership_ids).order_by()
            .values_list("user_id", "user__first_name", "user__last_name", "user__username", "organisation__name")):
        name = name_from_parts(first, last, username)
        labels.setdefault(user_id, f"{name} ({organisation})")
    return labels


class MemberChoiceField(forms.ModelChoiceField):
    labels = {}

    def label_from_instance(self, obj):
        return self.labels.get(obj.pk) or person_name(obj)


class MembersChoiceField(forms.ModelMultipleChoiceField):
    labels = {}

    def label_from_instance(self, obj):
        return self.labels.get(obj.pk) or person_name(obj)


def members_queryset(partnership_ids):
    return (get_user_model().objects.filter(is_active=True, lob_memberships__partnership_id__in=partnership_ids)
            .distinct().order_by("first_name", "last_name", "username"))


class MeetingForm(forms.ModelForm):
    """Plan (or re-plan) a meeting: kind, date and time, place or link, chair and who is invited."""

    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": _("Kies de datum van het overleg."),
                                           "invalid": _("Vul een geldige datum in, bijvoorbeeld 10-03-2026.")})
    time = forms.TimeField(label=_("Begintijd"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                           error_messages={"required": _("Kies de begintijd van het overleg."),
                                           "invalid": _("Vul een geldige tijd in, bijvoorbeeld 14:00.")})

    class Meta:
        model = Meeting
        fields = ["partnership", "kind", "title", "date", "time", "duration_minutes", "location", "chair", "invited"]
        field_classes = {"chair": MemberChoiceField, "invited": MembersChoiceField}
        widgets = {"invited": forms.CheckboxSelectMultiple}
        error_messages = {
            "partnership": {"required": _("Kies het samenwerkingsverband van dit overleg.")},
            "duration_minutes": {"invalid": _("Vul de duur in hele minuten in, bijvoorbeeld 90.")},
        }
        help_texts = {
            "invited": _("Zij krijgen het verslag met de nieuwe acties per eigenaar."),
            "chair": _("De voorzitter mag het verslag schrijven en afsluiten, ook als bestuurder."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partnerships = manageable_partnerships(user)
        if self.instance.pk:
            partnerships = Partnership.objects.filter(pk=self.instance.partnership_id)
            self.fields["partnership"].disabled = True
            local = timezone.localtime(self.instance.starts_at)
            self.initial.setdefault("date", local.date())
            self.initial.setdefault("time", local.time().replace(second=0, microsecond=0))
        ids = list(partnerships.values_list("pk", flat=True))
        labels = member_labels(ids)
        self.fields["partnership"].queryset = partnerships
        self.fields["partnership"].empty_label = None if len(ids) == 1 else _("Kies een samenwerkingsverband")
        for name in ("chair", "invited"):
            self.fields[name].queryset = members_queryset(ids)
            self.fields[name].labels = labels
        self.fields["chair"].empty_label = _("Kies de voorzitter")

    def clean(self):
        data = super().clean()
        day, start = data.get("date"), data.get("time")
        if day and start:
            self.instance.starts_at = timezone.make_aware(datetime.datetime.combine(day, start))
        partnership = data.get("partnership") or (self.instance.partnership if self.instance.pk else None)
        if partnership is not None:
            members = set(Membership.objects.filter(partnership=partnership).values_list("user_id", flat=True))
            outsiders = [u for u in data.get("invited") or [] if u.pk not in members]
            if outsiders:
                self.add_error("invited", _("Niet iedereen is lid van %(partnership)s: %(names)s.") % {
                    "partnership": partnership,
                    "names": ", ".join(person_name(u) for u in outsiders)})
            chair = data.get("chair")
            if chair is not None and chair.pk not in members:
                self.add_error("chair", _("De voorzitter is geen lid van %(partnership)s.") % {"partnership": partnership})
        return data


class AgendaItemForm(forms.Form):
    """A free agenda item."""

    title = forms.CharField(label=_("Nieuw agendapunt"), max_length=200, validators=[validate_single_line],
                            error_messages={"required": _("Geef het agendapunt een titel."),
                                            "max_length": _("Houd de titel korter dan 200 tekens.")})
    description = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  validators=[MaxTextLengthValidator(MAX_NOTE_CHARS), validate_multiline_text])


class NoteForm(forms.Form):
    """The minutes of one agenda item."""

    notes = forms.CharField(label=_("Notitie"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            validators=[MaxTextLengthValidator(MAX_MINUTES_NOTE_CHARS), validate_multiline_text])


ACTION, NO_ACTION = "actie", "geen-actie"


class DecisionForm(forms.Form):
    """A decision, which becomes an action (owner, mandate level, deadline, theme) or stays a decision."""

    text = forms.CharField(label=_("Besluit"), widget=forms.Textarea(attrs={"rows": 2}),
                           validators=[MaxTextLengthValidator(MAX_COMMENT_CHARS), validate_multiline_text],
                           error_messages={"required": _("Schrijf op wat er besloten is.")})
    outcome = forms.ChoiceField(
        label=_("Wordt dit een actie?"), widget=forms.RadioSelect, initial=ACTION,
        choices=[(ACTION, _("Ja: maak er nu een actie van")), (NO_ACTION, _("Nee: besluit zonder actie"))])
    title = forms.CharField(label=_("Titel van de actie"), required=False, max_length=200,
                            validators=[validate_single_line],
                            help_text=_("Leeg laten: de tekst van het besluit."),
                            error_messages={"max_length": _("Houd de titel korter dan 200 tekens.")})
    owner = MemberChoiceField(label=_("Eigenaar"), queryset=get_user_model().objects.none(), required=False)
    mandate_level = forms.TypedChoiceField(label=_("Mandaatniveau"), coerce=int, required=False, empty_value=None,
                                           choices=[("", _("Kies het mandaatniveau"))] + list(MandateLevel.choices))
    deadline = forms.DateField(label=_("Deadline"), required=False, validators=[validate_not_far_future],
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 10-03-2026.")})
    theme = forms.ModelChoiceField(label=_("Reflectiethema"), queryset=ReflectionTheme.objects.all(), required=False,
                                   empty_label=_("Kies een thema"))

    REQUIRED_FOR_ACTION = {
        "owner": _("Kies wie deze actie trekt: zonder eigenaar is het geen actie."),
        "mandate_level": _("Kies op welk mandaatniveau hierover wordt besloten."),
        "deadline": _("Kies een deadline: wanneer moet het af zijn?"),
        "theme": _("Kies het reflectiethema waar deze actie bij hoort."),
    }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["owner"].queryset = members_queryset([meeting.partnership_id])
        self.fields["owner"].labels = member_labels([meeting.partnership_id])
        self.fields["owner"].empty_label = _("Kies de eigenaar")

    def clean(self):
        data = super().clean()
        if data.get("outcome") == ACTION:
            for name, message in self.REQUIRED_FOR_ACTION.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    @property
    def makes_action(self):
        return self.cleaned_data.get("outcome") == ACTION

    def action_fields(self):
        data = self.cleaned_data
        fields = {name: data[name] for name in ("owner", "mandate_level", "deadline", "theme")}
        if data.get("title"):
            fields["title"] = data["title"]
        return fields

    def add_model_errors(self, error):
        """Put ``Action.full_clean``'s messages on this form's fields (the rest above the form)."""
        mapping = {"owner_organisation": "owner", "partnership": None, "question": "theme"}
        for field, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
            target = mapping.get(field, field)
            self.add_error(target if target in self.fields else None, messages)


class CloseForm(forms.Form):
    carry_open = forms.BooleanField(label=_("Schuif de agendapunten die nog open staan door naar het volgende "
                                            "overleg"), required=False, initial=True)


class CheckInForm(forms.Form):
    """One line per open action of the owner: how does it stand?"""

    def __init__(self, *args, actions, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = actions
        for action in actions:
            self.fields[f"actie_{action.pk}"] = forms.CharField(
                label=action.title, required=False, max_length=300,
                initial=answers.get(action.pk, ""),
                help_text=_("Deadline %(deadline)s · nu: %(status)s") % {
                    "deadline": action.deadline.strftime("%d-%m-%Y"), "status": action.get_status_display()},
                error_messages={"max_length": _("Houd het kort: hooguit 300 tekens.")},
                widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def answers(self):
        return {action: self.cleaned_data.get(f"actie_{action.pk}", "") for action in self.actions}
