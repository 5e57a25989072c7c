"""The shareable types the apps registered (``core.registry.shareable_types``), by kind on the
wire and by model."""

from __future__ import annotations

from functools import cache

from ipex.core.registry import shareable_types
from ipex.directory.shareable import ShareableType


def type_named(kind: str) -> ShareableType | None:
    return shareable_types.get(kind)


@cache
def _by_model() -> dict:
    return {t.model: t for t in shareable_types.values()}


def type_for(obj) -> ShareableType | None:
    return _by_model().get(type(obj))


def all_types() -> list[ShareableType]:
    return list(shareable_types.values())
