"""Special actions (campaigns): led by an organisation, with participants and targets. The
seizures and cases that join one keep the link on their side (``campaign``), so progress is
counted by the apps that own them (``ipex.campaigns.registry.measures``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ipex.core.models import MultilingualName, SharedRecord, parent_fk, unique


class Campaign(MultilingualName, SharedRecord):
    """A special action: led by its owner organisation, with participants and targets."""

    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    description = models.TextField(_("description"), blank=True)
    participants = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="campaigns",
        verbose_name=_("participating organisations"),
    )

    # Moved here from the cases app: the table and the audit log keep the old name.
    audit_type = "cases.campaign"

    class Meta(SharedRecord.Meta):
        db_table = "cases_campaign"
        ordering = ["-starts_on", "name_en"]
        verbose_name = _("special action")
        verbose_name_plural = _("special actions")


class Metric(models.TextChoices):
    ITEMS_SEIZED = "items_seized", _("Items seized")
    SEIZURES = "seizures", _("Seizures recorded")
    LINES_CLOSED = "lines_closed", _("Production lines cracked down")
    CASES_CLOSED = "cases_closed", _("Cases closed")
    ENTERPRISES_PUNISHED = "enterprises_punished", _("Licensed enterprises punished")


class CampaignTarget(models.Model):
    campaign = parent_fk(Campaign, _("campaign"), related_name="targets")
    metric = models.CharField(_("measure"), max_length=24, choices=Metric.choices)
    category = models.CharField(
        _("category"), max_length=60, blank=True, help_text=_("For items seized: a top category")
    )
    target = models.PositiveBigIntegerField(_("target"))

    class Meta:
        db_table = "cases_campaigntarget"
        ordering = ["id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [unique("campaign", "metric", "category", name="unique_campaign_target")]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.category} ≥ {self.target}"
