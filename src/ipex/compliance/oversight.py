"""Software legalisation: the administration's oversight of the bodies — the yearly
self-report checked against the kept reconciliation, and the inspection (a sample drawn with a
kept seed, findings, a rectification order, the body's answer with its proof, a follow-up).

Read from ``ipex.compliance.models`` as the app's other records are; kept apart so that no
module of the app outgrows the layout's bound.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMModelMixin, transition

from ipex.compliance.choices import InspectionStatus, SelfReportStatus
from ipex.compliance.reach import reach_queryset
from ipex.core.models import parent_fk, protected_fk, unique, user_fk, workflow_status
from ipex.directory.models import Organisation

# ---------------------------------------------------------------- yearly self-reports


class SelfReport(FSMModelMixin, models.Model):
    """A body's own figures for a year, checked against its kept reconciliation, submitted by
    its asset manager and approved (locked) or returned by the supervising administration."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = parent_fk("compliance.AuditedBody", _("audited body"), related_name="self_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    status = workflow_status(SelfReportStatus, SelfReportStatus.SUBMITTED, max_length=10)
    devices = models.PositiveIntegerField(_("devices"))
    licensed_os = models.PositiveIntegerField(_("licensed operating systems"))
    licensed_office = models.PositiveIntegerField(_("licensed office suites"))
    licensed_antivirus = models.PositiveIntegerField(_("licensed antivirus"))
    spent = models.DecimalField(_("money spent on software"), max_digits=14, decimal_places=2)
    explanation = models.TextField(_("explanation of differences"), blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_by = user_fk(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = user_fk(_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = reach_queryset("body__organisation")

    class Meta:
        ordering = ["-year", "body__organisation__code"]
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")
        constraints = [unique("body", "year", name="one_self_report_per_year")]

    def __str__(self) -> str:
        return f"{self.body.code} {self.year}"

    @transition(field=status, source=SelfReportStatus.RETURNED, target=SelfReportStatus.SUBMITTED)
    def resubmit(self) -> None:
        """Sent again with corrected figures."""

    @transition(field=status, source=SelfReportStatus.SUBMITTED, target=SelfReportStatus.APPROVED)
    def approve(self) -> None:
        """Approved, and so locked."""

    @transition(field=status, source=SelfReportStatus.SUBMITTED, target=SelfReportStatus.RETURNED)
    def send_back(self) -> None:
        """Returned to the body with a reason."""


# ---------------------------------------------------------------- inspections


class Inspection(FSMModelMixin, models.Model):
    """An administration's inspection of a body for a year: a sample drawn with a kept seed,
    findings, then "compliant" or a rectification order, the body's answer, a follow-up."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = parent_fk("compliance.AuditedBody", _("audited body"), related_name="inspections")
    year = models.PositiveSmallIntegerField(_("year"))
    administration = protected_fk(Organisation, _("administration"), related_name="+")
    status = workflow_status(InspectionStatus, InspectionStatus.PLANNED, max_length=10)
    sample_size = models.PositiveSmallIntegerField(_("sample size"))
    seed = models.BigIntegerField(_("seed"), null=True, blank=True)
    sample = models.JSONField(_("devices sampled"), default=list, blank=True)
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    order = models.TextField(_("rectification order"), blank=True)
    answer = models.TextField(_("the body's answer"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    planned_by = user_fk(_("planned by"))
    created_at = models.DateTimeField(_("planned"), default=timezone.now)

    objects = reach_queryset("body__organisation")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.body.code} {self.year}"

    @transition(
        field=status,
        source=[InspectionStatus.PLANNED, InspectionStatus.SAMPLED],
        target=InspectionStatus.SAMPLED,
    )
    def draw(self) -> None:
        """The sample is drawn (again)."""

    @transition(field=status, source=InspectionStatus.SAMPLED, target=InspectionStatus.COMPLIANT)
    def close_compliant(self) -> None:
        """Nothing to put right."""

    @transition(field=status, source=InspectionStatus.SAMPLED, target=InspectionStatus.ORDERED)
    def order_rectification(self) -> None:
        """The body must put things right by the deadline."""

    @transition(field=status, source=InspectionStatus.ORDERED, target=InspectionStatus.RECTIFIED)
    def rectify(self) -> None:
        """The body says it has put things right."""

    @transition(field=status, source=InspectionStatus.RECTIFIED, target=InspectionStatus.CLOSED)
    def follow_up(self) -> None:
        """The follow-up found it put right."""


class Finding(models.Model):
    """What the inspector found on one sampled device for one product."""

    inspection = parent_fk(Inspection, _("inspection"), related_name="findings")
    device = models.CharField(_("device"), max_length=200)
    product = protected_fk("compliance.Product", _("product"))
    licensed = models.BooleanField(_("licensed"))
    evidence = models.TextField(_("evidence"), blank=True)

    objects = reach_queryset("inspection__body__organisation")

    class Meta:
        ordering = ["device", "product__name"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [unique("inspection", "device", "product", name="one_finding_per_product")]

    def __str__(self) -> str:
        return f"{self.device}: {self.product}"


class RectificationProof(models.Model):
    """What the body's answer to a rectification order carries: an entitlement it recorded
    (licences bought) or a proof file (checked by content as entitlement proofs are), linked
    to the inspection so that the follow-up sees them."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    inspection = parent_fk(Inspection, _("inspection"), related_name="proofs")
    entitlement = protected_fk(
        "compliance.Entitlement", _("entitlement"), optional=True, related_name="rectifications"
    )
    file_name = models.CharField(_("proof file"), max_length=255, blank=True)
    file_type = models.CharField(_("proof type"), max_length=100, blank=True)
    file_sha256 = models.CharField(_("proof SHA-256"), max_length=64, blank=True)
    added_by = user_fk(_("added by"))
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = reach_queryset("inspection__body__organisation")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("rectification proof")
        verbose_name_plural = _("rectification proofs")
        constraints = [unique("inspection", "entitlement", name="one_link_per_entitlement")]

    def __str__(self) -> str:
        return self.file_name or str(self.entitlement)
