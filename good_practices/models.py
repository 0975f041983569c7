"""Het delen waard: the good-practice library, the proeftuinen (pilots) and the taxonomies that tag them."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from actieplan import caching
from actieplan.actions import counts
from actieplan.actions.models import Action, ActionStatus, ActionUpdate
from actieplan.actions.panels import LinkedActionsPanel
from actieplan.conf import app_settings
from actieplan.formats import first_free
from actieplan.partnerships.permissions import manageable_partnerships
from actieplan.partnerships.reference import BoardDomain

from good_practices import experiences, search
from good_practices.blocks import PracticeBodyBlock
from good_practices.forms import DraftAwarePageForm
from good_practices.filters import GoodPracticeFilterSet, ProeftuinFilterSet
from good_practices.panels import ReadOnlyIfSetPanel
from good_practices.taxonomy import (  # noqa: F401  (models of this app: Django finds them here)
    CiosLevel, ContentArea, DelenWaardTheme, LeerkringStage, LoopbaanCompetentie, SchoolType, TargetGroup, Taxonomy,
    Transition,
)




def hidden_restrictions(request):
    """The view restrictions (login, group, password) that ``request`` does not pass."""
    return [restriction for restriction in PageViewRestriction.objects.select_related("page")
            if not restriction.accept_request(request)]


def restrict_to_visible(queryset, request, hidden=None):
    """Leave out pages behind a view restriction that ``request`` does not pass."""
    for restriction in hidden_restrictions(request) if hidden is None else hidden:
        queryset = queryset.not_descendant_of(restriction.page, inclusive=True)
    return queryset


# --- The library ------------------------------------------------------------------------------


class GoodPracticeIndexPage(Page):
    """The library "Het delen waard": good practices, filtered by facets and searched in full text."""

    base_form_class = DraftAwarePageForm

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = app_settings.LOB_INDEX_PARENT_PAGE_TYPES
    subpage_types = ["good_practices.GoodPracticePage"]
    max_count_per_parent = 1
    per_page = 12

    class Meta:
        verbose_name = _("Het delen waard library")
        verbose_name_plural = _("Het delen waard libraries")

    def practices(self, request, hidden=None):
        """The published practices in this library that ``request`` may see."""
        queryset = GoodPracticePage.objects.child_of(self).live()
        return restrict_to_visible(queryset, request, hidden)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        hidden = hidden_restrictions(request)
        query = request.GET.get("q", "").strip()[:200]
        found = self.library_context(request, request.GET, query, hidden)
        if query and not found["result_count"]:
            # A near miss ("stagge"): show what the closest words of the library find, and say so.
            suggestion = search.correction(self.searchable(), query, contains=self.SUBSTRING_FIELDS,
                                           visible=self.practices(request, hidden))
            if suggestion:
                data = request.GET.copy()
                data["q"] = suggestion
                data.pop("pagina", None)
                found = self.library_context(request, data, suggestion, hidden)
                found.update({"suggestion": suggestion, "typed_query": query})
        context.update(found)
        return context

    #: The fields a search word may occur in as a part of a word ("betrokkenheid" in "ouderbetrokkenheid").
    SUBSTRING_FIELDS = ("title", "summary")

    def searchable(self):
        """What the search backend searches in: the live practices under this library."""
        return GoodPracticePage.objects.live().descendant_of(self)

    def library_context(self, request, data, query, hidden):
        """The results, facets and chips for the selection ``data`` (a QueryDict) and search ``query``."""
        base = self.practices(request, hidden)
        words = search.condition(self.searchable(), query, contains=self.SUBSTRING_FIELDS,
                                 cache_as=f"library-{self.pk}") if query else None
        if words is not None:
            # Search first, then let the facets narrow it (and count within the found practices).
            base = base.filter(words)
        filterset = GoodPracticeFilterSet(data or None, queryset=base, request=request)
        terms = search.terms(query) if words is not None else []
        # pk IN (the filtered list) rather than DISTINCT over every column of the page row.
        results = GoodPracticePage.objects.filter(pk__in=filterset.qs.order_by().values("pk")).order_by(
            *search.relevance(terms), "title")

        results = results.select_related("region").prefetch_related("themes", "transitions")
        paginator = Paginator(results, self.per_page)
        # The facet block (counts per option, chips) and the number of results are the costly part and the
        # same for everyone who sees the same practices with the same selection: cached together until the
        # library changes (see search.LIBRARY), so the count always belongs to the block beside it.
        selection = sorted((name, sorted(values)) for name, values in data.lists() if name != "pagina")
        block_parts = ("library-block", self.pk, [r.pk for r in hidden], selection, get_language())
        block = caching.cached(search.LIBRARY, block_parts)
        if block is not None:
            paginator.count = block["count"]
        try:
            page_obj = paginator.page(data.get("pagina", 1))
        except (PageNotAnInteger, EmptyPage):
            page_obj = paginator.page(1)
        params = data.copy()
        params.pop("pagina", None)
        chips = filterset.chips()
        if query:
            without_query = params.copy()
            without_query.pop("q", None)
            chips.insert(0, {"facet": _("Search term"), "label": query, "remove_query": without_query.urlencode()})
        active_filter_count = len(chips) - (1 if query else 0)
        if block is None:
            filterset.add_counts(base)
            without_query = params.copy()
            without_query.pop("q", None)
            block = {"count": paginator.count, "html": render_to_string(
                "good_practices/includes/library_filters.html", {
                    "page": self, "filterset": filterset, "query": query, "chips": chips,
                    "active_filter_count": active_filter_count, "request": request,
                    # With nothing found every option counts 0: the panel says why instead of looking empty.
                    "nothing_found": not paginator.count, "without_query": without_query.urlencode(),
                }, request=request)}
            caching.store(search.LIBRARY, block_parts, block)
        return {
            "filters_html": block["html"],
            "filterset": filterset,
            "query": query,
            "search_terms": terms,
            "results": page_obj,
            "result_count": paginator.count,
            "filter_querystring": params.urlencode(),
            "chips": chips,
            "active_filter_count": active_filter_count,
            "is_filtered": bool(chips),
        }


#: After this long without a review a practice appears in the report "Good practices te beoordelen".
REVIEW_AFTER_MONTHS = 12


def review_cutoff(today=None):
    """The date twelve months before ``today``: reviewed (or published) before it means due for review."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - REVIEW_AFTER_MONTHS // 12)
    except ValueError:  # 29 February
        return today.replace(year=today.year - REVIEW_AFTER_MONTHS // 12, day=28)


def due_for_review(practices, today=None):
    """The practices in ``practices`` not reviewed in twelve months; never reviewed counts from first publication.

    The one rule the report, its export and the dashboard panel share.
    """
    cutoff = review_cutoff(today)
    start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    return practices.filter(
        Q(reviewed_at__lt=cutoff)
        | Q(reviewed_at__isnull=True, first_published_at__lt=start)
        | Q(reviewed_at__isnull=True, first_published_at__isnull=True, latest_revision_created_at__lt=start)
    )


class GoodPracticePage(Page):
    """A good practice: what was done, for whom, by whom, and whom to call to learn more."""

    base_form_class = DraftAwarePageForm

    summary = models.TextField(
        _("summary"), max_length=600,
        help_text=_("Two or three sentences: what is it and why does it work? Appears in the library."),
    )
    body = StreamField(PracticeBodyBlock(), verbose_name=_("content"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_role = models.CharField(_("contact person’s role"), max_length=150, blank=True)
    contact_organisation = models.CharField(_("contact person’s organisation"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact person’s email address"), blank=True)
    contact_phone = models.CharField(_("contact person’s phone number"), max_length=30, blank=True)
    organisations = ParentalManyToManyField(
        "actieplan.Organisation", verbose_name=_("organisations"), blank=True, related_name="good_practices",
    )
    region = models.ForeignKey(
        "actieplan.Region", verbose_name=_("(sub)region"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="good_practices",
    )
    themes = ParentalManyToManyField(DelenWaardTheme, verbose_name=_("themes"), blank=True,
                                     related_name="good_practices")
    transitions = ParentalManyToManyField(Transition, verbose_name=_("transitions"), blank=True,
                                          related_name="good_practices")
    school_types = ParentalManyToManyField(SchoolType, verbose_name=_("types of education"), blank=True,
                                           related_name="good_practices")
    competenties = ParentalManyToManyField(LoopbaanCompetentie, verbose_name=_("career competences"),
                                           blank=True, related_name="good_practices")
    target_groups = ParentalManyToManyField(TargetGroup, verbose_name=_("target groups"), blank=True,
                                            related_name="good_practices")
    cios_levels = ParentalManyToManyField(CiosLevel, verbose_name=_("partnership with parents (CIOS+R)"),
                                          blank=True, related_name="good_practices")
    reflection_themes = ParentalManyToManyField(
        "actieplan.ReflectionTheme", verbose_name=_("reflection themes"), related_name="good_practices", blank=True,
        help_text=_("Which themes of the reflection tool does this approach help with? The reflection tool will then show it as inspiration."),
    )
    source = models.CharField(_("source"), max_length=250, blank=True,
                              help_text=_("Where does this example come from (research, brochure, pilot project)?"))
    source_proeftuin = models.ForeignKey(
        "good_practices.ProeftuinPage", verbose_name=_("originated from pilot project"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="promoted_practices",
    )
    reviewed_at = models.DateField(
        _("last reviewed on"), null=True, blank=True,
        help_text=_("When did an editor last check that this good practice is still accurate? After twelve "
                    "months it appears in the report 'Good practices to review'."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel([
            FieldPanel("contact_name"), FieldPanel("contact_role"), FieldPanel("contact_organisation"),
            FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
        ], heading=_("Contact details")),
        MultiFieldPanel([
            FieldPanel("organisations"), FieldPanel("region"), FieldPanel("source"),
            ReadOnlyIfSetPanel("source_proeftuin"),
        ], heading=_("Origin")),
        FieldPanel("reviewed_at"),
        MultiFieldPanel([
            FieldPanel(name, widget=forms.CheckboxSelectMultiple)
            for name in ("themes", "transitions", "school_types", "competenties", "target_groups",
                         "cios_levels", "reflection_themes")
        ], heading=_("Classification (for the filters)")),
        LinkedActionsPanel(),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("contact_name"),
        index.SearchField("source"),
        # Autocomplete on the related names too: "ouder" then finds what "ouders" finds (the target group
        # "Ouders"), also where the backend does not stem (SQLite).
        index.RelatedFields("organisations", [index.SearchField("name"), index.AutocompleteField("name")]),
        index.RelatedFields("region", [index.SearchField("name"), index.AutocompleteField("name")]),
        index.RelatedFields("themes", [index.SearchField("name"), index.AutocompleteField("name")]),
        index.RelatedFields("transitions", [index.SearchField("name"), index.AutocompleteField("name")]),
        index.RelatedFields("target_groups", [index.SearchField("name"), index.AutocompleteField("name")]),
        index.AutocompleteField("title"),
        index.AutocompleteField("summary"),
        index.AutocompleteField("body"),
        index.AutocompleteField("contact_name"),
    ]
    parent_page_types = ["good_practices.GoodPracticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    def adopting_actions(self):
        """The actions of any plan linked to this practice: how partnerships took it up ("We gaan dit doen")."""
        return Action.objects.filter(linked_pages=self)

    def related_practices(self, limit=4):
        """Other published, public practices with the same theme or transition; both shared first."""
        # Lists, not sub-queries: in a preview the relations are modelcluster's in-memory sets.
        themes = [theme.pk for theme in self.themes.all()]
        transitions = [transition.pk for transition in self.transitions.all()]
        same_theme = Q(pk__in=GoodPracticePage.objects.filter(themes__in=themes).values("pk"))
        same_transition = Q(pk__in=GoodPracticePage.objects.filter(transitions__in=transitions).values("pk"))
        return (GoodPracticePage.objects.live().public().exclude(pk=self.pk).filter(same_theme | same_transition)
                .order_by(Case(When(same_theme & same_transition, then=Value(0)), default=Value(1),
                               output_field=IntegerField()), "title")[:limit])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        actions = self.adopting_actions()
        # Everyone sees how far the practice spread; who does what, and what they learnt, is for the
        # members of the partnership concerned (the action plan's visibility rule).
        context["adoption"] = counts.adoption(actions)
        # What the partnerships that chose to share them learnt, without anything else of their plans.
        context["shared_experiences"] = experiences.shared_experiences(self)
        own = []
        if request.user.is_authenticated:
            own = list(counts.visible(request.user, actions).select_related("partnership", "owner")
                       .order_by("partnership__name", "deadline"))
            notes = {}
            for update in ActionUpdate.objects.filter(
                    action__in=[a.pk for a in own if a.status == ActionStatus.AFGEROND],
                    new_status=ActionStatus.AFGEROND).order_by("created_at", "pk"):
                notes[update.action_id] = update  # the last closing note wins
            for action in own:
                action.closing_note = notes.get(action.pk)
            context["can_adopt"] = manageable_partnerships(request.user).exists()
        context["own_adoptions"] = own
        context["related_practices"] = self.related_practices()
        return context


class ProeftuinIndexPage(Page):
    """The overview of proeftuinen: small pilots instead of endless meetings (principle 8, source 001)."""

    base_form_class = DraftAwarePageForm

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = app_settings.LOB_INDEX_PARENT_PAGE_TYPES
    subpage_types = ["good_practices.ProeftuinPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("pilot project overview")
        verbose_name_plural = _("pilot project overviews")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        proeftuinen = restrict_to_visible(ProeftuinPage.objects.child_of(self).live(), request)
        filterset = ProeftuinFilterSet(request.GET or None, queryset=proeftuinen)
        context["filterset"] = filterset
        context["active_filter_count"] = filterset.selection_count()
        context["proeftuinen"] = filterset.qs.distinct().order_by("-start_date", "title").prefetch_related(
            "content_areas")
        return context


class ProeftuinPage(Page):
    """A proeftuin: a small pilot with an aim, partners, a leerkring stage, dates and an honest evaluation."""

    base_form_class = DraftAwarePageForm

    summary = models.TextField(_("summary"), max_length=600,
                               help_text=_("Two or three sentences: what are we trying out, and why?"))
    aim = models.TextField(_("goal"), help_text=_("What do we want this pilot project to bring about, and for whom?"))
    partners = models.TextField(_("participating partners"), blank=True,
                                help_text=_("Which schools, businesses and chain partners are taking part?"))
    partner_organisations = ParentalManyToManyField(
        "actieplan.Organisation", verbose_name=_("partner organisations on the platform"), blank=True,
        related_name="proeftuinen",
    )
    region = models.ForeignKey("actieplan.Region", verbose_name=_("(sub)region"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="proeftuinen")
    stage = models.CharField(_("phase (learning circle)"), max_length=20, choices=LeerkringStage.choices,
                             default=LeerkringStage.KENNISMAKING)
    board = models.CharField(_("main focus on the board"), max_length=20, choices=BoardDomain.choices,
                             blank=True,
                             help_text=_("Content, collaboration or embedding: where is the emphasis now?"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True,
                                help_text=_("After the end date, the pilot project is done and can become a good practice."))
    body = StreamField(PracticeBodyBlock(), verbose_name=_("content"), blank=True)
    evaluation = RichTextField(_("evaluation"), blank=True, features=["bold", "italic", "link", "ol", "ul"],
                               help_text=_("What worked, what didn’t, and what are we doing differently now?"))
    transitions = ParentalManyToManyField(Transition, verbose_name=_("transitions"), blank=True,
                                          related_name="proeftuinen")
    school_types = ParentalManyToManyField(SchoolType, verbose_name=_("types of education"), blank=True,
                                           related_name="proeftuinen")
    reflection_themes = ParentalManyToManyField("actieplan.ReflectionTheme", verbose_name=_("reflection themes"),
                                                blank=True, related_name="proeftuinen")
    content_areas = ParentalManyToManyField(
        ContentArea, verbose_name=_("content areas"), blank=True, related_name="proeftuinen",
        help_text=_("What does the pilot project focus on: the curriculum, the pupil, the teacher (often more than one)?"),
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("aim"),
        index.SearchField("partners"),
        index.SearchField("body"),
        index.SearchField("evaluation"),
        index.AutocompleteField("title"),
        index.AutocompleteField("summary"),
        index.AutocompleteField("aim"),
        index.AutocompleteField("body"),
    ]
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("aim"),
        FieldPanel("partners"),
        FieldPanel("partner_organisations"),
        FieldPanel("region"),
        MultiFieldPanel([
            FieldPanel("stage"), FieldPanel("board"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        ], heading=_("Phase and duration")),
        FieldPanel("body"),
        FieldPanel("evaluation"),
        MultiFieldPanel([
            FieldPanel(name, widget=forms.CheckboxSelectMultiple)
            for name in ("content_areas", "transitions", "school_types", "reflection_themes")
        ], heading=_("Classification")),
        LinkedActionsPanel(),
    ]
    parent_page_types = ["good_practices.ProeftuinIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("pilot project")
        verbose_name_plural = _("pilot projects")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date. Choose a later end date.")})

    @property
    def is_finished(self):
        """Finished once its end date has passed: only then can it be promoted to a good practice."""
        return self.end_date is not None and self.end_date <= timezone.localdate()

    def library(self):
        """The good-practice library of this proeftuin's site (the first one when there are several); a region's
        own site without a library of its own shares the one national library (the first anywhere)."""
        libraries = GoodPracticeIndexPage.objects.order_by("path")
        site = self.get_site()
        own = libraries.descendant_of(site.root_page, inclusive=True).first() if site is not None else None
        return own or libraries.first()

    def promote(self, user=None):
        """Create a draft good practice from this finished proeftuin, linking back to it.

        Returns ``(practice, created)``. A proeftuin that was promoted before gets its existing
        practice back, so a double click never makes two. The draft goes through the normal
        moderation workflow before anyone outside sees it.
        """
        if not self.is_finished:
            raise ValidationError(_("Only a pilot project that is done (end date passed) can become a good practice."))
        existing = GoodPracticePage.objects.filter(source_proeftuin=self).order_by("pk").first()
        if existing is not None:
            return existing, False
        library = self.library()
        if library is None:
            raise ValidationError(_("There is no Het delen waard library yet to place the good practice in."))
        body = list(self.body.raw_data)
        if self.evaluation:
            body += [
                {"type": "heading", "value": {"text": str(_("What the pilot project taught us")), "level": "h2"}},
                {"type": "paragraph", "value": self.evaluation},
            ]
        siblings = library.get_children()
        slug = first_free(self.slug, lambda candidate: siblings.filter(slug=candidate).exists())
        practice = GoodPracticePage(
            title=self.title, slug=slug, summary=self.summary, body=body, region=self.region,
            source=_("Pilot project: %(title)s") % {"title": self.title},
            source_proeftuin=self, live=False, owner=user,
        )
        # Parental relations live on the instance until it is saved, so set them before add_child.
        practice.transitions.set(self.transitions.all())
        practice.school_types.set(self.school_types.all())
        practice.reflection_themes.set(self.reflection_themes.all())
        practice.organisations.set(self.partner_organisations.all())
        library.add_child(instance=practice)
        practice.save_revision(user=user, log_action=False)
        log(instance=practice, action="wagtail.create", user=user)
        log(instance=self, action="good_practices.promote", user=user,
            data={"good_practice_id": practice.pk, "title": practice.title})
        return practice, True

    def linked_actions(self):
        """Actions of the action plan that name this proeftuin among their linked pages."""
        return Action.objects.filter(linked_pages=self).select_related("partnership", "owner")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        linked = self.linked_actions()
        # Titles, owners and deadlines are the working group's business: members see the actions
        # they may see anyway; everyone else only learns that the proeftuin has follow-up.
        context["linked_action_count"] = linked.count()
        context["visible_linked_actions"] = (counts.visible(request.user, linked).order_by("deadline")
                                             if request.user.is_authenticated else [])
        context["promoted_practices"] = self.promoted_practices.live().public()
        stages = list(LeerkringStage.choices)
        current = [value for value, _label in stages].index(self.stage) if self.stage in LeerkringStage.values else -1
        context["stages"] = stages
        context["done_stages"] = [value for value, _label in stages[:current]]
        return context


