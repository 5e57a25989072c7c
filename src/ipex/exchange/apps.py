from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "ipex.exchange"
    label = "exchange"
    verbose_name = _("Exchange between nodes")

    def ready(self):
        from ipex.core.audit import AUDIT_HOOKS
        from ipex.exchange.outbox import on_audited

        if on_audited not in AUDIT_HOOKS:
            AUDIT_HOOKS.append(on_audited)
