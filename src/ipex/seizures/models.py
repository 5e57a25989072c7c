"""Seizures, seized items, categories, period reports and the roll-up figures."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMModelMixin, transition

from ipex.core.models import (
    MultilingualName,
    SharedRecord,
    parent_fk,
    protected_fk,
    unique,
    user_fk,
    workflow_status,
)

EPOCH = dt.date(1900, 1, 1)


class CategoryQuerySet(models.QuerySet):
    def visible_to(self, user) -> CategoryQuerySet:  # noqa: ARG002 - a public vocabulary
        return self.all()

    def valid_on(self, day: dt.date) -> CategoryQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class Category(MultilingualName):
    """A controlled, two-level vocabulary. A re-classification ends a category's validity and
    starts a new one, so figures of past years keep the categories they were reported in."""

    code = models.CharField(_("code"), max_length=60)
    parent = protected_fk("self", _("part of"), optional=True, related_name="children")
    valid_from = models.DateField(_("valid from"), default=EPOCH)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [unique("code", "valid_from", name="unique_category_period")]

    @property
    def top(self) -> Category:
        return self.parent if self.parent_id else self


class Method(models.TextChoices):
    MARKET_INSPECTION = "market_inspection", _("Market inspection")
    RAID = "raid", _("Raid")
    CUSTOMS_DETENTION = "customs_detention", _("Customs detention")
    POSTAL_INTERCEPTION = "postal_interception", _("Postal or express interception")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    ITEMS = "items", _("items")
    COPIES = "copies", _("copies")
    DISCS = "discs", _("discs")
    BOXES = "boxes", _("boxes")


class Disposition(models.TextChoices):
    CONFISCATED = "confiscated", _("Confiscated")
    DESTROYED = "destroyed", _("Destroyed")
    HELD_AS_EVIDENCE = "held_as_evidence", _("Held as evidence")
    RETURNED = "returned", pgettext_lazy("disposition of seized goods", "Returned")
    OTHER = "other", _("Other")


class ImportBatch(models.Model):
    """One imported file: the same file again (same SHA-256 for the same organisation) is
    recognised and changes nothing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner_org = protected_fk("directory.Organisation", _("organisation"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    filename = models.CharField(_("file name"), max_length=255)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    seizures = models.PositiveIntegerField(_("seizures"), default=0)
    created_by = user_fk(_("imported by"))
    created_at = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [unique("owner_org", "sha256", name="unique_import_file")]

    def __str__(self) -> str:
        return self.filename


class Seizure(SharedRecord):
    """What an organisation seized, when and where.

    Indexes are kept to what reads need, since every seizure imported or pulled from a partner
    pays for each: the organisation's through (organisation, date); the special action, the
    recorder and the import file, set on few rows, through partial indexes of the rows that
    have them."""

    # SharedRecord's, indexed by (owner_org, seized_on) instead
    owner_org = protected_fk("directory.Organisation", _("owner organisation"), db_index=False)
    seized_on = models.DateField(_("date"))
    jurisdiction = protected_fk("directory.Jurisdiction", _("where"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=24, choices=Method.choices)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = user_fk(_("recorded by"), db_index=False)
    campaign = protected_fk(
        "campaigns.Campaign",
        _("special action"),
        optional=True,
        related_name="seizures",
        db_index=False,
    )
    import_batch = protected_fk(ImportBatch, _("imported from"), optional=True, db_index=False)

    class Meta(SharedRecord.Meta):
        verbose_name = _("seizure")
        verbose_name_plural = _("seizures")
        indexes = [
            models.Index(fields=["owner_org", "seized_on"]),
            # The lists' order: a page of the newest is read from here, not sorted from all.
            models.Index(fields=["-created_at", "-id"], name="seizure_newest"),
            *(
                models.Index(
                    fields=[field],
                    name=f"seizure_{field}",
                    condition=models.Q(**{f"{field}__isnull": False}),
                )
                for field in ("campaign", "created_by", "import_batch")
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.seized_on:%Y-%m-%d} {self.get_method_display()}"

    @property
    def total_quantity(self) -> int:
        return sum(item.quantity for item in self.items.all())


class SeizedItem(models.Model):
    """One line of a seizure; it never reaches further than its seizure."""

    # indexed by the unique (seizure, line_no)
    seizure = parent_fk(Seizure, _("seizure"), related_name="items", db_index=False)
    line_no = models.PositiveSmallIntegerField(_("line"))
    category = protected_fk(Category, _("category"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.PositiveBigIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.ITEMS)
    value_amount = models.DecimalField(
        _("estimated value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    value_currency = models.CharField(_("currency"), max_length=3, blank=True)
    disposition = models.CharField(
        _("disposition"),
        max_length=20,
        choices=Disposition.choices,
        default=Disposition.CONFISCATED,
    )

    class Meta:
        ordering = ["seizure", "line_no"]
        verbose_name = _("seized item")
        verbose_name_plural = _("seized items")
        constraints = [unique("seizure", "line_no", name="unique_item_line")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.category}"


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", pgettext_lazy("report status", "Returned")
    APPROVED = "approved", _("Approved (locked)")
    SUPERSEDED = "superseded", _("Superseded by a revision")


class ReportSource(models.TextChoices):
    TYPED = "typed", _("Typed in")
    RECORDS = "records", _("Pre-filled from seizure records")
    IMPORTED = "imported", _("Imported")


class PeriodReport(FSMModelMixin, SharedRecord):
    """An organisation's figures for one period (aggregate reporting, as DHIS2 does it).

    The owner fills and submits it; the supervising organisation approves it, which locks it,
    or returns it with a reason. A locked report changes only through a revision: a new
    report that replaces it when that revision is approved.
    """

    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(
        _("quarter or month"), default=0, help_text=_("0 for a whole year")
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    revises = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revised_by",
        verbose_name=_("revises"),
    )
    # The workflow (django-fsm-2): only the transitions below change it.
    status = workflow_status(ReportStatus, ReportStatus.DRAFT, max_length=12)
    source = models.CharField(
        _("source"), max_length=10, choices=ReportSource.choices, default=ReportSource.TYPED
    )
    declared_total = models.PositiveBigIntegerField(_("declared total"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_by = user_fk(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = user_fk(_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta(SharedRecord.Meta):
        ordering = ["-year", "-number", "owner_org__path", "-revision"]
        verbose_name = _("period report")
        verbose_name_plural = _("period reports")
        constraints = [
            unique(
                "owner_org",
                "period_kind",
                "year",
                "number",
                "revision",
                name="unique_report_revision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_org.code} {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.period_kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.period_kind == PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    @property
    def period_bounds(self) -> tuple[dt.date, dt.date]:
        if self.period_kind == PeriodKind.QUARTER:
            start = dt.date(self.year, 3 * self.number - 2, 1)
            end_month = 3 * self.number
        elif self.period_kind == PeriodKind.MONTH:
            start, end_month = dt.date(self.year, self.number, 1), self.number
        else:
            start, end_month = dt.date(self.year, 1, 1), 12
        end = (
            dt.date(self.year + 1, 1, 1)
            if end_month == 12
            else dt.date(self.year, end_month + 1, 1)
        ) - dt.timedelta(days=1)
        return start, end

    @transition(
        field=status,
        source=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        target=ReportStatus.SUBMITTED,
    )
    def submit(self) -> None:
        """Sent to the supervising organisation."""

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.APPROVED)
    def approve(self) -> None:
        """Approved, and so locked."""

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.RETURNED)
    def send_back(self) -> None:
        """Returned to its organisation with a reason."""

    @transition(field=status, source=ReportStatus.APPROVED, target=ReportStatus.SUPERSEDED)
    def supersede(self) -> None:
        """Replaced by an approved revision."""

    @property
    def is_locked(self) -> bool:
        return self.status in {ReportStatus.APPROVED, ReportStatus.SUPERSEDED}

    @property
    def is_editable(self) -> bool:
        return self.status in {ReportStatus.DRAFT, ReportStatus.RETURNED}


class ReportLine(models.Model):
    report = parent_fk(PeriodReport, _("report"), related_name="lines")
    category = protected_fk(Category, _("category"))
    quantity = models.PositiveBigIntegerField(_("quantity"))

    class Meta:
        ordering = ["category__sort_order", "category__code"]
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        constraints = [unique("report", "category", name="unique_report_category")]

    def __str__(self) -> str:
        return f"{self.category.code}: {self.quantity}"


class FigureSource(models.TextChoices):
    REPORTS = "reports", _("Approved period reports")
    RECORDS = "records", _("Seizure records")


class StatRow(models.Model):
    """What a statistics figure and a year's total are made of: a quantity of a category, from
    one source, for a year and a jurisdiction (its depth kept, so a level reads without a join).
    ``subcategory`` is empty for a top-level category's row; detail rows name the subcategory
    and are never added to their parent's row."""

    source = models.CharField(max_length=8, choices=FigureSource.choices)
    year = models.PositiveSmallIntegerField()
    jurisdiction = models.ForeignKey(
        "directory.Jurisdiction", on_delete=models.PROTECT, related_name="+"
    )
    depth = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=60)
    subcategory = models.CharField(max_length=60, default="", blank=True)
    quantity = models.BigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.year} {self.jurisdiction_id} {self.category}: {self.quantity}"


class StatFigure(StatRow):
    """A running total kept current in the transaction of each approval or recording, for
    every jurisdiction from the organisation's (or seizure's) own up to the country, so a
    statistics read sums a handful of rows and never scans items.

    ``month`` and ``quarter`` are 0 for figures reported for a longer period.
    """

    quarter = models.PositiveSmallIntegerField(default=0)
    month = models.PositiveSmallIntegerField(default=0)
    org_kind = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("statistics figure")
        verbose_name_plural = _("statistics figures")
        constraints = [
            unique(
                "source",
                "year",
                "quarter",
                "month",
                "jurisdiction",
                "category",
                "subcategory",
                "org_kind",
                name="unique_stat_figure",
            )
        ]
        indexes = [
            models.Index(fields=["source", "year", "jurisdiction", "category"]),
            models.Index(fields=["source", "year", "depth"]),
        ]


class StatTotal(StatRow):
    """The year's total per jurisdiction and category (all months and organisation kinds),
    kept beside ``StatFigure`` so the most frequent reads sum a handful of rows."""

    class Meta:
        verbose_name = _("statistics total")
        verbose_name_plural = _("statistics totals")
        constraints = [
            unique(
                "source",
                "year",
                "jurisdiction",
                "category",
                "subcategory",
                name="unique_stat_total",
            )
        ]
        indexes = [models.Index(fields=["source", "year", "depth", "jurisdiction"])]


class Bulletin(SharedRecord):
    """A published national statement for a year, in every language, from the roll-ups."""

    country = protected_fk("directory.Jurisdiction", _("country"))
    year = models.PositiveSmallIntegerField(_("year"))
    text_en = models.TextField(_("text (English)"))
    text_zh_hans = models.TextField(_("text (Chinese)"))
    text_ru = models.TextField(_("text (Russian)"))
    published_by = user_fk(_("published by"))

    class Meta(SharedRecord.Meta):
        ordering = ["-year"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        constraints = [unique("country", "year", name="unique_bulletin_year")]

    def __str__(self) -> str:
        return f"{self.country.code} {self.year}"

    def text(self, language: str) -> str:
        return {"zh-hans": self.text_zh_hans, "ru": self.text_ru}.get(language, self.text_en)
