"""Special actions (campaigns). Cases, subjects, actions and penalties follow (issue 4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ipex.core.models import MultilingualName, SharedRecord


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

    class Meta(SharedRecord.Meta):
        ordering = ["-starts_on", "name_en"]
        verbose_name = _("special action")
        verbose_name_plural = _("special actions")


class Metric(models.TextChoices):
    ITEMS_SEIZED = "items_seized", _("Items seized")
    SEIZURES = "seizures", _("Seizures recorded")


class CampaignTarget(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="targets", verbose_name=_("campaign")
    )
    metric = models.CharField(_("measure"), max_length=20, choices=Metric.choices)
    category = models.CharField(
        _("category"), max_length=60, blank=True, help_text=_("For items seized: a top category")
    )
    target = models.PositiveBigIntegerField(_("target"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "metric", "category"], name="unique_campaign_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.category} ≥ {self.target}"
