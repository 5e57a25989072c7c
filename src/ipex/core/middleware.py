"""Operations endpoints ahead of everything; language per user; the API docs pages' wider
Content-Security-Policy."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.utils import translation
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from ipex.core import views


class OperationsMiddleware:
    """Answers /healthz, /readyz and (when IPEX_METRICS_TOKEN is set) /metrics before any
    other middleware runs: load balancers, systemd and Prometheus reach gunicorn by address
    and over plain HTTP, so the host check and the HTTPS redirect would refuse them, and a
    probe needs no session, CSRF or language. Every other request costs one dict lookup.
    Without the token, /metrics falls through to the usual 404."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = {"/healthz": views.healthz, "/readyz": views.readyz, "/metrics": views.metrics}

    def __call__(self, request):
        view = self.views.get(request.path_info)
        if view is None or (view is views.metrics and not settings.IPEX_METRICS_TOKEN):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request)


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's (LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        if user is not None and user.is_authenticated and user.language:
            response.headers.setdefault("Content-Language", user.language)
        return response


# Swagger UI starts from an inline script and styles itself with an inline <style>; Redoc
# injects its styles at run time and parses the schema in a blob: worker. Both come from
# drf-spectacular(-sidecar), not from IPEX's templates.
API_DOCS_POLICY = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "worker-src": ["'self'", "blob:"],
}


class ApiDocsPolicyMiddleware:
    """The API docs pages (and only they) get their inline code allowed by the
    Content-Security-Policy. Sits after csp.middleware.CSPMiddleware, which writes the header
    from ``response._csp_update``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view_class = getattr(getattr(match, "func", None), "view_class", None)
        if view_class is not None and issubclass(view_class, _api_docs_views()):
            response._csp_update = API_DOCS_POLICY
        return response


def _api_docs_views():
    return (SpectacularSwaggerView, SpectacularRedocView)
