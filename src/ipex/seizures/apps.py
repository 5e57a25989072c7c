from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeizuresConfig(AppConfig):
    name = "ipex.seizures"
    label = "seizures"
    verbose_name = _("Seizures and statistics")
