from django.utils.translation import gettext_lazy as _

from ipex.core import registry


class AssistanceConfig(registry.DeclaredAppConfig):
    name = "ipex.assistance"
    label = "assistance"
    verbose_name = _("Alerts and requests for assistance")
    shareable = (
        "ipex.assistance.federation.AlertType",
        "ipex.assistance.federation.AssistanceRequestType",
        "ipex.assistance.federation.AssistanceMessageType",
    )

    def ready(self) -> None:
        # Imported here: these modules use models, which load only once every app is registered.
        from ipex.assistance import federation
        from ipex.cases.federation import CaseType

        super().ready()
        if federation.link_requests_to_case not in CaseType.when_applied:
            CaseType.when_applied.append(federation.link_requests_to_case)
