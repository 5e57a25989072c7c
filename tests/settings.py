"""Test settings: the production settings plus a test-only shared-record app (``memos``)."""

import base64
import os
import tempfile
from pathlib import Path

os.environ.setdefault("IPEX_DEBUG", "false")
os.environ.setdefault("IPEX_SECRET_KEY", "test-secret-key-that-is-long-enough-for-the-checks-0123")
os.environ.setdefault("IPEX_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("IPEX_DATA_DIR", tempfile.mkdtemp(prefix="ipex-test-"))
os.environ.setdefault("IPEX_SSL_REDIRECT", "false")
# A fresh tip-sealing key per test run (tests of the key file override it).
os.environ.setdefault("IPEX_TIP_KEY", base64.b64encode(os.urandom(32)).decode())
os.environ.setdefault("IPEX_SECURE_COOKIES", "false")

from ipex.settings import *  # noqa: E402,F403
from ipex.settings import DATABASES, INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.memos"]
ROOT_URLCONF = "tests.urls"
# Argon2 is the production hasher (see ipex.settings); tests use a fast one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run at once, in the test; the ``database`` backend queues them for real worker
# processes (tests/core/test_workers.py).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No cross-test caching of vocabulary lookups (each test builds its own jurisdictions).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ipex-test-throttle",
    },
    # As in production: values kept under the audit head (ipex.core.freshness). Tests inside a
    # transaction keep nothing; live-server and transactional tests do.
    "kept": {"BACKEND": "ipex.core.freshness.KeptCache", "LOCATION": "ipex-kept"},
}
# Receipts hashed at a low argon2id cost in tests, as passwords are (MD5 hasher).
IPEX_RECEIPT_ARGON2 = (1, 8)

# A second (and third) node's database, for the multi-node tests of tests/federation (one
# process, one database per node; see tests/federation/conftest.py).
DATABASES = {
    **DATABASES,
    "node_b": {
        **DATABASES["default"],
        "NAME": (
            f"{DATABASES['default']['NAME']}_node_b"
            if DATABASES["default"]["ENGINE"].endswith("postgresql")
            else str(DATABASES["default"]["NAME"]).replace(".sqlite3", "-node-b.sqlite3")
        ),
        "TEST": {"NAME": None},
    },
    # a third node, for the tests that need one (tests/federation/test_three_nodes.py)
    "node_c": {
        **DATABASES["default"],
        "NAME": (
            f"{DATABASES['default']['NAME']}_node_c"
            if DATABASES["default"]["ENGINE"].endswith("postgresql")
            else str(DATABASES["default"]["NAME"]).replace(".sqlite3", "-node-c.sqlite3")
        ),
        "TEST": {"NAME": None},
    },
}

# The database that real ``ipex db_worker`` processes share with the test that starts them
# (tests/core/test_workers.py): on SQLite a file (an in-memory database cannot be shared
# between processes), named ipex.sqlite3 so that a worker given IPEX_DATA_DIR=its directory
# opens it with the embedded settings.
_workers_dir = Path(os.environ["IPEX_DATA_DIR"]) / "workers"
_postgres = DATABASES["default"]["ENGINE"].endswith("postgresql")
if not _postgres:
    _workers_dir.mkdir(parents=True, exist_ok=True)
DATABASES["workers"] = {
    **DATABASES["default"],
    "NAME": (
        f"{DATABASES['default']['NAME']}_workers"
        if _postgres
        else str(_workers_dir / "ipex-source.sqlite3")
    ),
    # Created after "default" (the data migrations of seizures and cases write through the
    # default manager, so they need a default database that is there).
    "TEST": {"NAME": None if _postgres else str(_workers_dir / "ipex.sqlite3")},
}
