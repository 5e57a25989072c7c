from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeizuresConfig(AppConfig):
    name = "ipex.seizures"
    label = "seizures"
    verbose_name = _("Seizures and statistics")

    def ready(self) -> None:
        from ipex.core.models import JobKind
        from ipex.core.registry import JobHandler, job_handlers, shareable_types
        from ipex.seizures.federation import SeizureType
        from ipex.seizures.imports.jobs import import_job

        job_handlers.register(JobKind.SEIZURE_IMPORT, JobHandler(run=import_job))
        shareable_types.register(SeizureType.name, SeizureType())
