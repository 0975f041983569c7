"""StreamField blocks for good-practice and proeftuin pages: text, quotes, images, documents and a contact."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from actieplan.blocks import ActionListBlock, ProgressSummaryBlock, ReflectionBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading; the page title is the h1, so the body starts at h2."""

    text = blocks.CharBlock(label=_("kop"), max_length=150)
    level = blocks.ChoiceBlock(
        label=_("niveau"), choices=[("h2", _("kop (niveau 2)")), ("h3", _("subkop (niveau 3)"))], default="h2",
        help_text=_("Gebruik niveau 3 alleen onder een kop van niveau 2, zodat schermlezers de structuur volgen."),
    )

    class Meta:
        icon = "title"
        label = _("Kop")
        template = "good_practices/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    """A quote from a pupil, parent, teacher or partner, with who said it."""

    text = blocks.TextBlock(label=_("citaat"))
    attribution = blocks.CharBlock(label=_("wie zei dit"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        label = _("Citaat")
        template = "good_practices/blocks/quote.html"


class ImageBlock(blocks.StructBlock):
    """An image with a caption; the alternative text describes it for people who cannot see it."""

    image = ImageChooserBlock(label=_("afbeelding"))
    alt_text = blocks.CharBlock(
        label=_("alternatieve tekst"), required=False, max_length=250,
        help_text=_("Beschrijf wat er op de afbeelding staat. Leeg: de omschrijving van de afbeelding wordt gebruikt."),
    )
    caption = blocks.CharBlock(label=_("onderschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Afbeelding")
        template = "good_practices/blocks/image.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(label=_("omschrijving"), required=False, max_length=150)

    class Meta:
        icon = "doc-full"
        label = _("Document")


class ExternalLinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("adres (URL)"))
    label = blocks.CharBlock(label=_("omschrijving"), max_length=150)

    class Meta:
        icon = "link"
        label = _("Link")


class PageLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("pagina"))
    label = blocks.CharBlock(label=_("omschrijving"), required=False, max_length=150)

    class Meta:
        icon = "doc-empty"
        label = _("Pagina op dit platform")


class LinkListBlock(blocks.StructBlock):
    """Documents (handouts, draaiboeken) and links to read more."""

    title = blocks.CharBlock(label=_("titel"), required=False, max_length=150, default=_("Meer weten"))
    items = blocks.StreamBlock(
        [("document", DocumentLinkBlock()), ("link", ExternalLinkBlock()), ("page", PageLinkBlock())],
        label=_("documenten en links"),
    )

    class Meta:
        icon = "list-ul"
        label = _("Documenten en links")
        template = "good_practices/blocks/link_list.html"


class ContactPersonBlock(blocks.StructBlock):
    """Who to call to learn more: the contactpersoon of the practice."""

    name = blocks.CharBlock(label=_("naam"), max_length=150)
    role = blocks.CharBlock(label=_("functie"), required=False, max_length=150)
    organisation = blocks.CharBlock(label=_("organisatie"), required=False, max_length=200)
    email = blocks.EmailBlock(label=_("e-mailadres"), required=False)
    phone = blocks.CharBlock(label=_("telefoonnummer"), required=False, max_length=30)

    class Meta:
        icon = "user"
        label = _("Contactpersoon")
        template = "good_practices/blocks/contact_person.html"


class PracticeBodyBlock(blocks.StreamBlock):
    """The body of a good practice or proeftuin page."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Alinea"), icon="pilcrow",
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        template="good_practices/blocks/paragraph.html",
    )
    quote = QuoteBlock()
    image = ImageBlock()
    links = LinkListBlock()
    contact = ContactPersonBlock()
    action_list = ActionListBlock()
    progress_summary = ProgressSummaryBlock()
    reflection = ReflectionBlock()
