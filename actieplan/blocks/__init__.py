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
            raise ValidationError(self.missing_message or _("Deze keuze bestaat niet meer. Kies een andere."))
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
    ("count", _("Alleen het aantal acties")),
    ("nothing", _("Niets")),
]

ORDER_CHOICES = [
    ("deadline", _("Eerstvolgende deadline eerst")),
    ("-deadline", _("Laatste deadline eerst")),
    ("-updated_at", _("Laatst gewijzigd eerst")),
    ("-completed_at", _("Laatst afgerond eerst")),
]


def _raise(errors):
    if errors:
        raise StructBlockValidationError(block_errors={name: ValidationError(msg) for name, msg in errors.items()})


class ActionListBlock(blocks.StructBlock):
    """Live actions chosen by partnership, theme, board, status and linked page.

    Those who may see the actions (permissions.py) get their titles; everyone else gets what the
    editor chose in ``public_display``: the number of actions, or nothing. Never a title.
    """

    title = blocks.CharBlock(label=_("kop"), required=False, max_length=150)
    partnership = ExistingChoiceBlock(
        label=_("samenwerkingsverband"), choices=partnership_choices, required=False,
        missing_message=_("Dit samenwerkingsverband bestaat niet meer. Kies een ander samenwerkingsverband of laat het leeg."),
    )
    theme = ExistingChoiceBlock(
        label=_("reflectiethema"), choices=theme_choices, required=False,
        missing_message=_("Dit reflectiethema bestaat niet meer. Kies een ander thema of laat het leeg."),
    )
    board = blocks.ChoiceBlock(label=_("bord"), choices=BoardDomain.choices, required=False)
    status = blocks.MultipleChoiceBlock(
        label=_("status"), choices=ActionStatus.choices, required=False,
        help_text=_("Niets gekozen: acties met elke status."),
    )
    linked_page = RemovablePageChooserBlock(
        label=_("gekoppelde pagina"), required=False,
        help_text=_("Alleen acties die aan deze good practice of proeftuin gekoppeld zijn."),
    )
    number = blocks.IntegerBlock(label=_("aantal getoond"), default=5, min_value=1, max_value=25)
    order = blocks.ChoiceBlock(label=_("volgorde"), choices=ORDER_CHOICES, default="deadline")
    public_display = blocks.ChoiceBlock(
        label=_("wat anderen zien"), choices=PUBLIC_DISPLAY_CHOICES, default="count",
        help_text=_("Wie de acties niet mag inzien (bezoekers, andere samenwerkingsverbanden) ziet dit. "
                    "Titels ziet alleen wie de actie mag inzien."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Acties uit het actieplan")
        template = "actieplan/blocks/action_list.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        page = value.get("linked_page")
        if page:
            if not linkable_pages().filter(pk=page.pk).exists():
                errors["linked_page"] = _("Aan deze pagina kunnen geen acties gekoppeld worden. "
                                          "Kies een gepubliceerde good practice of proeftuin.")
        statuses = value.get("status") or []
        if value.get("order") == "-completed_at" and statuses and ActionStatus.AFGEROND not in statuses:
            errors["order"] = _("‘Laatst afgerond eerst’ werkt alleen als ‘afgerond’ bij de statussen staat "
                                "(of als je geen status kiest).")
        _raise(errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["data"] = ActionListData(self, value, parent_context)
        return context


class ProgressSummaryBlock(blocks.StructBlock):
    """A partnership's key figures, with a link to its progress page for those allowed."""

    title = blocks.CharBlock(label=_("kop"), required=False, max_length=150)
    partnership = ExistingChoiceBlock(
        label=_("samenwerkingsverband"), choices=partnership_choices,
        missing_message=_("Dit samenwerkingsverband bestaat niet meer. Kies een ander samenwerkingsverband."),
    )
    public_display = blocks.ChoiceBlock(
        label=_("wat anderen zien"), default="nothing",
        choices=[("figures", _("De kerncijfers (alleen aantallen)")), ("nothing", _("Niets"))],
        help_text=_("Leden van het samenwerkingsverband zien altijd de kerncijfers."),
    )

    class Meta:
        icon = "table"
        label = _("Kerncijfers van het actieplan")
        template = "actieplan/blocks/progress_summary.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["data"] = ProgressSummaryData(self, value, parent_context)
        return context


class ReflectionBlock(blocks.StructBlock):
    """The radar of the latest closed reflection session, or the trend per theme, for the partnership's members."""

    title = blocks.CharBlock(label=_("kop"), required=False, max_length=150)
    partnership = ExistingChoiceBlock(
        label=_("samenwerkingsverband"), choices=partnership_choices,
        missing_message=_("Dit samenwerkingsverband bestaat niet meer. Kies een ander samenwerkingsverband."),
    )
    chart = blocks.ChoiceBlock(
        label=_("grafiek"), default="radar",
        choices=[("radar", _("Radar van de laatste afgesloten sessie")), ("trend", _("Verloop per thema over de sessies"))],
    )
    sessions = blocks.IntegerBlock(label=_("aantal sessies in het verloop"), default=4, min_value=2, max_value=8)

    class Meta:
        icon = "view"
        label = _("Reflectie: radar of verloop")
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
