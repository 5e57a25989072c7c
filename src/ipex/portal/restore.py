"""Restoring a backup written by :mod:`ipex.portal.backup` onto an empty node.

Onto an empty node only: no record in its database (rows a bare ``ipex migrate`` writes
aside), no key file, no data file. Nothing is written before every check has passed (the
manifest, the checksums, the node key's signature over the manifest, the database vendor, the
migrations known to this IPEX, the target's emptiness); the database is replaced in one step
(SQLite: a file renamed into place; PostgreSQL: one ``psql`` transaction); if the restored
node then fails its own checks (audit chain, counts, key), what was written is taken away.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from ipex.core import registry
from ipex.core.audit import audit_verify
from ipex.directory.services import public_key_b64
from ipex.federation import canonical
from ipex.portal.backup import (
    DATA_TAR,
    DUMPS,
    FORMAT,
    KEYS,
    MANIFEST,
    NODE_KEY,
    SIGNATURE,
    STAGING_PREFIX,
    TIP_KEYS,
    BackupError,
    audit_head,
    data_files,
    excluded,
    ipex_tables,
    key_files,
    local_node,
    pg_env,
    sha256_file,
    sqlite_path,
    table_counts,
    tool,
)
from ipex.tips import crypto


@dataclass
class RestoreResult:
    manifest: dict
    counts: dict[str, int]
    audit_entries: int
    pending_migrations: list[str] = field(default_factory=list)


def _read_manifest(folder: Path) -> tuple[dict, bytes]:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(dir)s holds no manifest.json: it is not an IPEX backup.") % {"dir": folder}
        )
    text = path.read_bytes()
    try:
        manifest = json.loads(text)
        manifest["files"], manifest["database"]["vendor"], manifest["counts"]  # noqa: B018
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(
            _("The manifest of %(dir)s cannot be read: %(error)s") % {"dir": folder, "error": exc}
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("The backup is in format %(format)s, which this IPEX does not read.")
            % {"format": manifest.get("format")}
        )
    return manifest, text


def _file_path(folder: Path, keys: Path, name: str) -> Path:
    return keys / name.split("/", 1)[1] if name.startswith(f"{KEYS}/") else folder / name


def _check_files(folder: Path, keys: Path, manifest: dict, text: bytes) -> None:
    for name in (NODE_KEY, TIP_KEYS):
        if not _file_path(folder, keys, name).is_file():
            raise BackupError(
                _(
                    "The keys file %(path)s is missing. The keys are kept apart from the "
                    "backup: put them back in %(keys)s (or name their folder with --keys)."
                )
                % {"path": _file_path(folder, keys, name), "keys": keys}
            )
    vendor = manifest["database"]["vendor"]
    wanted = {DUMPS.get(vendor, ""), DATA_TAR, NODE_KEY, TIP_KEYS}
    unlisted = sorted(wanted - set(manifest["files"]))
    if unlisted:
        path = _file_path(folder, keys, unlisted[0])
        raise BackupError(_("The backup file %(path)s is missing.") % {"path": path})
    for name, expected in sorted(manifest["files"].items()):
        path = _file_path(folder, keys, name)
        if not path.is_file():
            raise BackupError(_("The backup file %(path)s is missing.") % {"path": path})
        if sha256_file(path) != expected:
            raise BackupError(
                _(
                    "%(path)s does not match its checksum in the manifest: the backup was "
                    "changed or damaged."
                )
                % {"path": path}
            )
    # The checksums are the manifest's word; the node key's signature makes it the node's.
    try:
        key = serialization.load_pem_private_key(
            _file_path(folder, keys, NODE_KEY).read_bytes(), password=None
        )
    except ValueError:
        key = None
    public = public_key_b64(key) if isinstance(key, Ed25519PrivateKey) else ""
    signature = (
        (folder / SIGNATURE).read_text(encoding="ascii").strip()
        if (folder / SIGNATURE).is_file()
        else ""
    )
    node = manifest.get("node") or {}
    if (
        not public
        or public != node.get("public_key")
        or not canonical.verify(public, text, signature)
    ):
        raise BackupError(
            _(
                "The manifest is not signed by the node key in the keys file: the backup was "
                "changed, or the keys belong to another node."
            )
        )


def _check_versions(manifest: dict) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _(
                "The backup holds a %(backup)s database and this node uses %(here)s: restore it "
                "onto a node with the same database (set DATABASE_URL), then move it if needed."
            )
            % {"backup": vendor, "here": connection.vendor}
        )
    if vendor == "postgresql":
        for name in ("pg_dump", "pg_restore", "psql"):
            tool(name)  # all three before anything is written
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}"
        for app, name in manifest.get("migrations", {}).items()
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            _(
                "The backup was made by a newer IPEX (%(version)s; migrations unknown here: "
                "%(names)s). Install that version or newer, then restore."
            )
            % {"version": manifest.get("ipex_version"), "names": ", ".join(unknown)}
        )


def _check_empty() -> None:
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        tables = {
            model._meta.label: model._meta.db_table
            for model in apps.get_models()
            if model._meta.managed and model._meta.label not in registry.seeded_models
        }
        existing = {label: table for label, table in tables.items() if table in present}
        held = [label for label, count in table_counts(cursor, existing).items() if count]
    if held:
        raise BackupError(
            _(
                "This node's database already holds records (%(tables)s). A backup is restored "
                "onto an empty node only: point DATABASE_URL (or IPEX_DATA_DIR) at a new one."
            )
            % {"tables": ", ".join(held[:8]) + (" …" if len(held) > 8 else "")}
        )
    node_key, tip_key_file = key_files()
    for path in (node_key, *(() if settings.IPEX_TIP_KEY else (tip_key_file,))):
        if path.exists():
            raise BackupError(
                _(
                    "%(path)s already exists: this node has keys of its own. Restore onto a "
                    "node without keys (remove the file only if it belongs to no node)."
                )
                % {"path": path}
            )
    files = [p for p in data_files(excluded()) if p.is_file()]
    if files:
        raise BackupError(
            _("The data directory already holds files (%(path)s …): restore onto an empty node.")
            % {"path": files[0]}
        )


def _check_tip_key_setting(keys: Path) -> list[bytes]:
    ring = crypto.parse_keys((keys / "tip-keys").read_text(encoding="ascii"))
    if settings.IPEX_TIP_KEY:
        configured = {crypto.key_id(k) for k in crypto.parse_keys(settings.IPEX_TIP_KEY)}
        if not {crypto.key_id(k) for k in ring} <= configured:
            raise BackupError(
                _(
                    "This node takes its tip keys from IPEX_TIP_KEY, which lacks keys of the "
                    "backup: set it to the keys in %(path)s (or unset it), then restore."
                )
                % {"path": keys / "tip-keys"}
            )
    return ring


def node_restore(folder: Path, *, keys: Path | None = None) -> RestoreResult:
    """Restore the backup in ``folder`` (keys from ``keys``, default ``folder/keys``) onto
    this node, which must be empty. Raises BackupError, having written nothing, if it cannot."""
    folder = Path(folder)
    keys = Path(keys) if keys else folder / KEYS
    if not folder.is_dir():
        raise BackupError(_("%(dir)s is not a folder.") % {"dir": folder})
    manifest, text = _read_manifest(folder)
    _check_files(folder, keys, manifest, text)
    try:
        _check_tip_key_setting(keys)
    except ImproperlyConfigured as exc:
        raise BackupError(str(exc)) from exc
    _check_versions(manifest)
    _check_empty()

    data = Path(settings.DATA_DIR).resolve()
    data.mkdir(parents=True, exist_ok=True)
    staging = data / f"{STAGING_PREFIX}{secrets.token_hex(4)}"
    staging.mkdir(mode=0o700)
    written: list[Path] = []
    undo_database = None
    try:
        with tarfile.open(folder / DATA_TAR) as tar:
            tar.extractall(staging / "data", filter="data")
        if connection.vendor == "sqlite":
            undo_database = _restore_sqlite(folder / DUMPS["sqlite"], staging, manifest)
        else:
            undo_database = _restore_postgresql(folder / DUMPS["postgresql"], staging)
        _move_tree(staging / "data", data, written)
        node_key, tip_key_file = key_files()
        written.append(_place(_file_path(folder, keys, NODE_KEY), node_key))
        if not settings.IPEX_TIP_KEY:
            written.append(_place(_file_path(folder, keys, TIP_KEYS), tip_key_file))
        result = _verify_restored(manifest)
    except BaseException:
        connections.close_all()
        for path in reversed(written):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink(missing_ok=True)
        if undo_database is not None:
            undo_database()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _as_counted(counts: dict[str, int], manifest: dict) -> bool:
    """The tables both this IPEX and the backup know hold as many rows as the manifest says
    (a backup older than this IPEX lacks its newest tables until ``ipex migrate``)."""
    return bool(counts) and counts == {label: manifest["counts"][label] for label in counts}


def _restore_sqlite(dump: Path, staging: Path, manifest: dict):
    """Put the backup's database in place of this node's (empty) one; returns the undo."""
    staged = staging / "ipex.sqlite3"
    source = sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(staged)
    try:
        source.backup(target)
        cursor = target.cursor()
        cursor.execute("PRAGMA quick_check")
        check = cursor.fetchone()[0]
        counts = table_counts(cursor, {k: v for k, v in ipex_tables().items()
                                       if k in manifest["counts"]})  # fmt: skip
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            _("The backup's database cannot be read: %(error)s") % {"error": exc}
        ) from exc
    finally:
        target.close()
        source.close()
    if check != "ok" or not _as_counted(counts, manifest):
        raise BackupError(_("The backup's database does not hold what its manifest says."))
    connections.close_all()
    path = sqlite_path()
    aside = staging / "before"
    aside.mkdir()
    moved = []
    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + "-journal"):
        if (path.parent / name).exists():
            os.replace(path.parent / name, aside / name)
            moved.append(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, path)

    def undo():
        for name in (path.name + "-wal", path.name + "-shm", path.name + "-journal"):
            (path.parent / name).unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        for name in moved:
            os.replace(aside / name, path.parent / name)

    return undo


def _pg_drop_everything() -> str:
    """SQL that drops every table, sequence, view and function of this database's schema
    (those of the empty node a restore replaces)."""
    # Names are taken as text first (a table dropped with CASCADE takes its sequences and
    # views with it, hence IF EXISTS); sequences owned by a column go with their table, and
    # what belongs to an extension stays.
    return """DO $$
DECLARE statement text; statements text[];
BEGIN
  SELECT coalesce(array_agg(format('DROP %s IF EXISTS %I CASCADE',
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
             WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
           c.relname) ORDER BY c.relkind = 'S', c.relname), '{}')
    INTO statements
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
     AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'));
  SELECT statements || coalesce(array_agg(
           format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure)), '{}')
    INTO statements
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = current_schema()
     AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e');
  FOREACH statement IN ARRAY statements LOOP EXECUTE statement; END LOOP;
END $$;
"""


def _restore_postgresql(dump: Path, staging: Path):
    """Replace this node's (empty) schema with the dump's, in one transaction; returns the
    undo, which puts back the schema it replaced (itself dumped first)."""
    before = staging / "before.pgdump"
    done = subprocess.run(  # noqa: S603 - our arguments, no shell
        [tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl", f"--file={before}"],
        capture_output=True, text=True, env=pg_env(), check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(_("pg_dump failed: %(error)s") % {"error": done.stderr.strip()[-2000:]})
    preamble = staging / "drop.sql"
    preamble.write_text(_pg_drop_everything(), encoding="utf-8")
    connections.close_all()
    error = _pg_load(preamble, dump)
    if error is not None:
        raise BackupError(
            _("The database could not be restored, nothing was changed: %(error)s")
            % {"error": error[-2000:]}
        )
    # Runs before the staging folder is removed (see node_restore).
    return lambda: _pg_load(preamble, before)


def _pg_load(preamble: Path, dump: Path) -> str | None:
    """Run ``preamble`` then load ``dump``, in one transaction; the error, or None."""
    env = pg_env()
    producer = subprocess.Popen(  # noqa: S603 - our arguments, no shell
        [tool("pg_restore"), "--no-owner", "--no-acl", "--file=-", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    loader = subprocess.run(  # noqa: S603 - our arguments, no shell
        [tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1",
         "-f", str(preamble), "-f", "-"],
        stdin=producer.stdout, capture_output=True, env=env, check=False,
    )  # fmt: skip
    producer.stdout.close()
    producer_error = producer.stderr.read().decode("utf-8", "replace")
    producer.wait()
    if producer.returncode == 0 and loader.returncode == 0:
        return None
    return producer_error.strip() or loader.stderr.decode("utf-8", "replace").strip()


def _move_tree(source: Path, target: Path, written: list[Path]) -> None:
    """Move every file under ``source`` to the same place under ``target`` (the checks made
    sure none is there), adding each file and each folder it makes to ``written``."""
    for root, _dirs, files in os.walk(source):
        here = Path(root)
        there = target / here.relative_to(source)
        if not there.exists():
            there.mkdir(parents=True)
            written.append(there)
        for name in files:
            os.link(here / name, there / name)  # fails rather than overwrite
            written.append(there / name)


def _place(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(source.read_bytes())
        handle.flush()
        os.fsync(handle.fileno())
    return target


def _verify_restored(manifest: dict) -> RestoreResult:
    """The restored node's own checks, through this process's connection to it."""
    connections.close_all()
    result = audit_verify()
    if not result.ok:
        raise BackupError(
            _("The restored audit log does not verify (entry %(seq)s: %(reason)s).")
            % {"seq": result.bad_seq, "reason": result.reason}
        )
    with connection.cursor() as cursor:
        tables = {k: v for k, v in ipex_tables().items() if k in manifest["counts"]}
        counts = table_counts(cursor, tables)
        head = audit_head(cursor)
        node = local_node(cursor)
    if not _as_counted(counts, manifest) or head != manifest["audit_head"]:
        raise BackupError(_("The restored database does not hold what the manifest says."))
    node_key, _tip = key_files()
    key = serialization.load_pem_private_key(node_key.read_bytes(), password=None)
    if node is None or node["public_key"] != public_key_b64(key):
        raise BackupError(_("The restored node key does not match the restored node."))
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
    return RestoreResult(manifest, counts, result.checked, pending)
