"""Real nodes on loopback for the exchange benchmarks (bench/sync.py, bench/joint_operation.py):
each node has its own database (an SQLite file of the run, or, when ``DATABASE_URL`` names a
PostgreSQL database, that database for the first node and ``<its name>_<node>`` for the
others, all made empty first), its own Ed25519 key and its own HTTP server on 127.0.0.1,
served from a thread of this process or from a forked process; every node a confirmed
partner of every other. Tasks run at once (``ImmediateBackend``): a commit rings the
partners' doorbells, and a ring makes its partner pull, before the writing call returns.

    nodes = Loopback(("a", "b"))          # after setup(("a", "b")): databases migrated
    made = nodes.identities(orgs=1)       # a node, China and organisations on each
    nodes.partner_all()
    nodes.serve_thread("b"); nodes.serve_process("a")
    nodes.on("a")                         # this thread now works for node A
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from types import SimpleNamespace
from wsgiref.simple_server import WSGIRequestHandler, make_server

from common import recreate


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):  # no request log (and no client addresses)
        pass


def alias(name: str, first: str) -> str:
    return "default" if name == first else f"node_{name}"


def setup(names, *, prefix: str = "ipex-bench-") -> None:
    """Django set up with one database per node (``names``; the first is ``default``), each
    empty and migrated."""
    data_dir = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    os.environ["IPEX_DATA_DIR"] = data_dir
    os.environ.setdefault("IPEX_DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ipex.settings"
    # Tasks at once, set before Django starts: the backend is made from the settings then.
    os.environ["IPEX_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django
    from django.conf import settings

    django.setup()
    default = settings.DATABASES["default"]
    postgres = default["ENGINE"].endswith("postgresql")
    for name in names[1:]:
        other = {**default}
        if postgres:
            other["NAME"] = f"{default['NAME']}_{name}"
        else:
            other["NAME"] = Path(data_dir) / f"node-{name}.sqlite3"
        settings.DATABASES[alias(name, names[0])] = other
    if postgres:  # every node starts empty
        for name in names:
            recreate(settings.DATABASES[alias(name, names[0])])
    settings.DEBUG = False
    from django.core.management import call_command

    for name in names:
        call_command("migrate", database=alias(name, names[0]), verbosity=0)


def fork(target, connections_by_node):
    """Run ``target`` in a child process (forked, so it has this process's set-up), with
    database connections of its own."""
    import multiprocessing

    for connection in connections_by_node.values():
        connection.close()
    process = multiprocessing.get_context("fork").Process(target=target, daemon=True)
    process.start()
    atexit.register(process.terminate)
    return process


class Loopback:
    """The nodes of a run after ``setup(names)``: which node a thread works for (``on``), their
    servers and addresses, identities, partnerships and keys."""

    def __init__(self, names):
        from django.conf import settings
        from django.db import connections

        self.names = list(names)
        self.aliases = {n: alias(n, self.names[0]) for n in self.names}
        self.conn = {n: connections[a] for n, a in self.aliases.items()}
        self.data = Path(settings.DATA_DIR)
        self.current = threading.local()  # which node this thread works for
        self.servers = {n: make_server("127.0.0.1", 0, None, handler_class=Quiet) for n in names}
        self.url = {n: f"http://127.0.0.1:{s.server_port}" for n, s in self.servers.items()}
        self.keys: dict = {}

    def on(self, name: str) -> None:
        """This thread (the main one, or a forked child's) now works for node ``name``."""
        from django.conf import settings
        from django.db import connections

        connections["default"] = self.conn[name]
        settings.IPEX_NODE_KEY_FILE = self.data / f"key-{name}.pem"
        self.current.name = name

    def identities(self, *, orgs: int = 1, code=None) -> dict:
        """On each node: its identity, China, ``orgs`` police organisations (codes
        ``code(name, i)``, by default BENCH-<NODE>[-i]) and a user, officer of all of them."""
        from ipex.directory import services as directory
        from ipex.directory.models import JurisdictionLevel, OrgKind
        from ipex.seizures.categories import seed_categories
        from ipex.seizures.models import Category

        code = code or (lambda n, i: f"BENCH-{n.upper()}" + (f"-{i}" if orgs > 1 else ""))
        made = {}
        for name in self.names:
            self.on(name)
            seed_categories(Category)
            node, _ = directory.node_init(name=f"Bench {name.upper()}", base_url=self.url[name])
            cn = directory.jurisdiction_add(
                actor=None, code="CN", level=JurisdictionLevel.COUNTRY, name_en="China"
            )
            own = [
                directory.organisation_create(
                    actor=None,
                    code=code(name, i),
                    kind=OrgKind.POLICE,
                    name_en=f"{name} {i}",
                    jurisdiction=cn,
                )
                for i in range(orgs)
            ]
            user = directory.user_create(
                actor=None, email=f"bench@{name}.test", full_name=f"bench {name}"
            )
            for org in own:
                directory.membership_grant(actor=None, user=user, organisation=org, role="officer")
            made[name] = SimpleNamespace(node=node, orgs=own, country=cn, user=user)
        self.made = made
        self._sign_per_thread()
        return made

    def _sign_per_thread(self) -> None:
        """Each node signs with its own key, read once; a thread that never chose a node
        (a pull started by the standard library's server) signs as the node it serves."""
        from cryptography.hazmat.primitives import serialization

        from ipex.directory import services as directory_services

        for name in self.names:
            pem = (self.data / f"key-{name}.pem").read_bytes()
            self.keys[name] = serialization.load_pem_private_key(pem, password=None)
        directory_services.node_private_key = lambda: self.keys[
            getattr(self.current, "name", self.names[-1])
        ]
        # The threads that carry a pull's calls (shared by every node here) work for the node
        # whose thread handed them the call.
        from concurrent.futures import ThreadPoolExecutor

        from ipex.federation import protocol

        current = self.current

        class Carrying(ThreadPoolExecutor):
            def submit(self, fn, /, *args, **kwargs):
                name = getattr(current, "name", None)

                def run():
                    if name is not None:
                        current.name = name
                    return fn(*args, **kwargs)

                return super().submit(run)

        protocol._IO = Carrying(max_workers=4, thread_name_prefix="ipex-federation-io")

    def partner_all(self) -> None:
        """Every node a confirmed partner of every other."""
        from ipex.directory.models import Node
        from ipex.federation.services import partner_add, partner_confirmed

        for here in self.names:
            self.on(here)
            for there in self.names:
                if there == here:
                    continue
                other = self.made[there].node
                partner_add(
                    actor=None,
                    node_id=str(other.uuid),
                    name=other.name,
                    base_url=self.url[there],
                    public_key=other.public_key,
                )
                partner_confirmed(node=Node.objects.get(uuid=other.uuid))

    def learn_all(self) -> None:
        """Each node learns the others' organisations (their servers must be serving)."""
        from ipex.federation.sync import learn_organisations

        for here in self.names:
            self.on(here)
            for there in self.names:
                if there != here:
                    learn_organisations(self.partner(there))

    def pull_all(self, source: str) -> None:
        """Every other node pulls from ``source`` now."""
        from ipex.federation.sync import sync_partner

        for here in self.names:
            if here != source:
                self.on(here)
                sync_partner(self.partner(source))

    def partner(self, there: str):
        """Node ``there`` as known on the node this thread works for."""
        from ipex.directory.models import Node

        return Node.objects.get(uuid=self.made[there].node.uuid)

    def serve_thread(self, name: str) -> None:
        """Node ``name`` answers from a thread of this process (its own connection)."""
        from django.core.handlers.wsgi import WSGIHandler
        from django.db import connections

        handler, database = WSGIHandler(), self.aliases[name]

        def app(environ, start_response):
            connections["default"] = connections[database]
            self.current.name = name
            return handler(environ, start_response)

        self.servers[name].set_app(app)
        threading.Thread(target=self.servers[name].serve_forever, daemon=True).start()

    def serve_process(self, name: str, app=None):
        """Node ``name`` answers from a process of its own, as a partner would: its side runs
        beside this process's."""
        from django.core.handlers.wsgi import WSGIHandler
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - loaded once, as a running server has them
        self.servers[name].set_app(app or WSGIHandler())
        return fork(lambda: (self.on(name), self.servers[name].serve_forever()), self.conn)
