"""What higher apps hand to lower ones, registered in each app's ``AppConfig.ready``.

The apps stand in one order — core → directory → legislation → campaigns → seizures → cases →
compliance → tips → assistance → border → cooperation → federation → portal — and a lower app
never imports a higher one. Where a lower layer must still reach what a higher app provides
(core runs every kind of job, federation publishes every shareable type, the portal's home
page shows every app's panels, ``ipex demo`` builds every app's demo), the higher app
registers it here and the lower one looks it up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Generic, TypeVar

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string

T = TypeVar("T")


class Registry(Generic[T]):
    """Named entries, listed in the order they asked for (then by name). Registering the same
    name again replaces the entry, so ``ready()`` running twice (tests) does no harm."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._entries: dict[str, tuple[int, T]] = {}

    def register(self, name: str, entry: T, *, order: int = 100) -> T:
        self._entries[name] = (order, entry)
        return entry

    def __getitem__(self, name: str) -> T:
        try:
            return self._entries[name][1]
        except KeyError:
            raise KeyError(f"no {self.what} is registered as {name!r}") from None

    def get(self, name: str, default: T | None = None) -> T | None:
        entry = self._entries.get(name)
        return default if entry is None else entry[1]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def items(self) -> Iterator[tuple[str, T]]:
        for name, (_order, entry) in sorted(
            self._entries.items(), key=lambda item: (item[1][0], item[0])
        ):
            yield name, entry

    def values(self) -> Iterator[T]:
        for _name, entry in self.items():
            yield entry


@dataclass(frozen=True)
class JobHandler:
    """A kind of background job: ``run(job, progress)`` returns a JSON-able result;
    ``permission(user)`` raises if the user may not start it."""

    run: Callable[..., dict | None]
    permission: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class DashboardPanel:
    """A panel of the home page: ``context(user)`` gives the template's context, or None when
    the panel has nothing for this user (it is then not shown)."""

    template: str
    context: Callable[[Any], dict | None]


@dataclass(frozen=True)
class DemoBuilder:
    """A part of ``ipex demo``: ``build(country)`` adds what is missing and returns the lines
    to print (an empty list when it has nothing for that country)."""

    build: Callable[[str], list[str]]
    countries: tuple[str, ...] = field(default=("CN",))


@dataclass(frozen=True)
class SharePage:
    """A kind of record whose page has the share form (``/share/<kind>/<uuid>``): its model
    and the name of its page's URL, where the form sends the user back."""

    model: type
    detail: str


@dataclass(frozen=True)
class OpenDataset:
    """A figure set the node publishes as open data (the portal's catalogue, ``/public/data/``).

    ``fields`` are its columns as (name, Table Schema type, title); ``rows(year)`` gives the
    figures of a year as published — only what is approved and published, never a draft.
    The portal takes a numbered snapshot of them each time the app announces that the year's
    figures were published (``announce_published(trigger, year=…, actor=…)``): an open
    dataset is published with the publication named ``trigger`` (e.g. ``"bulletin"``)."""

    name: str
    title: Any
    description: Any
    fields: tuple[tuple[str, str, Any], ...]
    rows: Callable[[int], list[dict]]
    trigger: str
    keywords: tuple[str, ...] = ()
    primary_key: tuple[str, ...] = ()


#: kind of job (``Job.kind``) → its handler
job_handlers: Registry[JobHandler] = Registry("job handler")
#: kind in the share form's URL (``"seizure"``, ``"case"`` …) → the page it belongs to
share_pages: Registry[SharePage] = Registry("share page")
#: panel name → the panel, in the order the home page shows them
dashboard_panels: Registry[DashboardPanel] = Registry("dashboard panel")
#: kind of shareable record (``"seizure"``, ``"case"`` …) → its federation type
shareable_types: Registry[Any] = Registry("shareable type")
#: part of the demo → its builder, in the order ``ipex demo`` runs them
demo_builders: Registry[DemoBuilder] = Registry("demo builder")
#: model label (``"app_label.Model"``) → itself: the models whose rows a bare ``ipex migrate``
#: writes (a node holding only those is empty: backup and restore ask)
seeded_models: Registry[str] = Registry("seeded model")
#: a question a lower app asks and a higher one answers → the function that answers it, e.g.
#: ``"partner_node_active"`` (is this node a partner we exchange with now?), from federation
answers: Registry[Callable[..., Any]] = Registry("answer")
#: name of an open dataset (``"seizures"`` …) → what it is made of (the portal publishes it)
open_datasets: Registry[OpenDataset] = Registry("open dataset")
#: who is told that figures were published → ``listener(trigger, *, year, actor)`` (the
#: portal snapshots the open datasets published with that trigger)
publication_listeners: Registry[Callable[..., None]] = Registry("publication listener")


def announce_published(trigger: str, *, year: int, actor) -> None:
    """Tell the apps above that figures of ``year`` were published by ``trigger`` (call it
    inside the publishing transaction: what the listeners write goes with it)."""
    for listener in publication_listeners.values():
        listener(trigger, year=year, actor=actor)


class DeclaredAppConfig(AppConfig):
    """An IPEX app that declares what it hands to the lower apps (``ipex.core.registry``);
    ``ready()`` registers it. Functions and classes are named by dotted path, as they cannot be
    imported before the app registry is ready. An app with more to register overrides
    ``ready()`` and calls ``super().ready()``."""

    #: modules imported for what they register elsewhere (lookups, OpenAPI extensions)
    imports: tuple[str, ...] = ()
    #: its federation types (dotted paths of classes with a ``name``)
    shareable: tuple[str, ...] = ()
    #: its home-page panels: (name, order, dotted context function); the panel is registered
    #: as ``<label>.<name>`` with the template ``<label>/_panel_<name>.html``
    panels: tuple[tuple[str, int, str], ...] = ()
    #: where its part of ``ipex demo`` (``<app>.demo.demo_lines``) runs; None: it has none
    demo_order: int | None = None
    demo_countries: tuple[str, ...] = ("CN",)
    #: models (``"app_label.Model"``) whose pages have the share form; the kind in its URL is
    #: the model's name and the page it sends back to is ``<kind>-detail``
    share_pages: tuple[str, ...] = ()
    #: its kinds of background job: (``Job.kind``, dotted run, dotted permission or None)
    jobs: tuple[tuple[str, str, str | None], ...] = ()
    #: models (``"app_label.Model"``) whose rows its migrations write (a catalogue, default
    #: rules): a node holding only such rows still counts as empty
    seeded: tuple[str, ...] = ()
    #: its open datasets (dotted paths of ``OpenDataset`` instances)
    datasets: tuple[str, ...] = ()

    def ready(self) -> None:
        for module in self.imports:
            import_module(module)
        for path in self.shareable:
            kind = import_string(path)
            shareable_types.register(kind.name, kind())
        for name, order, context in self.panels:
            panel = DashboardPanel(
                template=f"{self.label}/_panel_{name}.html", context=import_string(context)
            )
            dashboard_panels.register(f"{self.label}.{name}", panel, order=order)
        if self.demo_order is not None:
            builder = DemoBuilder(
                build=import_string(f"{self.name}.demo.demo_lines"), countries=self.demo_countries
            )
            demo_builders.register(self.label, builder, order=self.demo_order)
        for label in self.share_pages:
            model = apps.get_model(label)
            kind = model._meta.model_name
            page = SharePage(model=model, detail=f"{kind}-detail")
            share_pages.register(kind, page)
        for kind, run, permission in self.jobs:
            handler = JobHandler(
                run=import_string(run), permission=permission and import_string(permission)
            )
            job_handlers.register(kind, handler)
        for label in self.seeded:
            seeded_models.register(label, label)
        for path in self.datasets:
            dataset = import_string(path)
            open_datasets.register(dataset.name, dataset)
