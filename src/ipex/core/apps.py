from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ipex.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from ipex.core import lookups  # noqa: F401 - registers uuid__any
        from ipex.core.jobs import audit_verify_job
        from ipex.core.models import JobKind
        from ipex.core.permissions import ensure_node_admin
        from ipex.core.queries import jobs_panel, recent_panel
        from ipex.core.registry import DashboardPanel, JobHandler, dashboard_panels, job_handlers

        job_handlers.register(
            JobKind.AUDIT_VERIFY, JobHandler(run=audit_verify_job, permission=ensure_node_admin)
        )
        dashboard_panels.register(
            "core.jobs", DashboardPanel("core/_panel_jobs.html", jobs_panel), order=70
        )
        dashboard_panels.register(
            "core.recent", DashboardPanel("core/_panel_recent.html", recent_panel), order=80
        )
