from django.utils.translation import gettext_lazy as _

from ipex.core import registry


class TipsConfig(registry.DeclaredAppConfig):
    name = "ipex.tips"
    label = "tips"
    verbose_name = _("Tip-offs and rewards")
    panels = (("waiting", 20, "ipex.tips.queries.waiting_panel"),)
    demo_order = 50
