"""StreamField blocks that put the action plan on any page with a StreamField.

- :class:`ActionListBlock`: the live actions of a partnership, theme, board, status or linked page;
- :class:`ProgressSummaryBlock`: a partnership's key figures (open, overdue, done on time);
- :class:`ReflectionBlock`: the radar or the trend of a partnership's reflection sessions.

Who sees what is decided by ``actieplan/permissions.py`` and every figure comes from
``actieplan/counts.py``, exactly as on the action list (see ``actieplan/block_data.py``). A site adds
them to its own StreamFields with ``ACTIEPLAN_BLOCKS``::

    body = StreamField([..., *ACTIEPLAN_BLOCKS])

Stored values are primary keys as text, so a partnership, theme or page deleted later leaves a
value that still loads: the block then renders an empty state (and a hint for editors), never an error.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from actieplan.actions.models import ActionStatus
from actieplan.partnerships.reference import BoardDomain
from actieplan.actions.models import linkable_pages
from actieplan.blocks.data import ActionListData, ProgressSummaryData, ReflectionData
from actieplan.partnerships.models import Partnership
from actieplan.partnerships.reference import ReflectionTheme


def partnership_choices():
    return [(str(pk), name) for pk, name in Partnership.objects.order_by("name").values_list("pk", "name")]


def theme_choices():
    return [(str(pk), name) for pk, name in
            ReflectionTheme.objects.order_by("sort_order", "name").values_list("pk", "name")]


class ExistingChoiceBlock(blocks.ChoiceBlock):
    """A choice among rows of the database; a value whose row is gone is refused with a Dutch message."""

    def __init__(self, *args, missing_message=None, **kwargs):
        self.missing_message = missing_message
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if value not in (None, "") and str(value) not in {str(key) for key, _label in self.field.choices}:
            raise ValidationError(self.missing_message or _("This choice no longer exists. Choose another one."))
        return super().clean(value)


class RemovablePageChooserBlock(blocks.PageChooserBlock):
    """A page chooser whose stored id survives the page: ``MissingPage`` instead of ``None`` once it is gone."""

    def bulk_to_python(self, values):
        pages = super().bulk_to_python(values)
        return [MissingPage(value) if page is None and value not in (None, "") else page
                for page, value in zip(pages, values)]

    def to_python(self, value):
        page = super().to_python(value)
        return MissingPage(value) if page is None and value not in (None, "") else page

    def get_prep_value(self, value):
        if isinstance(value, MissingPage):
            return value.pk
        return super().get_prep_value(value)

    def get_form_state(self, value):
        return super().get_form_state(None if isinstance(value, MissingPage) else value)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return "wagtail.blocks.PageChooserBlock", args, kwargs


class MissingPage:
    """The value of a page chooser whose page has been deleted."""

    def __init__(self, pk):
        self.pk = pk

    def __bool__(self):
        return False


PUBLIC_DISPLAY_CHOICES = [
    ("count", _("Only the number of actions")),
    ("nothing", _("Nothing")),
]

ORDER_CHOICES = [
    ("deadline", _("Next deadline first")),
    ("-deadline", _("Latest deadline first")),
    ("-updated_at", _("Most recently modified first")),
    ("-completed_at", _("Most recently done first")),
]


def _raise(errors):
    if errors:
        raise StructBlockValidationError(block_errors={name: ValidationError(msg) for name, msg in errors.items()})


class ActionListBlock(blocks.StructBlock):
    """Live actions chosen by partnership, theme, board, status and linked page.

    Those who may see the actions (permissions.py) get their titles; everyone else gets what the
    editor chose in ``public_display``: the number of actions, or nothing. Never a title.
    """

    title = blocks.CharBlock(label=_("heading"), required=False, max_length=150)
    partnership = ExistingChoiceBlock(
        label=_("partnership"), choices=partnership_choices, required=False,
        missing_message=_("This partnership no longer exists. Choose another partnership or leave it empty."),
    )
    theme = ExistingChoiceBlock(
        label=_("reflection theme"), choices=theme_choices, required=False,
        missing_message=_("This reflection theme no longer exists. Choose another theme or leave it empty."),
    )
    board = blocks.ChoiceBlock(label=_("board"), choices=BoardDomain.choices, required=False)
    status = blocks.MultipleChoiceBlock(
        label=_("status"), choices=ActionStatus.choices, required=False,
        help_text=_("Nothing chosen: actions with any status."),
    )
    linked_page = RemovablePageChooserBlock(
        label=_("linked page"), required=False,
        help_text=_("Only actions linked to this good practice or pilot project."),
    )
    number = blocks.IntegerBlock(label=_("number shown"), default=5, min_value=1, max_value=25)
    order = blocks.ChoiceBlock(label=_("order"), choices=ORDER_CHOICES, default="deadline")
    public_display = blocks.ChoiceBlock(
        label=_("what others see"), choices=PUBLIC_DISPLAY_CHOICES, default="count",
        help_text=_("Those who may not view the actions (visitors, other partnerships) see this. Only those "
                    "who may view the action see titles."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Actions from the action plan")
        template = "actieplan/blocks/action_list.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        page = value.get("linked_page")
        if page:
            if not linkable_pages().filter(pk=page.pk).exists():
                errors["linked_page"] = _("No actions can be linked to this page. Choose a published good "
                                          "practice or pilot project.")
        statuses = value.get("status") or []
        if value.get("order") == "-completed_at" and statuses and ActionStatus.AFGEROND not in statuses:
            errors["order"] = _("‘Most recently done first’ only works if ‘done’ is among the statuses (or "
                                "if you do not choose a status).")
        _raise(errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["data"] = ActionListData(self, value, parent_context)
        return context


class ProgressSummaryBlock(blocks.StructBlock):
    """A partnership's key figures, with a link to its progress page for those allowed."""

    title = blocks.CharBlock(label=_("heading"), required=False, max_length=150)
    partnership = ExistingChoiceBlock(
        label=_("partnership"), choices=partnership_choices,
        missing_message=_("This partnership no longer exists. Choose another partnership."),
    )
    public_display = blocks.ChoiceBlock(
        label=_("what others see"), default="nothing",
        choices=[("figures", _("The key figures (counts only)")), ("nothing", _("Nothing"))],
        help_text=_("Members of the partnership always see the key figures."),
    )

    class Meta:
        icon = "table"
        label = _("Key figures of the action plan")
        template = "actieplan/blocks/progress_summary.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["data"] = ProgressSummaryData(self, value, parent_context)
        return context


class ReflectionBlock(blocks.StructBlock):
    """The radar of the latest closed reflection session, or the trend per theme, for the partnership's members."""

    title = blocks.CharBlock(label=_("heading"), required=False, max_length=150)
    partnership = ExistingChoiceBlock(
        label=_("partnership"), choices=partnership_choices,
        missing_message=_("This partnership no longer exists. Choose another partnership."),
    )
    chart = blocks.ChoiceBlock(
        label=_("chart"), default="radar",
        choices=[("radar", _("Radar of the last closed session")), ("trend", _("Trend per theme across the sessions"))],
    )
    sessions = blocks.IntegerBlock(label=_("number of sessions in the trend"), default=4, min_value=2, max_value=8)

    class Meta:
        icon = "view"
        label = _("Reflection: radar or trend")
        template = "actieplan/blocks/reflection.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["data"] = ReflectionData(self, value, parent_context)
        return context


#: The blocks for any StreamField: ``StreamField([..., *ACTIEPLAN_BLOCKS])``.
ACTIEPLAN_BLOCKS = [
    ("action_list", ActionListBlock()),
    ("progress_summary", ProgressSummaryBlock()),
    ("reflection", ReflectionBlock()),
]
