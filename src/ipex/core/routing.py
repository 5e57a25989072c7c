"""What the apps' ``urls.py`` build their routes with."""

from collections.abc import Callable
from inspect import isclass

from django.urls import URLPattern, path


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
