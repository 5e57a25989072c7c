from django.utils.translation import gettext_lazy as _

from ipex.core import registry


class PortalConfig(registry.DeclaredAppConfig):
    name = "ipex.portal"
    label = "portal"
    verbose_name = _("Portal")
    demo_order = 60  # portal.demo.demo_lines: the 2013 video conference, news and event
    datasets = ("ipex.portal.opendata.ENFORCEMENT",)

    def ready(self) -> None:
        super().ready()
        # Imported here: these modules use models, which load only once every app is registered.
        from ipex.portal.bulletin import enforcement_section
        from ipex.portal.opendata import on_published
        from ipex.seizures.registry import bulletin_sections

        bulletin_sections.register("enforcement", enforcement_section)
        registry.publication_listeners.register("portal.opendata", on_published)
