"""The states of the software-legalisation workflows (django-fsm-2, on the models)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SelfReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", pgettext_lazy("report status", "Returned")
    APPROVED = "approved", _("Approved (locked)")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SAMPLED = "sampled", _("Sample drawn")
    COMPLIANT = "compliant", _("Closed: compliant")
    ORDERED = "ordered", _("Rectification ordered")
    RECTIFIED = "rectified", _("Rectified by the body")
    CLOSED = "closed", _("Closed after follow-up")
