"""Core reads: the home page's panels of the user's own background jobs and actions
(registered in ``CoreConfig.ready``)."""

from __future__ import annotations

from ipex.core.models import AuditEntry, Job


def jobs_panel(user) -> dict:
    return {"jobs": Job.objects.visible_to(user)[:5]}


def recent_panel(user) -> dict:
    return {"recent": AuditEntry.objects.filter(actor_user=user).order_by("-seq")[:8]}
