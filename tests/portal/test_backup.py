"""``ipex backup DIR`` and ``ipex restore DIR``: a demo node is backed up and restored onto an
empty node elsewhere (another data directory, another database), as an operator would, each
node an ``ipex`` process of its own. On PostgreSQL when the suite's DATABASE_URL is, with
databases made for the purpose; on SQLite otherwise. One demo build serves the module."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ipex.federation import canonical, checking

SUITE_DATABASE = os.environ.get("DATABASE_URL", "")
POSTGRES = SUITE_DATABASE.startswith(("postgres://", "postgresql://"))
SERVER = SUITE_DATABASE.rsplit("/", 1)[0] if POSTGRES else ""
PREFIX = f"ipexbk_{uuid.uuid4().hex[:8]}"

# Run in a node's process: django set up, the script's last line prints JSON.
COUNTS = """
from django.apps import apps
labels = ["seizures.Seizure", "seizures.SeizedItem", "seizures.PeriodReport", "cases.Case",
          "cases.CaseAction", "cases.Subject", "campaigns.Campaign", "tips.Tip",
          "tips.TipMessage", "tips.TipAttachment", "tips.Reward", "directory.User",
          "directory.Organisation", "directory.Jurisdiction", "directory.Node",
          "core.AuditEntry"]
out = {label: apps.get_model(label).objects.count() for label in labels}
"""
TIP_WITH_FILE = """
from django.core.files.uploadedfile import SimpleUploadedFile
from ipex.tips import services
pdf = b"%PDF-1.4\\n% a photo of the production line, as a PDF (synthetic)\\n%%EOF\\n"
tip, receipt, _proof = services.tip_submit(
    kind="production_line", jurisdiction="CN-GD-SZ-BA",
    description="Night shift pressing discs, see the file (synthetic).",
    files=[SimpleUploadedFile("line.pdf", pdf, content_type="application/pdf")])
out = {"receipt": receipt, "pdf": pdf.decode()}
"""
TIPSTER = """
import json as _json
from django.test import Client
from ipex.tips.crypto import Context, unseal_text
from ipex.tips.queries import tip_by_receipt
from ipex.tips.services.submission import attachment_bytes
client = Client(HTTP_HOST="localhost")
out = {}
for receipt in RECEIPTS:
    answer = client.post("/api/v1/public/tips/status", _json.dumps({"receipt": receipt}),
                         content_type="application/json")
    out[receipt] = {"http": answer.status_code, "body": answer.json()}
tip = tip_by_receipt(RECEIPTS[-1])
context = Context.TIP_DESCRIPTION.of(tip.uuid)
out["description"] = unseal_text(tip.description_sealed, context=context)
out["file"] = attachment_bytes(tip.attachments.get(), "original").decode()
"""
ENVELOPE = """
from ipex.directory.models import Node
from ipex.federation.outbox import envelope
from ipex.federation.types import type_for
from ipex.seizures.models import Seizure
seizure = Seizure.objects.order_by("pk").first()
out = {"envelope": envelope(seizure, type_for(seizure), tombstone=False),
       "node": str(Node.local().uuid)}
"""


class Node:
    """One IPEX node: a data directory and a database, driven through ``ipex``."""

    def __init__(self, root: Path, name: str):
        self.data = root / name
        self.data.mkdir(parents=True)
        self.database = f"{PREFIX}_{name}" if POSTGRES else ""
        if POSTGRES:
            _admin(f'CREATE DATABASE "{self.database}"')

    def env(self, **extra) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("IPEX_", "DATABASE_URL"))}
        env.update(
            {
                "IPEX_DEBUG": "true",
                "IPEX_DATA_DIR": str(self.data),
                "DJANGO_SETTINGS_MODULE": "ipex.settings",
                "LANGUAGE": "en",
                **extra,
            }
        )
        if POSTGRES:
            env["DATABASE_URL"] = f"{SERVER}/{self.database}"
        return env

    def ipex(self, *args, check=True, **extra) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "ipex", *map(str, args)],
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"ipex {' '.join(map(str, args))}: {done.stdout}{done.stderr}")
        return done

    def run(self, script: str, **names) -> dict:
        """Run ``script`` in this node's process; returns what it put in ``out``."""
        given = "".join(f"{k} = {v!r}\n" for k, v in names.items())
        program = "import django, json\ndjango.setup()\n" + given + script
        program += "\nprint(json.dumps(out, default=str))\n"
        done = subprocess.run(
            [sys.executable, "-c", program],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def files(self) -> dict[str, int]:
        """Every file of the data directory but the SQLite database: name → size."""
        return {
            str(p.relative_to(self.data)): p.stat().st_size
            for p in sorted(self.data.rglob("*"))
            if p.is_file() and not p.name.startswith("ipex.sqlite3") and "static" not in p.parts
        }

    def state(self) -> tuple:
        """What a refused restore must leave as it found it."""
        return self.files(), self.run(COUNTS)

    def drop(self) -> None:
        if POSTGRES:
            _admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def _sql(node: Node, sql: str) -> None:
    """Change a node's database behind IPEX's back."""
    if POSTGRES:
        with psycopg.connect(f"{SERVER}/{node.database}", autocommit=True) as conn:
            conn.execute(sql)
    else:
        with sqlite3.connect(node.data / "ipex.sqlite3") as conn:
            conn.execute(sql)


def _admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup")
    made: list[Node] = []

    def make(name: str) -> Node:
        node = Node(root, name)
        made.append(node)
        return node

    yield root, make
    for node in made:
        node.drop()


@pytest.fixture(scope="module")
def demo(nodes):
    """A demo node, what it was before its backup, the backup, and the node it was restored
    onto (migrated, empty)."""
    root, make = nodes
    source = make("source")
    source.ipex("migrate", "-v0")
    source.ipex("node", "init", "--name", "Demo CN")
    output = source.ipex("demo").stdout
    receipts = re.findall(r"^\s+(\d{16})\s+\w+$", output, flags=re.M)
    assert len(receipts) == 5, output
    extra = source.run(TIP_WITH_FILE)
    receipts.append(extra["receipt"])
    # One process for what the node holds, what its tipsters see, and who it is.
    before = source.run(
        COUNTS + "counts = out\n" + TIPSTER + "from ipex.directory.models import Node\n"
        "out = {'counts': counts, 'tipster': out, 'node': str(Node.local().uuid)}",
        RECEIPTS=receipts,
    )
    before["public_key"] = source.ipex("node", "show", "--key").stdout.strip()
    backup = root / "backup"
    made = source.ipex("backup", backup)
    target = make("target")
    target.ipex("migrate", "-v0")
    restored = target.ipex("restore", backup)
    return {
        "source": source,
        "target": target,
        "backup": backup,
        "before": before,
        "extra": extra,
        "receipts": receipts,
        "made": made.stdout,
        "restored": restored.stdout,
    }


def test_backup_tells_the_operator_to_keep_the_keys_apart(demo):
    backup = demo["backup"]
    assert "KEEP THE KEYS APART" in demo["made"]
    assert str(backup / "keys") in demo["made"]
    for name in ("node-key.pem", "tip-keys"):
        assert (backup / "keys" / name).stat().st_mode & 0o777 == 0o600
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == ("postgresql" if POSTGRES else "sqlite")
    assert manifest["node"]["public_key"] == demo["before"]["public_key"]
    assert manifest["counts"]["cases.Case"] == demo["before"]["counts"]["cases.Case"]
    assert manifest["audit_head"]["seq"] == demo["before"]["counts"]["core.AuditEntry"]
    assert set(manifest["files"]) >= {"data.tar", "keys/node-key.pem", "keys/tip-keys"}
    assert manifest["migrations"]["core"].startswith("0")


def test_restored_node_verifies_its_audit_log(demo):
    done = demo["target"].ipex("audit", "verify")
    entries = demo["before"]["counts"]["core.AuditEntry"]
    assert f"OK: the audit log is intact ({entries} entries)" in done.stdout
    assert f"({entries} entries)" in demo["restored"]


def test_restored_node_holds_the_same_records(demo):
    before = demo["before"]["counts"]
    assert before["cases.Case"] == 241 and before["tips.Tip"] == 6
    assert demo["target"].run(COUNTS) == before
    assert re.search(r"cases\.Case\s+241$", demo["restored"], flags=re.M)


def test_demo_tips_open_with_their_receipts_on_the_restored_node(demo):
    before = demo["before"]["tipster"]
    after = demo["target"].run(TIPSTER, RECEIPTS=demo["receipts"])
    for receipt in demo["receipts"]:
        assert after[receipt]["http"] == 200
        assert after[receipt]["body"] == before[receipt]["body"]
    assert any(before[r]["body"]["messages"] for r in demo["receipts"])  # messages unsealed
    # The tip with a file: its sealed description and file (in the data directory) open.
    assert after["description"] == "Night shift pressing discs, see the file (synthetic)."
    assert after["file"] == demo["extra"]["pdf"]


def test_partner_verifies_the_restored_nodes_signature_with_the_key_it_holds(demo):
    signed = demo["target"].run(ENVELOPE)
    assert signed["node"] == demo["before"]["node"]
    public = demo["before"]["public_key"]  # what a partner was given for the original node
    envelope = signed["envelope"]
    types = frozenset({envelope["type"]})
    partner_holds = {canonical.key_id(public): public}
    assert checking.check_envelope(partner_holds, signed["node"], envelope, types) == ""
    envelope["version"] += 1  # the same envelope, changed on the way
    assert checking.check_envelope(partner_holds, signed["node"], envelope, types) != ""


def test_restore_with_the_keys_kept_apart_onto_a_bare_node(demo, nodes):
    """The keys came back from elsewhere (--keys), onto a node whose database has no tables."""
    root, make = nodes
    apart = root / "safe"
    (demo["backup"] / "keys").rename(apart)
    try:
        bare = make("bare")
        done = bare.ipex("restore", demo["backup"], "--keys", apart)
        assert "OK: the audit log is intact" in done.stdout
        assert bare.ipex("node", "show", "--key").stdout.strip() == demo["before"]["public_key"]
        assert bare.run(COUNTS) == demo["before"]["counts"]
    finally:
        apart.rename(demo["backup"] / "keys")


@pytest.fixture(scope="module")
def empty(nodes):
    _root, make = nodes
    node = make("empty")
    node.ipex("migrate", "-v0")
    return node


def _copy(backup: Path, to: Path) -> Path:
    subprocess.run(["cp", "-a", str(backup), str(to)], check=True)
    return to


def test_restore_onto_a_node_with_records_is_refused(demo):
    source = demo["source"]
    before = source.state()
    done = source.ipex("restore", demo["backup"], check=False)
    assert done.returncode == 1
    assert "already holds records" in done.stderr
    assert source.state() == before


def test_restore_of_a_changed_backup_is_refused_and_writes_nothing(demo, empty, nodes):
    root, _make = nodes
    changed = _copy(demo["backup"], root / "changed")
    with (changed / "data.tar").open("r+b") as tar:
        tar.seek(600)
        tar.write(b"X")
    before = empty.state()
    done = empty.ipex("restore", changed, check=False)
    assert done.returncode == 1
    assert "data.tar does not match its checksum" in done.stderr
    assert empty.state() == before


def test_restore_without_the_keys_is_refused_and_writes_nothing(demo, empty, nodes):
    root, _make = nodes
    keyless = _copy(demo["backup"], root / "keyless")
    (keyless / "keys" / "tip-keys").unlink()
    before = empty.state()
    done = empty.ipex("restore", keyless, check=False)
    assert done.returncode == 1
    assert "tip-keys is missing" in done.stderr
    assert empty.state() == before
    # In the operator's language.
    russian = empty.ipex("restore", keyless, check=False, LANGUAGE="ru_RU.UTF-8")
    assert russian.returncode == 1
    assert "отсутствует" in russian.stderr
    chinese = empty.ipex("restore", keyless, "--lang", "zh-hans", check=False)
    assert "缺失" in chinese.stderr
    assert empty.state() == before


def test_restore_with_another_nodes_keys_is_refused(demo, empty, nodes):
    """Keys of another node, the manifest's checksums made to match them: its signature by
    the node key does not."""
    root, _make = nodes
    swapped = _copy(demo["backup"], root / "swapped")
    other_key = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (swapped / "keys" / "node-key.pem").write_bytes(other_key)
    (swapped / "keys" / "tip-keys").write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    manifest = json.loads((swapped / "manifest.json").read_text())
    for name in ("node-key.pem", "tip-keys"):
        data = (swapped / "keys" / name).read_bytes()
        manifest["files"][f"keys/{name}"] = hashlib.sha256(data).hexdigest()
    (swapped / "manifest.json").write_text(json.dumps(manifest))
    before = empty.state()
    done = empty.ipex("restore", swapped, check=False)
    assert done.returncode == 1
    assert "not signed by the node key" in done.stderr
    assert empty.state() == before


def test_backup_into_a_folder_that_is_not_empty_is_refused(demo, nodes):
    root, _make = nodes
    full = root / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    done = demo["source"].ipex("backup", full, check=False)
    assert done.returncode == 1
    assert "is not an empty folder" in done.stderr
    assert [p.name for p in full.iterdir()] == ["notes.txt"]


def test_restore_of_a_node_whose_audit_log_was_altered_is_undone(demo, empty, nodes):
    """The backup is sound but the chain in it is not: the restore is taken away again after
    the restored node failed its check — database, files and keys."""
    root, _make = nodes
    _sql(demo["source"], "UPDATE core_auditentry SET actor_label = 'someone else' WHERE seq = 100")
    demo["source"].ipex("backup", root / "altered")
    before = empty.state()
    done = empty.ipex("restore", root / "altered", check=False)
    assert done.returncode == 1
    assert "The restored audit log does not verify (entry 100" in done.stderr
    assert empty.state() == before
    assert not (empty.data / "node-key.pem").exists()
