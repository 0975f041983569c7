"""StreamField blocks for good-practice and proeftuin pages: text, quotes, images, documents and a contact."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from actieplan.blocks import ActionListBlock, ProgressSummaryBlock, ReflectionBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading; the page title is the h1, so the body starts at h2."""

    text = blocks.CharBlock(label=_("heading"), max_length=150)
    level = blocks.ChoiceBlock(
        label=_("level"), choices=[("h2", _("heading (level 2)")), ("h3", _("subheading (level 3)"))], default="h2",
        help_text=_("Only use level 3 under a level 2 heading, so that screen readers can follow the structure."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "good_practices/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    """A quote from a pupil, parent, teacher or partner, with who said it."""

    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("who said this"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "good_practices/blocks/quote.html"


class ImageBlock(blocks.StructBlock):
    """An image with a caption; the alternative text describes it for people who cannot see it."""

    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"), required=False, max_length=250,
        help_text=_("Describe what is in the image. Empty: the image’s description is used."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "good_practices/blocks/image.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document file"))
    label = blocks.CharBlock(label=_("description"), required=False, max_length=150)

    class Meta:
        icon = "doc-full"
        label = _("Document link")


class ExternalLinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("address (URL)"))
    label = blocks.CharBlock(label=_("description"), max_length=150)

    class Meta:
        icon = "link"
        label = _("Web link")


class PageLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("page"))
    label = blocks.CharBlock(label=_("description"), required=False, max_length=150)

    class Meta:
        icon = "doc-empty"
        label = _("Page on this platform")


class LinkListBlock(blocks.StructBlock):
    """Documents (handouts, draaiboeken) and links to read more."""

    title = blocks.CharBlock(label=_("title"), required=False, max_length=150, default=_("Find out more"))
    items = blocks.StreamBlock(
        [("document", DocumentLinkBlock()), ("link", ExternalLinkBlock()), ("page", PageLinkBlock())],
        label=_("documents and links"),
    )

    class Meta:
        icon = "list-ul"
        label = _("Documents and links")
        template = "good_practices/blocks/link_list.html"


class ContactPersonBlock(blocks.StructBlock):
    """Who to call to learn more: the contactpersoon of the practice."""

    name = blocks.CharBlock(label=_("name"), max_length=150)
    role = blocks.CharBlock(label=_("job title"), required=False, max_length=150)
    organisation = blocks.CharBlock(label=_("organisation"), required=False, max_length=200)
    email = blocks.EmailBlock(label=_("email address"), required=False)
    phone = blocks.CharBlock(label=_("phone number"), required=False, max_length=30)

    class Meta:
        icon = "user"
        label = _("Contact person")
        template = "good_practices/blocks/contact_person.html"


class PracticeBodyBlock(blocks.StreamBlock):
    """The body of a good practice or proeftuin page."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), icon="pilcrow",
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
