from django.utils.translation import gettext_lazy as _

from ipex.core import registry


class DirectoryConfig(registry.DeclaredAppConfig):
    name = "ipex.directory"
    label = "directory"
    verbose_name = _("Directory")
    imports = ("ipex.directory.schema",)  # registers OpenAPI extensions
    panels = (
        ("roles", 10, "ipex.directory.queries.roles_panel"),
        ("admin", 40, "ipex.directory.queries.admin_panel"),
        ("subordinates", 50, "ipex.directory.queries.subordinates_panel"),
        ("sharing_groups", 60, "ipex.directory.queries.sharing_groups_panel"),
    )
    demo_order = 10
    demo_countries = ("CN", "RU")
