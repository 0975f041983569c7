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

from actieplan import conflicts, submissions
from actieplan.partnerships.reference import MandateLevel, ReflectionTheme
from actieplan.meetings.models import (
    AttendanceStatus, Meeting, MeetingKind, MeetingSeries, default_invitee_ids,
)
from actieplan.partnerships.models import Membership, Partnership
from actieplan.partnerships.permissions import manageable_partnerships
from actieplan.validators import (
    MAX_COMMENT_CHARS, MAX_MINUTES_NOTE_CHARS, MAX_NOTE_CHARS, MaxTextLengthValidator, SingleLineField,
    normalise_pasted, validate_multiline_text, validate_not_far_future, validate_single_line,
)
from actieplan.formats import day_label, name_from_parts, person_name

#: The fixed points a new series starts with, per kind (editable on the form).
TEMPLATE_AGENDAS = {
    MeetingKind.WERKGROEP: _("Opening and announcements\nThe actions from the plan: what has happened since "
                             "last time?\nPilot projects: what do we learn from what we try out?\nAny other "
                             "business and arrangements for the next meeting"),
    MeetingKind.BESTUUR: _("Opening and approval of the minutes of the previous meeting\nProgress of the "
                           "action plan and the talking-shop index\nWhere things are stuck: decisions at "
                           "board level\nAny other business"),
    MeetingKind.REGIONAAL_NETWERK: _("Opening\nGood practices from the region\nAny other business"),
}


def invitee_defaults(partnership_ids):
    """``{partnership id: {kind: [user ids]}}``: who each kind of meeting invites by default (for the form's script)."""
    return {str(pk): {kind: default_invitee_ids(pk, kind) for kind in MeetingKind.values} for pk in partnership_ids}


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


class InviteesMixin:
    """Partnership, chair and invitees limited to what ``user`` may plan; the invitees default by kind."""

    def _scope(self, user):
        partnerships = manageable_partnerships(user)
        if self.instance.pk:
            partnerships = Partnership.objects.filter(pk=self.instance.partnership_id)
            self.fields["partnership"].disabled = True
        ids = list(partnerships.values_list("pk", flat=True))
        labels = member_labels(ids)
        self.fields["partnership"].queryset = partnerships
        self.fields["partnership"].empty_label = None if len(ids) == 1 else _("Choose a partnership")
        for name in ("chair", "invited"):
            self.fields[name].queryset = members_queryset(ids)
            self.fields[name].labels = labels
        self.fields["chair"].empty_label = _("Choose the chair")
        self.fields["invited"].help_text = _("Default: for a working group meeting the working group "
                                             "(process facilitator and working group members), for a board "
                                             "meeting the board members, for a regional network everyone. "
                                             "Tick or untick people to change who takes part. They receive "
                                             "the minutes.")
        self.invitee_defaults = invitee_defaults(ids)
        self.partnership_ids = ids

    def _check_members(self, data):
        partnership = data.get("partnership") or (self.instance.partnership if self.instance.pk else None)
        if partnership is None:
            return
        members = set(Membership.objects.filter(partnership=partnership).values_list("user_id", flat=True))
        outsiders = [u for u in data.get("invited") or [] if u.pk not in members]
        if outsiders:
            self.add_error("invited", _("Not everyone is a member of %(partnership)s: %(names)s.") % {
                "partnership": partnership, "names": ", ".join(person_name(u) for u in outsiders)})
        chair = data.get("chair")
        if chair is not None and chair.pk not in members:
            self.add_error("chair", _("The chair is not a member of %(partnership)s.") % {"partnership": partnership})


def initial_for_kind(user, kind):
    """The initial values of a new meeting or series of ``kind``: the chair is who plans it; the invitees are
    the kind's default when the planner manages one partnership."""
    kind = kind if kind in MeetingKind.values else MeetingKind.WERKGROEP
    partnerships = list(manageable_partnerships(user).values_list("pk", flat=True))
    initial = {"chair": user.pk, "duration_minutes": 90, "kind": kind}
    if len(partnerships) == 1:
        initial["partnership"] = partnerships[0]
        initial["invited"] = default_invitee_ids(partnerships[0], kind)
    return initial


class MeetingForm(InviteesMixin, conflicts.ConflictCheckedForm, forms.ModelForm):
    """Plan (or re-plan) a meeting: kind, date and time, place or link, chair and who is invited.

    Re-planning is checked against changes made since the form was opened (``actieplan.conflicts``; the date and
    time fields together stand for ``starts_at``); a new meeting's form carries a one-time key.
    """

    conflict_fields = ("kind", "title", "starts_at", "duration_minutes", "location", "chair", "invited")

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": _("Choose the date of the meeting."),
                                           "invalid": _("Enter a valid date, for example 10-03-2026.")})
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                           error_messages={"required": _("Choose the start time of the meeting."),
                                           "invalid": _("Enter a valid time, for example 14:00.")})

    class Meta:
        model = Meeting
        fields = ["partnership", "kind", "title", "date", "time", "duration_minutes", "location", "chair", "invited"]
        field_classes = {"chair": MemberChoiceField, "invited": MembersChoiceField}
        widgets = {"invited": forms.CheckboxSelectMultiple}
        error_messages = {
            "partnership": {"required": _("Choose the partnership of this meeting.")},
            "duration_minutes": {"invalid": _("Enter the duration in whole minutes, for example 90.")},
        }
        help_texts = {
            "invited": _("They receive the minutes with the new actions per owner."),
            "chair": _("The chair may write and close the minutes, even as a board member."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            local = timezone.localtime(self.instance.starts_at)
            self.initial.setdefault("date", local.date())
            self.initial.setdefault("time", local.time().replace(second=0, microsecond=0))
        self._scope(user)
        if self.instance.pk is None:
            self.fields[submissions.FIELD] = submissions.key_field()

    def _seen_start(self, seen_state):
        seen = conflicts.python_value(Meeting, "starts_at", seen_state.get("starts_at"))
        return timezone.localtime(seen) if seen else None

    def typed_changes(self, seen_state):
        typed = super().typed_changes(seen_state)
        seen = self._seen_start(seen_state)
        if seen is not None and (
                self.fields["date"].has_changed(seen.date(), self.raw_value("date"))
                or self.fields["time"].has_changed(seen.time().replace(second=0, microsecond=0),
                                                   self.raw_value("time"))):
            typed["starts_at"] = f"{self.raw_value('date')} {self.raw_value('time')}".strip()
        return typed

    def merged_initial(self, current):
        initial = super().merged_initial(current)
        seen = self.seen()
        if seen is None or "starts_at" not in self.typed_changes(seen[0]):
            local = timezone.localtime(current.starts_at)
            initial["date"], initial["time"] = local.date(), local.time().replace(second=0, microsecond=0)
        initial.pop("starts_at", None)
        return initial

    def clean(self):
        data = super().clean()
        day, start = data.get("date"), data.get("time")
        if day and start:
            self.instance.starts_at = timezone.make_aware(datetime.datetime.combine(day, start))
        self._check_members(data)
        return data


class MeetingSeriesForm(InviteesMixin, forms.ModelForm):
    """A series: what kind, how often (every first Tuesday, every quarter …), when, where, who, and the template
    agenda every meeting of the series starts with."""

    class Meta:
        model = MeetingSeries
        fields = ["partnership", "kind", "title", "rule", "interval", "ordinal", "weekday", "day_of_month",
                  "first_date", "ends_on", "start_time", "duration_minutes", "location", "chair", "invited",
                  "agenda_template"]
        field_classes = {"chair": MemberChoiceField, "invited": MembersChoiceField}
        widgets = {
            "invited": forms.CheckboxSelectMultiple,
            "rule": forms.RadioSelect,
            "first_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "agenda_template": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "partnership": {"required": _("Choose the partnership of this series.")},
            "title": {"required": _("Give the series a name, for example ‘LOB working group’.")},
            "first_date": {"required": _("Choose the date from which the series starts."),
                           "invalid": _("Enter a valid date, for example 10-03-2026.")},
            "ends_on": {"invalid": _("Enter a valid date, for example 10-03-2026.")},
            "start_time": {"required": _("Choose the start time of the meeting."),
                           "invalid": _("Enter a valid time, for example 14:00.")},
            "interval": {"invalid": _("Enter a whole number, for example 1 or 3.")},
            "day_of_month": {"invalid": _("Enter a day of the month, from 1 to 31 inclusive.")},
            "duration_minutes": {"invalid": _("Enter the duration in whole minutes, for example 90.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope(user)
        self.fields["ordinal"].empty_label = None
        self.fields["ordinal"].choices = [("", _("Choose…"))] + list(self.fields["ordinal"].choices)[1:]
        self.fields["weekday"].choices = [("", _("Choose…"))] + list(self.fields["weekday"].choices)[1:]

    def clean_agenda_template(self):
        return normalise_pasted(self.cleaned_data.get("agenda_template", ""), multiline=True)

    def clean(self):
        data = super().clean()
        self._check_members(data)
        return data


class AgendaItemForm(submissions.OnceForm, forms.Form):
    """A free agenda item (one per submission)."""

    title = SingleLineField(label=_("New agenda item"), max_length=200, validators=[validate_single_line],
                            error_messages={"required": _("Give the agenda item a title.")})
    description = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  validators=[MaxTextLengthValidator(MAX_NOTE_CHARS), validate_multiline_text])


class NoteForm(conflicts.ConflictCheckedForm, forms.Form):
    """The minutes of one agenda item, with the version of the item it showed: a note someone else saved in
    between is not overwritten."""

    conflict_fields = ("notes", "status")
    conflict_labels = {"notes": _("Note"), "status": _("State")}

    notes = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            validators=[MaxTextLengthValidator(MAX_MINUTES_NOTE_CHARS), validate_multiline_text])

    def __init__(self, *args, item, **kwargs):
        self.instance = item
        super().__init__(*args, **kwargs)

    def conflict_subject(self, instance):
        return _("Agenda item ‘%(title)s’") % {"title": instance.title}


ACTION, NO_ACTION = "actie", "geen-actie"


class DecisionForm(submissions.OnceForm, forms.Form):
    """A decision, which becomes an action (owner, mandate level, deadline, theme) or stays a decision; one
    decision (and action) per submission."""

    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}),
                           validators=[MaxTextLengthValidator(MAX_COMMENT_CHARS), validate_multiline_text],
                           error_messages={"required": _("Write down what was decided.")})
    outcome = forms.ChoiceField(
        label=_("Will this become an action?"), widget=forms.RadioSelect, initial=ACTION,
        choices=[(ACTION, _("Yes: make it an action now")), (NO_ACTION, _("No: decision without an action"))])
    title = SingleLineField(label=_("Title of the action"), required=False, max_length=200,
                            validators=[validate_single_line],
                            help_text=_("Leave empty: the text of the decision."))
    owner = MemberChoiceField(label=_("Owner"), queryset=get_user_model().objects.none(), required=False)
    mandate_level = forms.TypedChoiceField(label=_("Mandate level"), coerce=int, required=False, empty_value=None,
                                           choices=[("", _("Choose the mandate level"))] + list(MandateLevel.choices))
    deadline = forms.DateField(label=_("Deadline"), required=False, validators=[validate_not_far_future],
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                               error_messages={"invalid": _("Enter a valid date, for example 10-03-2026.")})
    theme = forms.ModelChoiceField(label=_("Reflection theme"), queryset=ReflectionTheme.objects.all(), required=False,
                                   empty_label=_("Choose a theme"))

    REQUIRED_FOR_ACTION = {
        "owner": _("Choose who leads this action: without an owner it is not an action."),
        "mandate_level": _("Choose at which mandate level this is decided."),
        "deadline": _("Choose a deadline: when must it be done?"),
        "theme": _("Choose the reflection theme this action belongs to."),
    }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["owner"].queryset = members_queryset([meeting.partnership_id])
        self.fields["owner"].labels = member_labels([meeting.partnership_id])
        self.fields["owner"].empty_label = _("Choose the owner")

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
    """Close the minutes; ``versie`` holds the minutes as the page showed them (``minutes.sign_minutes``)."""

    carry_open = forms.BooleanField(label=_("Carry the agenda items that are still open over to the next "
                                            "meeting"), required=False, initial=True)
    versie = forms.CharField(widget=forms.HiddenInput, required=False)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AttendanceForm(forms.Form):
    """Per invitee (and the chair): aanwezig, afgemeld or afwezig."""

    def __init__(self, *args, people, recorded, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        choices = [("", _("not filled in yet"))] + list(AttendanceStatus.choices)
        for person in people:
            self.fields[f"persoon_{person.pk}"] = forms.ChoiceField(
                label=person_name(person), choices=choices, required=False, widget=forms.RadioSelect,
                initial=recorded.get(person.pk, ""))

    def statuses(self):
        return {person.pk: self.cleaned_data.get(f"persoon_{person.pk}", "") for person in self.people}

    def rows(self):
        return [(person, self[f"persoon_{person.pk}"]) for person in self.people]


class AddendumForm(forms.Form):
    """A correction to closed minutes."""

    text = forms.CharField(label=_("Addition or correction"), widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("The minutes themselves stay as they were sent out. The addition is "
                                       "shown next to them and is emailed to the same people."),
                           error_messages={"required": _("Write down what should be added to or corrected in "
                                                         "the minutes.")})

    def clean_text(self):
        return normalise_pasted(self.cleaned_data["text"], multiline=True)


class CheckInForm(submissions.OnceForm, forms.Form):
    """One line per open action of the owner: how does it stand? (Sent twice at once, it is saved once.)"""

    def __init__(self, *args, actions, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = actions
        for action in actions:
            self.fields[f"actie_{action.pk}"] = forms.CharField(
                label=action.title, required=False, max_length=300,
                initial=answers.get(action.pk, ""),
                help_text=_("Deadline %(deadline)s · now: %(status)s") % {
                    "deadline": day_label(action.deadline), "status": action.get_status_display()},
                error_messages={"max_length": _("Keep it short: 300 characters at most.")},
                widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def answers(self):
        return {action: self.cleaned_data.get(f"actie_{action.pk}", "") for action in self.actions}
