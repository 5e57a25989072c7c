from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "ipex.assistance"
    label = "assistance"
    verbose_name = _("Alerts and requests for assistance")

    def ready(self) -> None:
        from ipex.assistance import federation
        from ipex.cases.federation import CaseType
        from ipex.core.registry import shareable_types

        for kind in (
            federation.AlertType,
            federation.AssistanceRequestType,
            federation.AssistanceMessageType,
        ):
            shareable_types.register(kind.name, kind())
        if federation.link_requests_to_case not in CaseType.when_applied:
            CaseType.when_applied.append(federation.link_requests_to_case)
