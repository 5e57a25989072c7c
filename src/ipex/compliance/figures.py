"""The compliance statistics, kept current by each reconciliation (never computed on read):
devices and compliant devices per country, year and key of a dimension — every jurisdiction up
the tree, the kind of body, the product family — and the approval that makes a country's
figures for a year public. They name no body, so they need no door beyond publication."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipex.core.models import unique, user_fk


class Dimension(models.TextChoices):
    JURISDICTION = "jurisdiction", _("Jurisdiction")
    BODY_KIND = "body_kind", _("Kind of body")
    FAMILY = "family", _("Product family")


class ComplianceFigure(models.Model):
    country = models.CharField(_("country"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    dimension = models.CharField(_("by"), max_length=12, choices=Dimension.choices)
    key = models.CharField(_("key"), max_length=40)
    devices = models.BigIntegerField(_("devices"), default=0)
    compliant_devices = models.BigIntegerField(_("compliant devices"), default=0)

    class Meta:
        ordering = ["country", "year", "dimension", "key"]
        verbose_name = _("compliance figure")
        verbose_name_plural = _("compliance figures")
        constraints = [unique("country", "year", "dimension", "key", name="one_compliance_figure")]

    def __str__(self) -> str:
        return f"{self.country} {self.year} {self.dimension}={self.key}"


class CompliancePublication(models.Model):
    """A country's figures for a year, approved by its national statistician: public from then."""

    country = models.CharField(_("country"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    approved_by = user_fk(_("approved by"))
    approved_at = models.DateTimeField(_("approved"), default=timezone.now)

    class Meta:
        ordering = ["-year", "country"]
        verbose_name = _("published compliance figures")
        verbose_name_plural = _("published compliance figures")
        constraints = [unique("country", "year", name="one_publication_per_year")]

    def __str__(self) -> str:
        return f"{self.country} {self.year}"
