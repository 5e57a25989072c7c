"""Backing a whole node up into a folder, and restoring it onto an empty node.

A backup folder holds:

- ``manifest.json``: the IPEX version, the time, the node, the database vendor, the latest
  migration of each app, the number of rows of every IPEX table, the audit chain's head and
  the SHA-256 of every other file; ``manifest.sig``: the node key's signature over it;
- ``database.sqlite3`` (SQLite's online backup API: consistent while the node runs) or
  ``database.pgdump`` (``pg_dump`` custom format, taken in the same snapshot as the counts);
- ``data.tar``: the data directory (evidence, tip attachments, media …) without the database,
  the keys, the collected static files and uploads waiting for an import;
- ``keys/node-key.pem`` and ``keys/tip-keys``: the node's Ed25519 key and the tip sealing keys,
  which the operator keeps apart from the rest (a stolen backup without them opens no tip).

A restore goes onto an empty node only (no record in its database, no key, no data file) and
writes nothing until every check has passed; if the restored node then fails its own checks
(audit chain, counts, key), what was written is taken away again.

Native dumps, not Django serialisation: they keep every value bit for bit (the audit chain's
hashed fields, sealed tip values, sequences) and ``pg_dump`` is consistent while the node runs;
the price is that a backup restores onto the same database vendor only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import ipex
from ipex.core.audit import as_actor, audit_log
from ipex.core.models import AuditHead
from ipex.directory.models import Node
from ipex.federation import canonical
from ipex.tips import crypto

FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DATA_TAR = "data.tar"
KEYS = "keys"
NODE_KEY = f"{KEYS}/node-key.pem"
TIP_KEYS = f"{KEYS}/tip-keys"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Rows a bare ``ipex migrate`` writes: a node holding only these is empty.
SEEDED = {
    "contenttypes.ContentType",
    "auth.Permission",
    "seizures.Category",
    "cases.LegalProvision",
    # the provisions' articles (cases 0012 files every provision under one)
    "legislation.Law",
    "legislation.Article",
    "legislation.ArticleVersion",
    "legislation.SearchDocument",
    "compliance.Product",
    "compliance.NormalisationRule",
    "border.DeadlineRule",
}
STAGING_PREFIX = ".restore-"


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for the operator."""


# ---------------------------------------------------------------- shared


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ipex_tables() -> dict[str, str]:
    """{model label: table} of every table of IPEX's own apps."""
    return {
        model._meta.label: model._meta.db_table
        for model in apps.get_models()
        if model.__module__.startswith("ipex.") and model._meta.managed
    }


def table_counts(cursor, tables: dict[str, str]) -> dict[str, int]:
    counts = {}
    for label, table in sorted(tables.items()):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the models
        counts[label] = cursor.fetchone()[0]
    return counts


def audit_head(cursor) -> dict:
    cursor.execute(f'SELECT seq, hash FROM "{AuditHead._meta.db_table}" WHERE id = 1')  # noqa: S608
    row = cursor.fetchone()
    return {"seq": row[0], "hash": row[1]} if row else {"seq": 0, "hash": ""}


def latest_migrations(cursor) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def local_node(cursor) -> dict | None:
    cursor.execute(
        f'SELECT uuid, name, base_url, public_key FROM "{Node._meta.db_table}" '  # noqa: S608
        "WHERE is_local = %s" % ("1" if connection.vendor == "sqlite" else "true")
    )
    row = cursor.fetchone()
    if row is None:
        return None
    return {
        "uuid": str(uuid.UUID(str(row[0]))),
        "name": row[1],
        "base_url": row[2],
        "public_key": row[3],
    }


# libpq's environment variable for each database setting, then for each of its OPTIONS.
PG_SETTINGS = (
    ("HOST", "PGHOST"),
    ("PORT", "PGPORT"),
    ("USER", "PGUSER"),
    ("PASSWORD", "PGPASSWORD"),
    ("NAME", "PGDATABASE"),
)
PG_OPTIONS = (
    ("sslmode", "PGSSLMODE"),
    ("sslrootcert", "PGSSLROOTCERT"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("passfile", "PGPASSFILE"),
    ("service", "PGSERVICE"),
)


def pg_env() -> dict[str, str]:
    """The environment that points libpq's tools (pg_dump, psql) at this node's database."""
    config = connection.settings_dict
    env = dict(os.environ)
    for settings_part, variables in (
        (config, PG_SETTINGS),
        (config.get("OPTIONS", {}), PG_OPTIONS),
    ):
        for key, var in variables:
            if settings_part.get(key):
                env[var] = str(settings_part[key])
    return env


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s is not on the PATH. Install the PostgreSQL client programs of the "
                "server's major version (Debian and Ubuntu: postgresql-client) and run again."
            )
            % {"tool": name}
        )
    return path


def sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"]).resolve()


def key_files() -> tuple[Path, Path]:
    return Path(settings.IPEX_NODE_KEY_FILE).resolve(), crypto.default_key_file().resolve()


def excluded(folder: Path | None = None) -> set[Path]:
    """What the data tar leaves out: the database, the keys, what can be rebuilt, and the
    backup folder itself if it is inside the data directory."""
    data = Path(settings.DATA_DIR).resolve()
    out = {*key_files(), data / "static", data / "media" / "imports"}
    if connection.vendor == "sqlite":
        db = sqlite_path()
        out |= {db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal"))}
    if folder is not None:
        out.add(folder.resolve())
    return out


def data_files(skip: set[Path]) -> list[Path]:
    """The files (and empty folders) of the data directory the tar holds, in order."""
    data = Path(settings.DATA_DIR).resolve()
    found = []
    if not data.exists():
        return found
    for root, dirs, files in os.walk(data):
        here = Path(root)
        dirs[:] = sorted(
            d for d in dirs if (here / d).resolve() not in skip and not d.startswith(STAGING_PREFIX)
        )
        for name in sorted(files):
            path = here / name
            if path.resolve() in skip or name.endswith((".new", ".resealing")):
                continue
            if path.is_file():
                found.append(path)
        if here != data and not files and not dirs:
            found.append(here)
    return found


# ---------------------------------------------------------------- backup


def node_backup(folder: Path) -> dict:
    """Write a backup of this node into ``folder`` (new or empty); returns the manifest."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(
            _("%(dir)s is not an empty folder: a backup goes into a new or empty folder.")
            % {"dir": folder}
        )
    node_key, tip_key_file = key_files()
    if not node_key.exists():
        raise BackupError(
            _("This node has no key file (%(path)s): run 'ipex node init' first.")
            % {"path": node_key}
        )
    if not settings.IPEX_TIP_KEY and not tip_key_file.exists():
        raise BackupError(
            _("This node has no tip key file (%(path)s): run 'ipex node init' first.")
            % {"path": tip_key_file}
        )
    created = not folder.exists()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        manifest = _write_backup(folder, node_key)
    except BaseException:
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            for entry in folder.iterdir():
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        raise
    audit_log(
        as_actor(None),
        "portal.backup.made",
        None,
        {"folder": str(folder.resolve()), "audit_seq": manifest["audit_head"]["seq"]},
    )
    return manifest


def _write_backup(folder: Path, node_key: Path) -> dict:
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(_("IPEX cannot back up a %(vendor)s database.") % {"vendor": vendor})
    dump = folder / DUMPS[vendor]
    tables = ipex_tables()
    if vendor == "sqlite":
        source = sqlite3.connect(sqlite_path(), timeout=60)
        target = sqlite3.connect(dump)
        try:
            source.backup(target)
            cursor = target.cursor()
            snapshot = (
                table_counts(cursor, tables),
                audit_head(cursor),
                latest_migrations(cursor),
            )
            node = local_node(cursor)
        finally:
            target.close()
            source.close()
    else:
        pg_dump = tool("pg_dump")
        with transaction.atomic(), connection.cursor() as cursor:
            # The dump and the counts see the same moment: one exported snapshot.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            done = subprocess.run(  # noqa: S603 - our arguments, no shell
                [pg_dump, "--format=custom", "--no-owner", "--no-acl",
                 f"--snapshot={snapshot_id}", f"--file={dump}"],
                env=pg_env(), capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise BackupError(
                    _("pg_dump failed: %(error)s") % {"error": done.stderr.strip()[-2000:]}
                )
            snapshot = (
                table_counts(cursor, tables),
                audit_head(cursor),
                latest_migrations(cursor),
            )
            node = local_node(cursor)
    os.chmod(dump, 0o600)
    counts, head, migrations = snapshot

    with tarfile.open(folder / DATA_TAR, "w") as tar:
        data = Path(settings.DATA_DIR).resolve()
        for path in data_files(excluded(folder)):
            tar.add(path, arcname=str(path.relative_to(data)), recursive=False)
    os.chmod(folder / DATA_TAR, 0o600)

    keys = folder / KEYS
    keys.mkdir(mode=0o700)
    write_private(folder / NODE_KEY, node_key.read_bytes())
    ring = "\n".join(base64.b64encode(k).decode("ascii") for k in crypto.keyring()) + "\n"
    write_private(folder / TIP_KEYS, ring.encode("ascii"))

    files = {
        name: sha256_file(folder / name)
        for name in (DUMPS[connection.vendor], DATA_TAR, NODE_KEY, TIP_KEYS)
    }
    manifest = {
        "format": FORMAT,
        "ipex_version": ipex.__version__,
        "created_at": timezone.now().isoformat(),
        "node": node,
        "database": {"vendor": connection.vendor, "file": DUMPS[connection.vendor]},
        "migrations": migrations,
        "counts": counts,
        "audit_head": head,
        "files": files,
    }
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")
    write_private(folder / MANIFEST, text)
    write_private(folder / SIGNATURE, canonical.sign(text).encode("ascii") + b"\n")
    return manifest


def write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def language_from_environment() -> str:
    """The operator's language for a command's messages: the first of LANGUAGE, LC_ALL,
    LC_MESSAGES, LANG that names one IPEX speaks (zh_CN.UTF-8 → zh-hans), else English."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for value in (os.environ.get(var) or "").split(":"):
            code = value.split(".")[0].replace("_", "-").lower()
            if code.startswith("zh"):
                return "zh-hans"
            if code.startswith("ru"):
                return "ru"
            if code.startswith("en"):
                return "en"
    return "en"


class OperatorCommand(BaseCommand):
    """``ipex backup`` and ``ipex restore``: the folder ``DIR`` (``dir_help`` says what it
    must be), messages in the operator's language (``--lang``, else the environment's), a
    refusal (``BackupError``) ends the command with its message."""

    dir_help = ""

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, help=self.dir_help)
        parser.add_argument(
            "--lang",
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the messages (default: from LANGUAGE, LC_ALL or LANG)",
        )

    def handle(self, *args, lang=None, **options):
        with translation.override(lang or language_from_environment()):
            try:
                self.run(**options)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc

    def run(self, **options) -> None:
        raise NotImplementedError
