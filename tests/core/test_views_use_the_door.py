"""Views declare what they show (``queryset``/``model``) and the base classes apply the door:
a page or viewset that builds its own queryset without the base's ``visible_to`` could show
what its reader may not see."""

from __future__ import annotations

import inspect

import pytest
from django.urls import get_resolver

from ipex.core.api import VisibleViewSet
from ipex.core.views import VisibleQuerysetMixin


def _views():
    seen = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns)
                continue
            callback = pattern.callback
            view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
            if view is not None and view not in seen:
                seen.add(view)
                yield view

    yield from walk(get_resolver().url_patterns)


def own_querysets(views) -> list[str]:
    """Views behind the door whose own get_queryset does not start from the base's."""
    found = []
    for view in views:
        base = next(
            (b for b in (VisibleQuerysetMixin, VisibleViewSet) if issubclass(view, b)), None
        )
        if base is None:
            continue
        for klass in view.__mro__[: view.__mro__.index(base)]:  # what is written above the door
            if "get_queryset" not in vars(klass):
                continue
            if "super().get_queryset()" not in inspect.getsource(vars(klass)["get_queryset"]):
                found.append(f"{klass.__module__}.{klass.__qualname__}")
    return sorted(set(found))


def test_every_view_behind_the_door_lets_the_base_apply_it():
    views = list(_views())
    assert len([v for v in views if issubclass(v, VisibleQuerysetMixin)]) > 10
    assert own_querysets(views) == []


@pytest.mark.parametrize("base", [VisibleQuerysetMixin, VisibleViewSet])
def test_a_view_with_its_own_queryset_is_found(base):
    class Shortcut(base):
        def get_queryset(self):
            return []

    assert own_querysets([Shortcut]) == [f"{__name__}.{Shortcut.__qualname__}"]
