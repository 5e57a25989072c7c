from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "ipex.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from ipex.directory import schema  # noqa: F401 - registers OpenAPI extensions
