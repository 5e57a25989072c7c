from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "ipex.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from ipex.core.registry import DashboardPanel, DemoBuilder, dashboard_panels, demo_builders
        from ipex.directory import (
            queries,
            schema,  # noqa: F401 - registers OpenAPI extensions
        )
        from ipex.directory.demo import demo_lines

        for name, order, context in (
            ("roles", 10, queries.roles_panel),
            ("admin", 40, queries.admin_panel),
            ("subordinates", 50, queries.subordinates_panel),
            ("sharing_groups", 60, queries.sharing_groups_panel),
        ):
            panel = DashboardPanel(template=f"directory/_panel_{name}.html", context=context)
            dashboard_panels.register(f"directory.{name}", panel, order=order)
        demo_builders.register(
            "directory", DemoBuilder(build=demo_lines, countries=("CN", "RU")), order=10
        )
