from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ipex.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from ipex.portal.bulletin import enforcement_section
        from ipex.seizures.registry import bulletin_sections

        bulletin_sections.register("enforcement", enforcement_section)
