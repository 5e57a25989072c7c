from django.utils.translation import gettext_lazy as _

from ipex.core import registry


class SeizuresConfig(registry.DeclaredAppConfig):
    name = "ipex.seizures"
    label = "seizures"
    verbose_name = _("Seizures and statistics")
    shareable = ("ipex.seizures.federation.SeizureType",)
    demo_order = 30
    seeded = ("seizures.Category",)  # the category vocabulary
    share_pages = ("seizures.Seizure",)
    jobs = (("seizures.import", "ipex.seizures.imports.jobs.import_job", None),)
    datasets = ("ipex.seizures.opendata.SEIZURES",)

    def ready(self) -> None:
        # Imported here: these modules use models, which load only once every app is registered.
        from django.utils.translation import gettext

        from ipex.campaigns.models import Metric
        from ipex.campaigns.registry import CampaignLink, Measure, campaign_links, measures
        from ipex.seizures.queries import campaign_measure, top_categories

        super().ready()
        measures.register(Metric.SEIZURES, Measure(count=campaign_measure))
        measures.register(
            Metric.ITEMS_SEIZED, Measure(count=campaign_measure, categories=top_categories)
        )
        campaign_links.register(
            "seizures",
            CampaignLink(
                url_name="seizure-list",
                text=lambda user, campaign: gettext("Seizures of this special action"),
            ),
            order=20,
        )
