"""Forms of the working group's pages: an action (create/edit) and a progress update."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from actieplan import submissions
from actieplan.conflicts import ConflictCheckedForm
from actieplan.formats import person_name
from actieplan.actions.models import ACTIVE_STATUSES
from actieplan.actions.models import Action, ActionStatus, adopted_practice, linkable_pages
from actieplan.partnerships.models import Organisation
from actieplan.partnerships.reference import ReflectionQuestion, ReflectionTheme
from actieplan.partnerships.permissions import manageable_partnerships
from actieplan.validators import (
    MAX_NOTE_CHARS, MaxTextLengthValidator, normalise_pasted, parse_id, validate_multiline_text,
)

def reflection_sessions():
    """The reflection sessions (a capability above actions: an action names its source session by relation)."""
    return Action._meta.get_field("source_session").related_model.objects.all()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class QuestionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.text}"


EMPTY_LABEL = _("Choose…")


def deadline_reason_field():
    return forms.CharField(
        label=_("Reason if the deadline changes"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required if you change the deadline; the reason goes in the action's timeline."),
    )


class DeadlineReasonMixin:
    """An existing action's deadline changes only with a reason, which goes on its timeline.

    The Voortgang page counts postponements; the front-end form and the admin form ask the same. Each
    declares ``deadline_reason = deadline_reason_field()`` (a plain mixin adds no declared fields); a new
    action has no deadline to change, so the field goes there.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["deadline_reason"]

    @property
    def deadline_changed(self):
        """True when an existing action gets another deadline (so a reason is required)."""
        new = getattr(self, "cleaned_data", {}).get("deadline")
        return bool(self.instance.pk and new and self.instance._loaded_deadline
                    and new != self.instance._loaded_deadline)

    def clean(self):
        cleaned = super().clean()
        if "deadline_reason" in self.fields:
            cleaned["deadline_reason"] = (cleaned.get("deadline_reason") or "").strip()
            if self.deadline_changed and not cleaned["deadline_reason"]:
                self.add_error("deadline_reason", _("Give a reason why the deadline changes; that reason "
                                                    "goes in the action's timeline."))
        return cleaned


class ActionForm(ConflictCheckedForm, DeadlineReasonMixin, forms.ModelForm):
    """Create or edit an action; ``Action.clean`` supplies the Dutch messages for mistakes across fields.

    Pass ``user``: partnerships, owners, organisations and sessions are limited to what that user may use.
    A new action's form carries a one-time key (one action per submission, ``actieplan.submissions``); an
    existing action's form the version it showed (``actieplan.conflicts``).
    """

    deadline_reason = deadline_reason_field()

    class Meta:
        model = Action
        fields = ["title", "description", "partnership", "theme", "question", "source_session", "board",
                  "owner", "owner_organisation", "mandate_level", "deadline", "status", "parent", "weight",
                  "linked_pages"]
        field_classes = {"owner": PersonChoiceField, "question": QuestionChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "question": forms.Select(attrs={"data-narrow-by": "id_theme"}),
            "linked_pages": forms.CheckboxSelectMultiple(attrs={"class": "ap-checklist", "data-searchable": "true"}),
        }
        help_texts = {
            "title": _("What is going to happen? Start with a verb, for example: 'Plan a joint LOB day with "
                       "the mbo'."),
            "owner": _("One person who is a member of the partnership and leads the action."),
            "owner_organisation": _("Leave empty: the organisation on whose behalf the owner is a member."),
            "mandate_level": _("At what level is this decided: operational, management or board level?"),
            "linked_pages": _("Tick the good practices and pilot projects that belong to this action; type "
                              "in the search field to shorten the list."),
            "question": _("The questions of the chosen theme."),
        }

    def clean_description(self):
        """Text pasted from Word keeps its lines; its odd spaces and curly quotes become plain ones."""
        return normalise_pasted(self.cleaned_data.get("description", ""), multiline=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        partnerships = manageable_partnerships(user)
        ids = partnerships.values("pk")
        User = get_user_model()
        self.fields["partnership"].queryset = partnerships
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True, lob_memberships__partnership__in=ids).distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["owner_organisation"].queryset = (
            Organisation.objects.choosable(self.instance.owner_organisation_id)
            .filter(memberships__partnership__in=ids).distinct()
        )
        self.fields["source_session"].queryset = reflection_sessions().filter(partnership__in=ids)
        questions = ReflectionQuestion.objects.select_related("theme").order_by("theme__sort_order", "number")
        self.fields["question"].queryset = questions
        # Grouped per theme (works without JavaScript; action_form.js shows only the chosen theme's group).
        groups = {}
        for question in questions:
            groups.setdefault(question.theme.name, []).append(
                (question.pk, self.fields["question"].label_from_instance(question)))
        self.fields["question"].choices = [("", EMPTY_LABEL), *groups.items()]
        parents = Action.objects.filter(partnership__in=ids, parent__isnull=True, status__in=ACTIVE_STATUSES,
                                        archived=False)
        if self.instance.pk is not None:
            parents = parents.exclude(pk=self.instance.pk)
        if self.instance.parent_id:
            # The main action it has stays a choice, even once closed (the sub-action rule checks changes).
            parents = parents | Action.objects.filter(pk=self.instance.parent_id)
        self.fields["parent"].queryset = parents.order_by("title")
        if self.instance.pk is not None and self.instance.children.exists():
            del self.fields["parent"], self.fields["weight"]  # a parent is not a sub-action itself
        self.fields["linked_pages"].queryset = linkable_pages()
        self.fields["partnership"].empty_label = (None if partnerships.count() == 1
                                                 else _("Choose a partnership"))
        if self.instance.pk is None:
            # A new action always starts open; its status changes through updates.
            del self.fields["status"]
            self.fields[submissions.FIELD] = submissions.key_field()
        else:
            self.order_fields(self._fields_with_reason_after_deadline())
        if not self.fields["linked_pages"].queryset.exists():
            del self.fields["linked_pages"]
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None and name != "partnership":
                field.empty_label = EMPTY_LABEL
            elif isinstance(field, forms.TypedChoiceField) and field.choices and field.choices[0][0] == "":
                field.choices = [("", EMPTY_LABEL), *field.choices[1:]]

    def full_clean(self):
        super().full_clean()
        # Fields in error say so to screen readers and point at their message.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}_error"})

    def _fields_with_reason_after_deadline(self):
        names = [name for name in self.fields if name != "deadline_reason"]
        at = names.index("deadline") + 1 if "deadline" in names else len(names)
        return names[:at] + ["deadline_reason"] + names[at:]

    @classmethod
    def initial_from_query(cls, query, user):
        """Prefill from a link (e.g. the reflectietool's results page): only values the user may use."""
        initial = {}
        partnerships = manageable_partnerships(user)

        def pick(name, queryset):
            value = parse_id(query.get(name, ""))
            return queryset.filter(pk=value).first() if value else None

        session = pick("source_session", reflection_sessions().filter(partnership__in=partnerships))
        partnership = pick("partnership", partnerships) or (session.partnership if session else None)
        question = pick("question", ReflectionQuestion.objects.all())
        parent = pick("parent", Action.objects.filter(partnership__in=partnerships, parent__isnull=True))
        theme = pick("theme", ReflectionTheme.objects.all()) or (question.theme if question else None)
        if parent is not None:
            partnership = parent.partnership
        for name, value in (("source_session", session), ("partnership", partnership),
                            ("question", question), ("theme", theme), ("parent", parent)):
            if value is not None:
                initial[name] = value.pk
        practice = adopted_practice(query)
        if practice is not None:
            # "We gaan dit doen" on a good practice: the action starts from it and stays linked to it.
            initial["linked_pages"] = [practice.pk]
            initial.setdefault("title", str(_("Getting started with: %(title)s") % {"title": practice.title})[:200])
            initial.setdefault("description", practice.summary)
            theme = practice.reflection_themes.order_by("sort_order").first()
            if theme is not None and "theme" not in initial:
                initial["theme"] = theme.pk
        # From a page's edit view (actieplan/panels.py): only a live good practice or proeftuin.
        page = pick("linked_page", linkable_pages())
        if page is not None:
            initial["linked_pages"] = [page.pk]
        return initial


class ActionUpdateForm(submissions.OnceForm, forms.Form):
    """A progress note with an optional new status and percentage done.

    It carries the status it showed (``seen_status``): a new status is not applied over one that someone else
    set in between. And a one-time key: a double click adds one note.
    """

    note = forms.CharField(
        label=_("What has happened?"), widget=forms.Textarea(attrs={"rows": 3}),
        validators=[MaxTextLengthValidator(MAX_NOTE_CHARS), validate_multiline_text],
        error_messages={"required": _("Briefly write what happened.")},
    )
    new_status = forms.ChoiceField(
        label=_("New status"), required=False,
        choices=[("", _("Don't change the status"))] + list(ActionStatus.choices),
    )
    percent_done = forms.IntegerField(
        label=_("Percentage complete"), required=False, min_value=0, max_value=100,
        help_text=_("Optional: a number from 0 to 100 inclusive."),
        error_messages={
            "invalid": _("Enter a whole number from 0 to 100 inclusive."),
            "min_value": _("The percentage cannot be lower than 0; enter a number from 0 to 100 inclusive."),
            "max_value": _("The percentage cannot be higher than 100; enter a number from 0 to 100 inclusive."),
        },
    )

    seen_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action is not None:
            self.fields["seen_status"].initial = action.status
            # Offer only real changes: the current status is "niet wijzigen".
            self.fields["new_status"].choices = [("", _("Don't change the status (now: %(status)s)") % {
                "status": action.get_status_display()})] + [
                (value, label) for value, label in ActionStatus.choices if value != action.status]

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Briefly write what happened."))
        return note
