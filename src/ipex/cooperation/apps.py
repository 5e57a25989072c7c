from django.utils.translation import gettext_lazy as _

from ipex.core import registry


class CooperationConfig(registry.DeclaredAppConfig):
    name = "ipex.cooperation"
    label = "cooperation"
    verbose_name = _("Cooperation across borders")
    shareable = (
        "ipex.cooperation.federation.AgreementType",
        "ipex.cooperation.federation.MeetingType",
        "ipex.cooperation.federation.ItemUpdateType",
        "ipex.cooperation.federation.JointOperationType",
        "ipex.cooperation.federation.ResultSummaryType",
    )
    panels = (("liaison", 25, "ipex.cooperation.queries.liaison_panel"),)
    demo_order = 75

    def ready(self) -> None:
        # Imported here: these modules use models, which load only once every app is registered.
        from ipex.cooperation.services.links import on_audited
        from ipex.core.audit import AUDIT_HOOKS

        super().ready()
        if on_audited not in AUDIT_HOOKS:
            AUDIT_HOOKS.append(on_audited)
