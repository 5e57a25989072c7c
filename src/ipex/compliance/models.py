"""Software legalisation: audited bodies and the yearly obligation, the product catalogue and
the rules that name raw install strings, inventories, entitlements and the kept
reconciliation.

None of these records crosses a border: they stay on the node. Who sees them follows the
organisation tree — a body sees its own records, the administrations above it see the
bodies below them (``within_reach``), exactly as for a shared record of distribution ``org``.
"""

from __future__ import annotations

import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipex.compliance.choices import InspectionStatus, SelfReportStatus  # noqa: F401
from ipex.compliance.figures import ComplianceFigure, CompliancePublication  # noqa: F401
from ipex.compliance.oversight import (  # noqa: F401 (read from here by the app's modules)
    Finding,
    Inspection,
    RectificationProof,
    SelfReport,
)
from ipex.compliance.reach import (  # noqa: F401 (read from here by the app's modules)
    CuratorQuerySet,
    SignedInQuerySet,
    is_curator,
    reach_queryset,
    within_reach,
)
from ipex.core.models import parent_fk, protected_fk, unique, user_fk
from ipex.directory.models import Organisation

# ---------------------------------------------------------------- bodies under the obligation


class BodyKind(models.TextChoices):
    GOVERNMENT = "government", _("Government body")
    STATE_OWNED = "state_owned", _("State-owned enterprise")
    PRIVATE = "private", _("Private enterprise")


class AuditedBody(models.Model):
    """An organisation of kind "audited body", placed in the tree under the copyright
    administration that supervises it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="audited_body",
        verbose_name=_("organisation"),
    )
    body_kind = models.CharField(_("kind of body"), max_length=20, choices=BodyKind.choices)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    objects = reach_queryset("organisation")

    class Meta:
        ordering = ["organisation__code"]
        verbose_name = _("audited body")
        verbose_name_plural = _("audited bodies")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def code(self) -> str:
        return self.organisation.code


class Obligation(models.Model):
    """A body must report its software for a year."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = parent_fk(AuditedBody, _("audited body"), related_name="obligations")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    added_by = user_fk(_("added by"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = reach_queryset("body__organisation")

    class Meta:
        ordering = ["-year", "body__organisation__code"]
        verbose_name = _("reporting obligation")
        verbose_name_plural = _("reporting obligations")
        constraints = [unique("body", "year", name="one_obligation_per_year")]

    def __str__(self) -> str:
        return f"{self.body.code} {self.year}"


# ---------------------------------------------------------------- products and rules


class ProductFamily(models.TextChoices):
    OS = "os", _("Operating system")
    OFFICE = "office", _("Office suite")
    ANTIVIRUS = "antivirus", _("Antivirus")
    OTHER = "other", _("Other")


class LicenceModel(models.TextChoices):
    COMMERCIAL = "commercial", _("Commercial")
    OEM = "oem", _("OEM (bundled with the device)")
    FOSS = "foss", _("Free or open source")


SPDX_RE = re.compile(r"^[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*$")


class Product(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    publisher = models.CharField(_("publisher"), max_length=120)
    name = models.CharField(_("product"), max_length=120)
    edition = models.CharField(_("edition"), max_length=80, blank=True)
    family = models.CharField(_("family"), max_length=12, choices=ProductFamily.choices)
    licence_model = models.CharField(
        _("licence model"), max_length=12, choices=LicenceModel.choices
    )
    spdx_id = models.CharField(
        _("SPDX licence identifier"),
        max_length=80,
        blank=True,
        help_text=_("For free and open-source products, e.g. MPL-2.0 or LGPL-2.1-or-later."),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = SignedInQuerySet.as_manager()

    class Meta:
        ordering = ["publisher", "name", "edition"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [unique("publisher", "name", "edition", name="unique_product_edition")]

    def __str__(self) -> str:
        return " ".join(part for part in (self.publisher, self.name, self.edition) if part)

    @property
    def is_foss(self) -> bool:
        return self.licence_model == LicenceModel.FOSS

    def clean(self) -> None:
        if self.is_foss and not self.spdx_id:
            raise ValidationError(
                {"spdx_id": _("A free or open-source product needs its SPDX identifier.")}
            )
        if not self.is_foss and self.spdx_id:
            raise ValidationError(
                {"spdx_id": _("Only a free or open-source product has an SPDX identifier.")}
            )
        if self.spdx_id and not SPDX_RE.match(self.spdx_id):
            raise ValidationError({"spdx_id": _("Not an SPDX licence expression.")})


class RuleKind(models.TextChoices):
    EXACT = "exact", _("Exact name")
    PREFIX = "prefix", _("Name starts with")
    REGEX = "regex", _("Regular expression")


class NormalisationRule(models.Model):
    """Names raw install strings: the first rule (by ``position``) whose pattern matches a
    string's name — and its publisher, when the rule names one — maps it to a product or
    ignores it (drivers, runtimes, updates). Matching ignores case; a regular expression is
    searched anywhere in the name (anchor it with ^ and $ to match the whole)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    position = models.PositiveIntegerField(_("position"), default=1000)
    kind = models.CharField(_("kind of rule"), max_length=8, choices=RuleKind.choices)
    pattern = models.CharField(_("pattern"), max_length=300)
    publisher = models.CharField(
        _("publisher"),
        max_length=120,
        blank=True,
        help_text=_("Empty: any publisher. Otherwise the publisher must be exactly this."),
    )
    product = protected_fk(Product, _("product"), optional=True, related_name="rules")
    ignore = models.BooleanField(_("ignore"), default=False)
    examples = models.JSONField(_("examples"), default=list)
    created_by = user_fk(_("created by"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = SignedInQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("normalisation rule")
        verbose_name_plural = _("normalisation rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.pattern}"

    def compiled(self) -> re.Pattern:
        if self.kind == RuleKind.REGEX:
            return re.compile(self.pattern, re.IGNORECASE)
        return re.compile(re.escape(self.pattern.casefold()))

    def matches(self, name: str, publisher: str = "") -> bool:
        if self.publisher and self.publisher.casefold() != (publisher or "").casefold():
            return False
        if self.kind == RuleKind.EXACT:
            return name.casefold() == self.pattern.casefold()
        if self.kind == RuleKind.PREFIX:
            return name.casefold().startswith(self.pattern.casefold())
        return self.compiled().search(name) is not None

    def clean(self) -> None:
        if self.ignore == (self.product_id is not None):
            raise ValidationError(
                {"product": _("A rule either names a product or ignores what it matches.")}
            )
        if self.kind == RuleKind.REGEX:
            try:
                self.compiled()
            except re.error as exc:
                raise ValidationError(
                    {
                        "pattern": _("This regular expression does not compile: %(why)s.")
                        % {"why": exc}
                    }
                ) from exc
        examples = self.examples
        if not isinstance(examples, list) or not examples:
            raise ValidationError({"examples": _("Give at least one example the rule matches.")})
        missed = [e for e in examples if not isinstance(e, str) or not self.matches(e)]
        if missed:
            raise ValidationError(
                {
                    "examples": _("The rule does not match its own examples: %(examples)s.")
                    % {"examples": ", ".join(f"“{e}”" for e in map(str, missed))}
                }
            )


class RawString(models.Model):
    """A distinct (name, publisher) as inventories give it, named once by the rules: an
    install points here, so a rule change re-reads distinct strings, never every install."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    installs = models.PositiveIntegerField(_("installs"), default=0)
    rule = protected_fk(NormalisationRule, _("rule"), optional=True, related_name="strings")
    product = protected_fk(Product, _("product"), optional=True)
    ignored = models.BooleanField(_("ignored"), default=False)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)

    objects = CuratorQuerySet.as_manager()

    class Meta:
        verbose_name = _("raw install string")
        verbose_name_plural = _("raw install strings")
        constraints = [unique("name", "publisher", name="unique_raw_string")]
        indexes = [models.Index(fields=["rule", "-installs"], name="raw_unmatched")]

    def __str__(self) -> str:
        return f"{self.name} ({self.publisher})" if self.publisher else self.name


# ---------------------------------------------------------------- inventories


class InventoryFormat(models.TextChoices):
    GLPI = "glpi", _("glpi-agent JSON")
    OCS = "ocs", _("OCS Inventory NG XML")
    OSQUERY = "osquery", _("osquery JSON results")
    CSV = "csv", _("CSV (device, name, publisher, version)")


class Inventory(models.Model):
    """One uploaded file of a body's installed software, for a year; the same file twice is
    imported once (``sha256``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = parent_fk(AuditedBody, _("audited body"), related_name="inventories")
    year = models.PositiveSmallIntegerField(_("year"))
    taken_on = models.DateField(_("reference date"))
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    format = models.CharField(_("format"), max_length=10, choices=InventoryFormat.choices)
    devices = models.PositiveIntegerField(_("devices"), default=0)
    installs = models.PositiveIntegerField(_("installs"), default=0)
    uploaded_by = user_fk(_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = reach_queryset("body__organisation")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inventory")
        verbose_name_plural = _("inventories")
        constraints = [unique("body", "sha256", name="inventory_once_per_file")]

    def __str__(self) -> str:
        return f"{self.body.code} {self.year} {self.file_name}"


class Device(models.Model):
    """A body's device in a year, as its latest inventory of that year describes it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = parent_fk(AuditedBody, _("audited body"), related_name="devices")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("device"), max_length=200)
    inventory = protected_fk(Inventory, _("inventory"), related_name="device_rows")
    installs = models.PositiveIntegerField(_("installs"), default=0)

    objects = reach_queryset("body__organisation")

    class Meta:
        ordering = ["name"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [unique("body", "year", "name", name="one_device_per_year")]

    def __str__(self) -> str:
        return self.name


class Install(models.Model):
    device = parent_fk(Device, _("device"), related_name="software")
    raw = protected_fk(RawString, _("raw string"), related_name="install_rows")
    version = models.CharField(_("version"), max_length=100, blank=True)

    objects = reach_queryset("device__body__organisation")

    class Meta:
        verbose_name = _("install")
        verbose_name_plural = _("installs")

    def __str__(self) -> str:
        return f"{self.device}: {self.raw}"


# ---------------------------------------------------------------- entitlements


class LicenceMetric(models.TextChoices):
    DEVICE = "device", _("Per device")
    USER = "user", _("Per user")
    CONCURRENT = "concurrent", _("Concurrent")
    SITE = "site", _("Site (every device of the body)")


class Entitlement(models.Model):
    """Licences a body holds for a product: ``quantity`` devices, users or concurrent uses
    (each covers one device in the reconciliation), or a site licence covering every device,
    valid from ``valid_from`` to ``valid_to`` (open: perpetual)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = parent_fk(AuditedBody, _("audited body"), related_name="entitlements")
    product = protected_fk(Product, _("product"), related_name="entitlements")
    metric = models.CharField(_("metric"), max_length=12, choices=LicenceMetric.choices)
    quantity = models.IntegerField(_("quantity"), default=0)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    reference = models.CharField(_("contract or invoice"), max_length=120, blank=True)
    oem = models.BooleanField(_("OEM, bundled with devices"), default=False)
    proof_name = models.CharField(_("proof file"), max_length=255, blank=True)
    proof_type = models.CharField(_("proof type"), max_length=100, blank=True)
    proof_sha256 = models.CharField(_("proof SHA-256"), max_length=64, blank=True)
    created_by = user_fk(_("recorded by"))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = reach_queryset("body__organisation")

    class Meta:
        ordering = ["-valid_from", "id"]
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")

    def __str__(self) -> str:
        return f"{self.body.code}: {self.product} × {self.quantity}"

    def clean(self) -> None:
        errors = {}
        if self.quantity is not None and self.quantity < 0:
            errors["quantity"] = _("A quantity cannot be negative.")
        elif self.metric != LicenceMetric.SITE and not self.quantity:
            errors["quantity"] = _("Give how many licences (a site licence needs none).")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The licence cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


# ---------------------------------------------------------------- the kept reconciliation


class BodyCompliance(models.Model):
    """A body's reconciliation for a year, kept current by the writes that change it (an
    inventory, an entitlement, a rule): never computed on read."""

    body = parent_fk(AuditedBody, _("audited body"), related_name="compliance")
    year = models.PositiveSmallIntegerField(_("year"))
    reference_date = models.DateField(_("reference date"))
    devices = models.PositiveIntegerField(_("devices inventoried"), default=0)
    compliant_devices = models.PositiveIntegerField(_("compliant devices"), default=0)
    unknown_installs = models.PositiveIntegerField(_("installs of unknown products"), default=0)
    shortfall = models.PositiveIntegerField(_("shortfall"), default=0)
    updated_at = models.DateTimeField(_("computed"), default=timezone.now)

    objects = reach_queryset("body__organisation")

    class Meta:
        ordering = ["-year", "body__organisation__code"]
        verbose_name = _("body compliance")
        verbose_name_plural = _("body compliance")
        constraints = [unique("body", "year", name="one_compliance_per_year")]

    def __str__(self) -> str:
        return f"{self.body.code} {self.year}"

    @property
    def rate(self):
        """Devices whose every installed commercial product is covered, in per cent (one
        decimal); None before any device is inventoried."""
        if not self.devices:
            return None
        return round(100 * self.compliant_devices / self.devices, 1)


class ProductCompliance(models.Model):
    """Per body, year and product: devices with it installed, licences valid on the
    reference date, shortfall (installs not covered) and surplus."""

    body = parent_fk(AuditedBody, _("audited body"), related_name="product_compliance")
    year = models.PositiveSmallIntegerField(_("year"))
    product = protected_fk(Product, _("product"))
    installed = models.PositiveIntegerField(_("devices with it installed"), default=0)
    licensed = models.PositiveIntegerField(_("licences valid"), default=0)
    site = models.BooleanField(_("site licence"), default=False)
    shortfall = models.PositiveIntegerField(_("shortfall"), default=0)
    surplus = models.PositiveIntegerField(_("surplus"), default=0)

    objects = reach_queryset("body__organisation")

    class Meta:
        ordering = ["-shortfall", "product__publisher", "product__name"]
        verbose_name = _("product compliance")
        verbose_name_plural = _("product compliance")
        constraints = [unique("body", "year", "product", name="one_product_line_per_year")]

    def __str__(self) -> str:
        return f"{self.body.code} {self.year} {self.product}"
