"""Two nodes in one process, one database each: node A (China, the ``default`` database)
and node B (Russia, the ``node_b`` database). ``nodes.on("b")`` runs code as node B: its
database, its node key. HTTP between them goes through httpx to an in-process WSGI app that
serves each request as the node it is addressed to."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

import httpx
import pytest
from django.db import connections
from django.test import override_settings
from django.test.client import ClientHandler

from ipex.core.audit import Actor
from ipex.directory import services as directory
from ipex.directory.models import JurisdictionLevel, OrgKind, Role
from ipex.federation import protocol

URL = {"a": "http://127.0.0.1:8000", "b": "http://127.0.0.1:8001", "c": "http://127.0.0.1:8002"}
SYSTEM = Actor.system("test")


class Nodes:
    def __init__(self, tmp_path, names=("a", "b")):
        self.connections = {"a": connections["default"], "b": connections["node_b"]}
        if "c" in names:
            self.connections["c"] = connections["node_c"]
        self.keys = {n: tmp_path / f"node-{n}.pem" for n in names}
        self.data = {n: tmp_path / f"data-{n}" for n in names}
        self.current = "a"
        self.handler = ClientHandler(enforce_csrf_checks=False)

    @contextmanager
    def on(self, name: str):
        before = self.current
        connections["default"] = self.connections[name]
        self.current = name
        try:
            with override_settings(IPEX_NODE_KEY_FILE=self.keys[name], DATA_DIR=self.data[name]):
                yield
        finally:
            connections["default"] = self.connections[before]
            self.current = before

    def app(self, name: str):
        """A WSGI app serving requests as node ``name``."""

        def wsgi(environ, start_response):
            with self.on(name):
                response = self.handler(environ)
                body = response.content
                headers = [(k, v) for k, v in response.items()]
            start_response(f"{response.status_code} {response.reason_phrase}", headers)
            return [body]

        return wsgi


def seed(name: str, *, third: bool = False) -> SimpleNamespace:
    """A node's identity, places, organisations and users (run as that node); with a third
    node, every node knows its country too."""
    from tests.conftest import make_user, reseed

    reseed()
    node, _ = directory.node_init(name=f"Node {name.upper()}", base_url=URL[name])

    def area(code, level, en, parent=None):
        return directory.jurisdiction_add(
            actor=SYSTEM, code=code, level=level, name_en=en, parent=parent
        )

    cn = area("CN", JurisdictionLevel.COUNTRY, "China")
    gd = area("CN-GD", JurisdictionLevel.PROVINCE, "Guangdong", cn)
    ru = area("RU", JurisdictionLevel.COUNTRY, "Russia")
    kz = area("KZ", JurisdictionLevel.COUNTRY, "Kazakhstan") if third else None
    if name == "c":
        own = directory.organisation_create(
            actor=SYSTEM, code="KZ-KGD", kind=OrgKind.CUSTOMS, name_en="KZ customs", jurisdiction=kz
        )
        other = directory.organisation_create(
            actor=SYSTEM, code="KZ-MVD", kind=OrgKind.POLICE, name_en="KZ police", jurisdiction=kz
        )
    elif name == "a":
        own = directory.organisation_create(
            actor=SYSTEM,
            code="CN-GD-PSD",
            kind=OrgKind.POLICE,
            name_en="Guangdong PSD",
            jurisdiction=gd,
        )
        other = directory.organisation_create(
            actor=SYSTEM, code="CN-GAC", kind=OrgKind.CUSTOMS, name_en="GAC", jurisdiction=cn
        )
    else:
        own = directory.organisation_create(
            actor=SYSTEM,
            code="RU-FCS",
            kind=OrgKind.CUSTOMS,
            name_en="Federal Customs Service",
            jurisdiction=ru,
        )
        other = directory.organisation_create(
            actor=SYSTEM,
            code="RU-MVD",
            kind=OrgKind.POLICE,
            name_en="Ministry of Internal Affairs",
            jurisdiction=ru,
        )
    officer = make_user(f"officer@{name}.test", own, Role.OFFICER)
    outsider = make_user(f"outsider@{name}.test", other, Role.OFFICER)
    return SimpleNamespace(
        node=node, own=own, other=other, officer=officer, outsider=outsider, cn=cn, gd=gd, ru=ru
    )


@pytest.fixture
def nodes(tmp_path, monkeypatch):
    """Two partnered nodes, A and B, each with its own database."""
    pair = Nodes(tmp_path)
    for name in ("a", "b"):
        monkeypatch.setitem(protocol.TRANSPORTS, URL[name], httpx.WSGITransport(app=pair.app(name)))
    with pair.on("a"):
        pair.a = seed("a")
    with pair.on("b"):
        pair.b = seed("b")
    yield pair


def approve(nodes, pairs):
    """Each ``here`` approves ``there`` as a partner."""
    from ipex.federation.keys import fetch_node_document
    from ipex.federation.services import partner_add

    for here, there in pairs:
        with nodes.on(here):
            theirs = getattr(nodes, there).node
            document = fetch_node_document(URL[there], theirs.public_key)
            partner_add(
                actor=None,
                node_id=document["id"],
                name=document["name"],
                base_url=URL[there],
                public_key=theirs.public_key,
            )


@pytest.fixture
def partnered(nodes):
    """A and B have approved each other."""
    approve(nodes, (("a", "b"), ("b", "a")))
    return nodes


@pytest.fixture
def three(tmp_path, monkeypatch):
    """Three nodes, each with its own database, every pair partnered: A (China), B (Russia)
    and C (Kazakhstan)."""
    trio = Nodes(tmp_path, names=("a", "b", "c"))
    for name in ("a", "b", "c"):
        monkeypatch.setitem(protocol.TRANSPORTS, URL[name], httpx.WSGITransport(app=trio.app(name)))
    for name in ("a", "b", "c"):
        with trio.on(name):
            setattr(trio, name, seed(name, third=True))
    approve(trio, [(x, y) for x in "abc" for y in "abc" if x != y])
    return trio
