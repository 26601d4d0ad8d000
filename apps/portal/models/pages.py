"""Portal models: the Wagtail pages of the public site and the snippets editors maintain.

English content: pages carry optional English fields (`title_en`, `lead_en`, `body_en`) shown when
the visitor picks English; one page tree, one workflow, one revision history per item. Wagtail's
simple_translation would duplicate the tree per locale and run every translation through the
editorial workflow again, which the department's small editorial office cannot staff.
"""

import datetime
import unicodedata

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.widgets.slug import SlugInput
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from apps.core.text import normalize, slugify_vi

__all__ = [
    "BodyBlock",
    "BulletinIndexPage",
    "BulletinIssuePage",
    "CommuneDirectoryPage",
    "CommuneInfoPoint",
    "LegalDocument",
    "LegalDocumentsPage",
    "NewsArticlePage",
    "NewsCategory",
    "NewsIndexPage",
    "PortalHomePage",
    "PublicServicesPage",
    "StandardPage",
    "WorkSchedulePage",
    "dak_lak_communes",
]

PAGE_SIZE = 10


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"))

    class Meta:
        template = "portal/site/blocks/body.html"


def _stream_text(value) -> str:
    """Plain text of a StreamField value (for the diacritic-free search text)."""
    parts = []
    for block in value or []:
        raw = block.value
        if hasattr(raw, "source"):  # RichText
            from django.utils.html import strip_tags

            parts.append(strip_tags(raw.source))
        elif isinstance(raw, str):
            parts.append(raw)
    return " ".join(parts)


class SearchTextMixin(models.Model):
    """A diacritic-free copy of the page's text, so "chuyen doi so" finds "chuyển đổi số".

    Kept in the row (not in Wagtail's search backend, whose database backend is accent-sensitive),
    so one `__contains` filter works on SQLite and PostgreSQL alike.
    """

    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = normalize(" ".join(p for p in self.searchable_parts() if p))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def searchable_parts(self) -> list[str]:
        return [self.title]


class EnglishMixin(models.Model):
    """Optional English title/lead/body shown when the visitor chose English."""

    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def display_title(self) -> str:
        if translation.get_language() == "en" and self.title_en:
            return self.title_en
        return self.title


@register_snippet
class NewsCategory(models.Model):
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("position")]

    class Meta:
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def display_name(self) -> str:
        return self.name_en if translation.get_language() == "en" and self.name_en else self.name


def _folding_formatters() -> list[tuple[str, str]]:
    """Regex replacements folding Vietnamese (and other Latin) letters as core.text.normalize does.

    Wagtail builds the slug from the title in the browser (its w-slug controller), with transliteration
    maps that know no Vietnamese letter: "Sở KH&CN tổ chức hội nghị" became "s-khcn-t-chc-hi-ngh".
    The controller applies these formatters before it slugifies, so the editor sees the same slug
    that the server would make ("so-khcn-to-chuc-hoi-nghi").
    """
    groups: dict[str, list[str]] = {}
    for code in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        base = normalize(char)
        if len(base) == 1 and base.isascii() and base.isalpha() and char.lower() != base:
            groups.setdefault(base, []).append(char)
    formatters = [(f"[{''.join(chars)}]", base) for base, chars in sorted(groups.items())]
    # Combining marks typed separately (a decomposed "ở"): dropped, the base letter stays.
    marks = "".join(chr(c) for c in range(0x0300, 0x0370) if unicodedata.combining(chr(c)))
    formatters.append((f"[{marks}]", ""))
    return formatters


SLUG_FORMATTERS = _folding_formatters()


class PortalPageForm(WagtailAdminPageForm):
    """The page form of every portal page: the slug field folds diacritics as the server does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("slug")
        if field is not None and isinstance(field.widget, SlugInput):
            field.required = False  # left empty, the page makes it from the title (FoldedSlugMixin)
            field.widget.attrs["data-w-slug-formatters-value"] = SlugInput(formatters=SLUG_FORMATTERS).attrs[
                "data-w-slug-formatters-value"
            ]


class FoldedSlugMixin:
    """A page saved without a slug gets one from its title with the diacritics folded (đ → d):
    Django's slugify (what Wagtail uses without WAGTAIL_ALLOW_UNICODE_SLUGS) drops "đ" and maps
    "ư"/"ơ" inconsistently. Wagtail calls _set_core_field_defaults from full_clean and save."""

    base_form_class = PortalPageForm

    def _set_core_field_defaults(self):
        if not self.slug and (self.path or getattr(self, "_cached_parent_obj", None)):
            base = slugify_vi(self.title)
            if base:
                self.slug = self._get_autogenerated_slug(base)
        super()._set_core_field_defaults()


def live_news(queryset=None):
    qs = queryset if queryset is not None else NewsArticlePage.objects.all()
    return qs.live().public().select_related("category").order_by("-date", "-first_published_at")


class PortalHomePage(FoldedSlugMixin, EnglishMixin, Page):  # noqa: DJ008 — Page.__str__ is the title
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("intro"),
        FieldPanel("intro_en"),
    ]
    subpage_types = [
        "portal.NewsIndexPage",
        "portal.StandardPage",
        "portal.LegalDocumentsPage",
        "portal.BulletinIndexPage",
        "portal.CommuneDirectoryPage",
        "portal.WorkSchedulePage",
        "portal.PublicServicesPage",
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "portal/site/home_page.html"

    class Meta:
        verbose_name = _("portal home page")

    def display_intro(self) -> str:
        return self.intro_en if translation.get_language() == "en" and self.intro_en else self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = list(live_news(NewsArticlePage.objects.descendant_of(self))[:7])
        context["featured"] = news[0] if news else None
        context["latest_news"] = news[1:]
        context["sections"] = self.get_children().live().public().in_menu().specific()
        context["latest_bulletin"] = (
            BulletinIssuePage.objects.descendant_of(self).live().public().order_by("-issued_on").first()
        )
        return context


class NewsIndexPage(FoldedSlugMixin, EnglishMixin, Page):  # noqa: DJ008 — Page.__str__ is the title
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("title_en"), FieldPanel("intro")]
    subpage_types = ["portal.NewsArticlePage"]
    parent_page_types = ["portal.PortalHomePage"]
    template = "portal/site/news_index_page.html"

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = live_news(NewsArticlePage.objects.child_of(self))
        category = None
        slug = request.GET.get("chuyen-muc", "")
        if slug:
            category = NewsCategory.objects.filter(slug=slug).first()
            if category is not None:
                articles = articles.filter(category=category)
        paginator = Paginator(articles, PAGE_SIZE)
        context["articles"] = paginator.get_page(request.GET.get("page"))
        context["categories"] = NewsCategory.objects.all()
        context["category"] = category
        return context


class PageFormWithoutHiddenInitial(PortalPageForm):
    """Wagtail never renders the hidden "initial-" input Django adds for a field whose model default
    is callable (a date defaulting to today). Without it Django reports the field as changed on every
    submit, so a reviewer's Approve from the editor footer saved a new revision and, with
    WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT, voided the approval. Compare with the instance."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = False


class NewsArticlePage(FoldedSlugMixin, SearchTextMixin, EnglishMixin, Page):  # noqa: DJ008 — Page.__str__ is the title
    base_form_class = PageFormWithoutHiddenInitial

    date = models.DateField(_("date"), default=datetime.date.today)
    category = models.ForeignKey(
        NewsCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    lead = models.TextField(_("lead"), help_text=_("One or two sentences shown in lists and feeds."))
    lead_en = models.TextField(_("lead (English)"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    body_en = StreamField(BodyBlock(), verbose_name=_("body (English)"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )
    authors = models.CharField(
        _("authors"), max_length=255, blank=True, help_text=_("As printed under the item.")
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("category"), FieldPanel("authors")], heading=_("Item")
        ),
        FieldPanel("lead"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("title_en"), FieldPanel("lead_en"), FieldPanel("body_en")], heading=_("English")
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    subpage_types: list[str] = []
    parent_page_types = ["portal.NewsIndexPage"]
    template = "portal/site/news_article_page.html"

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")

    def searchable_parts(self) -> list[str]:
        return [self.title, self.title_en, self.lead, self.lead_en, self.authors, _stream_text(self.body)]

    def display_lead(self) -> str:
        return self.lead_en if translation.get_language() == "en" and self.lead_en else self.lead

    def display_body(self):
        return self.body_en if translation.get_language() == "en" and self.body_en else self.body

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        parent = self.get_parent()
        context["related"] = live_news(NewsArticlePage.objects.child_of(parent)).exclude(pk=self.pk)[:4]
        return context


class StandardPage(FoldedSlugMixin, SearchTextMixin, EnglishMixin, Page):  # noqa: DJ008 — Page.__str__ is the title
    """Functions and duties, organisation, contacts and any other static page."""

    lead = models.TextField(_("lead"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    body_en = StreamField(BodyBlock(), verbose_name=_("body (English)"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("body_en")], heading=_("English")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]
    parent_page_types = ["portal.PortalHomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage"]
    template = "portal/site/standard_page.html"

    class Meta:
        verbose_name = _("standard page")

    def searchable_parts(self) -> list[str]:
        return [self.title, self.title_en, self.lead, _stream_text(self.body)]

    def display_body(self):
        return self.body_en if translation.get_language() == "en" and self.body_en else self.body


class LegalDocumentsPage(FoldedSlugMixin, EnglishMixin, Page):  # noqa: DJ008 — Page.__str__ is the title
    """Legal documents the department must disclose, with their official file."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("intro"),
        InlinePanel("documents", label=_("Documents")),
    ]
    parent_page_types = ["portal.PortalHomePage"]
    subpage_types: list[str] = []
    template = "portal/site/legal_documents_page.html"

    class Meta:
        verbose_name = _("published legal documents")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = list(self.documents.select_related("document").all())
        query = normalize(request.GET.get("q", ""))
        if query:
            items = [d for d in items if query in normalize(f"{d.number} {d.title} {d.issuer}")]
        context["items"] = items
        context["query"] = request.GET.get("q", "")
        return context


class LegalDocument(Orderable):
    page = ParentalKey(LegalDocumentsPage, on_delete=models.CASCADE, related_name="documents")
    number = models.CharField(_("number and symbol"), max_length=64)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issuer"), max_length=200)
    title = models.CharField(_("summary"), max_length=500)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("file"),
    )
    link = models.URLField(_("link to the official text"), blank=True)

    panels = [
        FieldPanel("number"),
        FieldPanel("issued_on"),
        FieldPanel("issuer"),
        FieldPanel("title"),
        FieldPanel("document"),
        FieldPanel("link"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("legal document")


class BulletinIndexPage(FoldedSlugMixin, EnglishMixin, Page):  # noqa: DJ008 — Page.__str__ is the title
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("title_en"), FieldPanel("intro")]
    parent_page_types = ["portal.PortalHomePage"]
    subpage_types = ["portal.BulletinIssuePage"]
    template = "portal/site/bulletin_index_page.html"

    class Meta:
        verbose_name = _("S&T bulletin")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        issues = BulletinIssuePage.objects.child_of(self).live().public().order_by("-issued_on")
        context["issues"] = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
        return context


class BulletinIssuePage(FoldedSlugMixin, SearchTextMixin, EnglishMixin, Page):  # noqa: DJ008 — Page.__str__ is the title
    base_form_class = PageFormWithoutHiddenInitial

    issue_number = models.CharField(_("issue number"), max_length=32)
    issued_on = models.DateField(_("issued on"), default=datetime.date.today)
    summary = models.TextField(_("summary"))
    body = StreamField(BodyBlock(), verbose_name=_("contents"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("PDF edition"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_en"),
        FieldPanel("issue_number"),
        FieldPanel("issued_on"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("document"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["portal.BulletinIndexPage"]
    subpage_types: list[str] = []
    template = "portal/site/bulletin_issue_page.html"

    class Meta:
        verbose_name = _("bulletin issue")

    def searchable_parts(self) -> list[str]:
        return [self.title, self.issue_number, self.summary, _stream_text(self.body)]


def dak_lak_communes() -> list[tuple[int, str]]:
    """(ward code, name) of the communes and wards of Đắk Lắk in the package's current data."""
    from vietnam_provinces import Province, Ward

    province = next(p for p in Province.iter_all() if p.codename == "dak_lak")
    return sorted(
        ((int(w.code), w.name) for w in Ward.iter_all() if w.province_code == province.code),
        key=lambda item: normalize(item[1]),
    )


def _commune_choices():
    return dak_lak_communes()


@register_snippet
class CommuneInfoPoint(models.Model):
    """An S&T information point in a commune (which communes have one is maintained by editors)."""

    ward_code = models.PositiveIntegerField(_("commune"), unique=True, choices=_commune_choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    services = models.TextField(_("services offered"), blank=True)
    is_active = models.BooleanField(_("in operation"), default=True)

    panels = [
        FieldPanel("ward_code"),
        FieldPanel("address"),
        FieldPanel("contact_person"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("opened_on"),
        FieldPanel("services"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("commune S&T information point")
        verbose_name_plural = _("commune S&T information points")

    def __str__(self):
        return self.commune_name

    @property
    def commune_name(self) -> str:
        return dict(dak_lak_communes()).get(self.ward_code, str(self.ward_code))


class CommuneDirectoryPage(FoldedSlugMixin, EnglishMixin, Page):  # noqa: DJ008 — Page.__str__ is the title
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("title_en"), FieldPanel("intro")]
    parent_page_types = ["portal.PortalHomePage"]
    subpage_types: list[str] = []
    template = "portal/site/commune_directory_page.html"

    class Meta:
        verbose_name = _("directory of commune S&T information points")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        points = {p.ward_code: p for p in CommuneInfoPoint.objects.filter(is_active=True)}
        communes = dak_lak_communes()
        query = normalize(request.GET.get("q", ""))
        only_points = request.GET.get("co-diem") == "1"
        rows = [
            {"code": code, "name": name, "point": points.get(code)}
            for code, name in communes
            if (not query or query in normalize(name)) and (not only_points or code in points)
        ]
        context.update(
            rows=Paginator(rows, 50).get_page(request.GET.get("page")),
            total_communes=len(communes),
            total_points=len(points),
            query=request.GET.get("q", ""),
            only_points=only_points,
        )
        return context


class WorkSchedulePage(FoldedSlugMixin, EnglishMixin, Page):  # noqa: DJ008 — Page.__str__ is the title
    """The weekly work schedule, read from the tasks module's public schedule."""

    organization_code = models.CharField(
        _("organisation code"), max_length=32, default="skhcn", help_text=_("Whose schedule is shown.")
    )

    content_panels = [*Page.content_panels, FieldPanel("title_en"), FieldPanel("organization_code")]
    parent_page_types = ["portal.PortalHomePage"]
    subpage_types: list[str] = []
    template = "portal/site/work_schedule_page.html"

    class Meta:
        verbose_name = _("weekly work schedule")

    def get_context(self, request, *args, **kwargs):
        from apps.organizations.models import Organization
        from apps.tasks.public import weekly_schedule

        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        try:
            day = datetime.date.fromisoformat(request.GET.get("tuan", ""))
        except ValueError:
            day = today
        week_start = day - datetime.timedelta(days=day.weekday())
        organization = Organization.objects.filter(code=self.organization_code).first()
        meetings = weekly_schedule(self.organization_code, week_start)
        days = []
        for offset in range(7):
            current = week_start + datetime.timedelta(days=offset)
            days.append(
                {
                    "date": current,
                    "meetings": [m for m in meetings if timezone.localtime(m.starts_at).date() == current],
                }
            )
        context.update(
            week_start=week_start,
            week_end=week_start + datetime.timedelta(days=6),
            previous_week=week_start - datetime.timedelta(days=7),
            next_week=week_start + datetime.timedelta(days=7),
            days=days,
            organization=organization,
        )
        return context


class PublicServicesPage(FoldedSlugMixin, EnglishMixin, Page):  # noqa: DJ008 — Page.__str__ is the title
    """Online public services: the procedure catalogue and the dossier lookup of the one-stop desk."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("title_en"), FieldPanel("intro")]
    parent_page_types = ["portal.PortalHomePage"]
    subpage_types: list[str] = []
    template = "portal/site/public_services_page.html"

    class Meta:
        verbose_name = _("online public services")

    def get_context(self, request, *args, **kwargs):
        from apps.procedures.public import procedure_url, published_versions

        context = super().get_context(request, *args, **kwargs)
        versions = published_versions()
        fields: dict[str, int] = {}
        for version in versions:
            fields[version.field] = fields.get(version.field, 0) + 1
        context["procedure_count"] = len(versions)
        context["fields"] = sorted(fields.items(), key=lambda item: normalize(item[0]))
        context["featured_procedures"] = [
            {"name": v.name, "url": procedure_url(v.procedure_id), "online": v.online_level}
            for v in versions[:8]
        ]
        return context
