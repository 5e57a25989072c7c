"""The home page: each app's panels (``ipex.core.registry.dashboard_panels``) that have
something for the user."""

from __future__ import annotations

from django.shortcuts import redirect, render

from ipex.core.registry import dashboard_panels


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    panels = []
    for panel in dashboard_panels.values():
        context = panel.context(request.user)
        if context is not None:
            panels.append((panel.template, context))
    return render(request, "portal/home.html", {"panels": panels})
