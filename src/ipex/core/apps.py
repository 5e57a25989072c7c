from django.utils.translation import gettext_lazy as _

from ipex.core import registry


class CoreConfig(registry.DeclaredAppConfig):
    name = "ipex.core"
    label = "core"
    verbose_name = _("Core")
    imports = ("ipex.core.lookups",)  # registers uuid__any
    # Django writes these on every migrate
    seeded = ("contenttypes.ContentType", "auth.Permission")
    panels = (
        ("jobs", 70, "ipex.core.queries.jobs_panel"),
        ("recent", 80, "ipex.core.queries.recent_panel"),
    )
    jobs = (
        (
            "audit.verify",
            "ipex.core.jobs.audit_verify_job",
            "ipex.core.permissions.ensure_node_admin",
        ),
    )
