from django.utils.translation import gettext_lazy as _

from ipex.core import registry


class CasesConfig(registry.DeclaredAppConfig):
    name = "ipex.cases"
    label = "cases"
    verbose_name = _("Cases")
    shareable = ("ipex.cases.federation.CaseType",)
    panels = (("tasks", 30, "ipex.cases.queries.tasks_panel"),)
    demo_order = 40
    seeded = ("cases.LegalProvision",)  # the legal provisions and their penalty ranges
    share_pages = ("cases.Case",)

    def ready(self) -> None:
        # Imported here: these modules use models, which load only once every app is registered.
        from ipex.campaigns.models import Metric
        from ipex.campaigns.registry import CampaignLink, Measure, campaign_links, measures
        from ipex.cases.queries import campaign_case_count, campaign_measure

        super().ready()
        for metric in (Metric.LINES_CLOSED, Metric.CASES_CLOSED, Metric.ENTERPRISES_PUNISHED):
            measures.register(metric, Measure(count=campaign_measure))
        campaign_links.register(
            "cases", CampaignLink(url_name="case-list", text=campaign_case_count), order=10
        )
