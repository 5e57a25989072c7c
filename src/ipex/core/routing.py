"""What the apps' ``urls.py`` build their routes with."""

from collections.abc import Callable
from inspect import isclass

from django.urls import URLPattern, path
from rest_framework.routers import SimpleRouter


def api_routes(*viewsets: tuple[str, type, str]) -> list[URLPattern]:
    """The API routes of an app's viewsets, each given as (prefix, viewset, basename); no
    trailing slash, as every API address has none."""
    router = SimpleRouter(trailing_slash=False)
    for prefix, viewset, basename in viewsets:
        router.register(prefix, viewset, basename=basename)
    return router.urls


def page(route: str, view: Callable | type, name: str) -> URLPattern:
    """``path()`` for a function view or a class-based one (given as the class)."""
    return path(route, view.as_view() if isclass(view) else view, name=name)


def record_pages(
    kind: str,
    *,
    index: Callable | type,
    new: Callable | type,
    detail: Callable | type,
    edit: Callable | type | None = None,
    new_name: str = "create",
) -> list[URLPattern]:
    """The standard pages of a kind of record, to include under its prefix: the list (``""``,
    named ``<kind>-list``), the form for a new one (``new``, ``<kind>-<new_name>``), its page
    (``<uuid:uuid>/``, ``<kind>-detail``) and, when given, its edit form (``<uuid:uuid>/edit``,
    ``<kind>-edit``)."""
    routes = [
        page("", index, f"{kind}-list"),
        page("new", new, f"{kind}-{new_name}"),
        page("<uuid:uuid>/", detail, f"{kind}-detail"),
    ]
    if edit is not None:
        routes.append(page("<uuid:uuid>/edit", edit, f"{kind}-edit"))
    return routes
