from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeizuresConfig(AppConfig):
    name = "ipex.seizures"
    label = "seizures"
    verbose_name = _("Seizures and statistics")

    def ready(self) -> None:
        from django.utils.translation import gettext

        from ipex.campaigns.models import Metric
        from ipex.campaigns.registry import CampaignLink, Measure, campaign_links, measures
        from ipex.core.models import JobKind
        from ipex.core.registry import (
            DemoBuilder,
            JobHandler,
            SharePage,
            demo_builders,
            job_handlers,
            share_pages,
            shareable_types,
        )
        from ipex.seizures.demo import demo_lines
        from ipex.seizures.federation import SeizureType
        from ipex.seizures.imports.jobs import import_job
        from ipex.seizures.models import Seizure
        from ipex.seizures.queries import campaign_measure, top_categories

        job_handlers.register(JobKind.SEIZURE_IMPORT, JobHandler(run=import_job))
        shareable_types.register(SeizureType.name, SeizureType())
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
        demo_builders.register("seizures", DemoBuilder(build=demo_lines), order=30)
        share_pages.register("seizure", SharePage(model=Seizure, detail="seizure-detail"))
