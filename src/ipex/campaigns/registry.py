"""What the apps above hand to special actions, registered in their ``AppConfig.ready``.

Seizures and cases join a special action through their own ``campaign`` field, and the apps
that own them count them: special actions stand below both and import neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ipex.core.registry import Registry


@dataclass(frozen=True)
class Measure:
    """How a target of one measure is counted: ``count(user, campaign, target)`` over the
    linked records the user can see; ``categories()`` the codes a target may narrow it to
    (None: the measure takes no category)."""

    count: Callable[[Any, Any, Any], int]
    categories: Callable[[], Iterable[str]] | None = None


@dataclass(frozen=True)
class CampaignLink:
    """A kind of record that can join a special action, as the action's page links to it:
    ``text(user, campaign)`` (counted over what the user can see, if it counts) and the list
    page ``url_name``, filtered with ``?campaign=<uuid>``."""

    url_name: str
    text: Callable[[Any, Any], str]


#: measure (``Metric`` value) → how its targets are counted
measures: Registry[Measure] = Registry("special-action measure")
#: kind of linked record → its link on the special action's page, in order
campaign_links: Registry[CampaignLink] = Registry("special-action link")
