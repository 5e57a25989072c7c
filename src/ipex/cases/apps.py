from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ipex.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from ipex.campaigns.models import Metric
        from ipex.campaigns.registry import CampaignLink, Measure, campaign_links, measures
        from ipex.cases.demo import demo_lines
        from ipex.cases.federation import CaseType
        from ipex.cases.models import Case
        from ipex.cases.queries import campaign_case_count, campaign_measure, tasks_panel
        from ipex.core.registry import (
            DashboardPanel,
            DemoBuilder,
            SharePage,
            dashboard_panels,
            demo_builders,
            share_pages,
            shareable_types,
        )

        shareable_types.register(CaseType.name, CaseType())
        for metric in (Metric.LINES_CLOSED, Metric.CASES_CLOSED, Metric.ENTERPRISES_PUNISHED):
            measures.register(metric, Measure(count=campaign_measure))
        campaign_links.register(
            "cases", CampaignLink(url_name="case-list", text=campaign_case_count), order=10
        )
        dashboard_panels.register(
            "cases.tasks", DashboardPanel("cases/_panel_tasks.html", tasks_panel), order=30
        )
        demo_builders.register("cases", DemoBuilder(build=demo_lines), order=40)
        share_pages.register("case", SharePage(model=Case, detail="case-detail"))
