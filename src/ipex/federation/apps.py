from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "ipex.federation"
    # The app was called "exchange" when nodes first ran it: its tables, migrations and the
    # audit entries that name it keep that label, so a node's data stays where it is.
    label = "exchange"
    verbose_name = _("Exchange between nodes")

    def ready(self):
        # Imported here: these modules use models, which load only once every app is registered.
        from ipex.core.audit import AUDIT_HOOKS
        from ipex.core.registry import answers
        from ipex.federation.outbox import on_audited
        from ipex.federation.services import partner_last_heard, partner_node_active

        if on_audited not in AUDIT_HOOKS:
            AUDIT_HOOKS.append(on_audited)
        answers.register("partner_node_active", partner_node_active)
        answers.register("partner_last_heard", partner_last_heard)
