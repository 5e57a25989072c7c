"""Test settings: the production settings plus a test-only shared-record app (``memos``)."""

import base64
import os
import tempfile

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
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
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
    "kept": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ipex-kept"},
}
# Receipts hashed at a low argon2id cost in tests, as passwords are (MD5 hasher).
IPEX_RECEIPT_ARGON2 = (1, 8)

# A second node's database, for the multi-node tests of tests/federation (one process, one
# database per node; see tests/federation/conftest.py).
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
}
