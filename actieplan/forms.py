"""Forms of the working group's pages: an action (create/edit) and a progress update."""

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .filters import person_label
from .models import (
    Action, ActionStatus, Organisation, Partnership, ReflectionQuestion, ReflectionSession, ReflectionTheme,
)
from .permissions import EDITOR_ROLES, is_platform_admin, member_partnerships
from .validators import parse_id

#: Page types an action may link to (app_label, model); missing ones are skipped.
LINKABLE_PAGE_TYPES = [("good_practices", "GoodPracticePage"), ("good_practices", "ProeftuinPage")]


def linkable_pages():
    """Live good-practice and proeftuin pages, or none while those page types do not exist yet."""
    models = []
    for app_label, model_name in LINKABLE_PAGE_TYPES:
        try:
            models.append(apps.get_model(app_label, model_name))
        except LookupError:
            continue
    if not models:
        return Page.objects.none()
    return Page.objects.live().type(*models).order_by("title")


def manageable_partnerships(user):
    """Partnerships in which ``user`` may create and change actions."""
    if is_platform_admin(user):
        return Partnership.objects.filter(archived=False)
    return Partnership.objects.filter(pk__in=member_partnerships(user, EDITOR_ROLES))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class QuestionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.theme.name} {obj.number}. {obj.text}"


class ActionForm(forms.ModelForm):
    """Create or edit an action; ``Action.clean`` supplies the Dutch messages for mistakes across fields.

    Pass ``user``: partnerships, owners, organisations and sessions are limited to what that user may use.
    """

    class Meta:
        model = Action
        fields = ["title", "description", "partnership", "theme", "question", "source_session", "board",
                  "owner", "owner_organisation", "mandate_level", "deadline", "status", "linked_pages"]
        field_classes = {"owner": PersonChoiceField, "question": QuestionChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "linked_pages": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "title": _("Wat gaat er gebeuren? Begin met een werkwoord, bijvoorbeeld: "
                       "'Plan een gezamenlijke LOB-dag met het mbo'."),
            "owner": _("Eén persoon die lid is van het samenwerkingsverband en de actie trekt."),
            "owner_organisation": _("Leeg laten: de organisatie waarvoor de eigenaar lid is."),
            "mandate_level": _("Op welk niveau wordt hierover besloten: uitvoerend, management of bestuurlijk?"),
            "linked_pages": _("Houd Ctrl (of Cmd) ingedrukt om meer dan één pagina te kiezen."),
        }

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
            Organisation.objects.filter(memberships__partnership__in=ids).distinct()
        )
        self.fields["source_session"].queryset = ReflectionSession.objects.filter(partnership__in=ids)
        self.fields["question"].queryset = ReflectionQuestion.objects.select_related("theme")
        self.fields["linked_pages"].queryset = linkable_pages()
        self.fields["partnership"].empty_label = (None if partnerships.count() == 1
                                                 else _("Kies een samenwerkingsverband"))
        if self.instance.pk is None:
            # A new action always starts open; its status changes through updates.
            del self.fields["status"]
        if not self.fields["linked_pages"].queryset.exists():
            del self.fields["linked_pages"]

    @classmethod
    def initial_from_query(cls, query, user):
        """Prefill from a link (e.g. the reflectietool's results page): only values the user may use."""
        initial = {}
        partnerships = manageable_partnerships(user)

        def pick(name, queryset):
            value = parse_id(query.get(name, ""))
            return queryset.filter(pk=value).first() if value else None

        session = pick("source_session", ReflectionSession.objects.filter(partnership__in=partnerships))
        partnership = pick("partnership", partnerships) or (session.partnership if session else None)
        question = pick("question", ReflectionQuestion.objects.all())
        theme = pick("theme", ReflectionTheme.objects.all()) or (question.theme if question else None)
        for name, value in (("source_session", session), ("partnership", partnership),
                            ("question", question), ("theme", theme)):
            if value is not None:
                initial[name] = value.pk
        return initial


class ActionUpdateForm(forms.Form):
    """A progress note with an optional new status and percentage done."""

    note = forms.CharField(
        label=_("Wat is er gebeurd?"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf kort wat er gebeurd is.")},
    )
    new_status = forms.ChoiceField(
        label=_("Nieuwe status"), required=False,
        choices=[("", _("Status niet wijzigen"))] + list(ActionStatus.choices),
    )
    percent_done = forms.IntegerField(
        label=_("Percentage gereed"), required=False, min_value=0, max_value=100,
        help_text=_("Optioneel: een getal van 0 tot en met 100."),
        error_messages={
            "invalid": _("Vul een heel getal in van 0 tot en met 100."),
            "min_value": _("Het percentage kan niet lager zijn dan 0; vul een getal in van 0 tot en met 100."),
            "max_value": _("Het percentage kan niet hoger zijn dan 100; vul een getal in van 0 tot en met 100."),
        },
    )

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action is not None:
            # Offer only real changes: the current status is "niet wijzigen".
            self.fields["new_status"].choices = [("", _("Status niet wijzigen (nu: %(status)s)") % {
                "status": action.get_status_display()})] + [
                (value, label) for value, label in ActionStatus.choices if value != action.status]

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Schrijf kort wat er gebeurd is."))
        return note
