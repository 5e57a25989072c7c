from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ipex.cases"
    label = "cases"
    verbose_name = _("Cases and special actions")

    def ready(self) -> None:
        from ipex.cases.federation import CaseType
        from ipex.core.registry import shareable_types

        shareable_types.register(CaseType.name, CaseType())
