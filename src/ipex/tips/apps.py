from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "ipex.tips"
    label = "tips"
    verbose_name = _("Tip-offs and rewards")

    def ready(self) -> None:
        from ipex.core.registry import DashboardPanel, DemoBuilder, dashboard_panels, demo_builders
        from ipex.tips.demo import demo_lines
        from ipex.tips.queries import waiting_panel

        dashboard_panels.register(
            "tips.waiting", DashboardPanel("tips/_panel_waiting.html", waiting_panel), order=20
        )
        demo_builders.register("tips", DemoBuilder(build=demo_lines), order=50)
