"""IPEX settings, read from the environment.

Every variable is listed in the README. Embedded mode (no DATABASE_URL) runs on SQLite in
``IPEX_DATA_DIR``; production sets ``DATABASE_URL`` to PostgreSQL, ``IPEX_SECRET_KEY`` and
``IPEX_ALLOWED_HOSTS``. Secrets may also come from files: ``IPEX_SECRET_KEY_FILE``,
``DATABASE_URL_FILE``.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent

# Marks a secret key that must never be used when debug is off.
INSECURE_KEY_PREFIX = "insecure-"


def env(name: str, default: str | None = None) -> str | None:
    """A variable, or the contents of the file named by ``<name>_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = env(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int) -> int:
    raw = env(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = env_bool("IPEX_DEBUG", False)
DATA_DIR = Path(env("IPEX_DATA_DIR", str(Path.cwd() / "var")) or "var").resolve()

# Commands that only read or write source files (never serve, never sign anything that
# outlives the process) run without a configured key: a throwaway random one is used.
OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "spectacular"}
OFFLINE = (
    len(sys.argv) > 1
    and sys.argv[1] in OFFLINE_COMMANDS
    and Path(sys.argv[0]).name in {"ipex", "__main__.py"}
)

SECRET_KEY = env("IPEX_SECRET_KEY") or ""
if not SECRET_KEY:
    if OFFLINE:
        SECRET_KEY = secrets.token_urlsafe(50)
    elif DEBUG:
        SECRET_KEY = INSECURE_KEY_PREFIX + "embedded-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "IPEX_SECRET_KEY (or IPEX_SECRET_KEY_FILE) must be set when IPEX_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
elif not DEBUG and (SECRET_KEY.startswith(INSECURE_KEY_PREFIX) or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "IPEX_SECRET_KEY is a development key or shorter than 32 characters; "
        "set a long random key when IPEX_DEBUG is off."
    )

ALLOWED_HOSTS = env_list("IPEX_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS and not OFFLINE:
    raise ImproperlyConfigured("IPEX_ALLOWED_HOSTS must list the host names this node answers to.")
CSRF_TRUSTED_ORIGINS = env_list("IPEX_CSRF_TRUSTED_ORIGINS")

IPEX_NODE_NAME = env("IPEX_NODE_NAME", "IPEX node") or "IPEX node"
IPEX_BASE_URL = (env("IPEX_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
IPEX_NODE_KEY_FILE = Path(env("IPEX_NODE_KEY_FILE", str(DATA_DIR / "node-key.pem")) or "")
IPEX_TOKEN_PREFIX = "ipex"
IPEX_PAGE_SIZE = env_int("IPEX_PAGE_SIZE", 50)
IPEX_IMPORT_MAX_BYTES = env_int("IPEX_IMPORT_MAX_BYTES", 512 * 1024 * 1024)
IPEX_IMPORT_SYNC_BYTES = env_int("IPEX_IMPORT_SYNC_BYTES", 2 * 1024 * 1024)
# Tip-offs: sealing keys (see ipex.tips.crypto), receipt hashing cost (argon2id time cost,
# memory in KiB; stored with the salt when the first tip arrives), attachment limits.
IPEX_TIP_KEY = env("IPEX_TIP_KEY", "") or ""
IPEX_RECEIPT_ARGON2 = (3, 65536)
IPEX_TIP_MAX_FILES = env_int("IPEX_TIP_MAX_FILES", 5)
IPEX_TIP_MAX_FILE_BYTES = env_int("IPEX_TIP_MAX_FILE_BYTES", 10 * 1024 * 1024)
IPEX_TIP_ACK_DAYS = 7
# Exchange between nodes: how far a signature's creation time may be from this node's clock
# (seconds; nonces are remembered at least this long), and the timeout of calls to partners.
IPEX_FEDERATION_WINDOW = env_int("IPEX_FEDERATION_WINDOW", 86_400)
IPEX_FEDERATION_TIMEOUT = env_int("IPEX_FEDERATION_TIMEOUT", 30)
# A joint operation's result summary from a partner node not heard from for this long is
# shown as stale (ipex.cooperation.results).
IPEX_JOINT_STALE_MINUTES = env_int("IPEX_JOINT_STALE_MINUTES", 60)
# Operations (see ipex.core.health): each task worker writes a heartbeat every
# IPEX_WORKER_HEARTBEAT_SECONDS; /readyz wants one newer than IPEX_WORKER_HEARTBEAT_MAX_AGE
# (unless IPEX_READY_NEEDS_WORKER is off). /metrics answers only a bearer of
# IPEX_METRICS_TOKEN; without the token it is off (404) and its middleware is not installed.
IPEX_WORKER_HEARTBEAT_SECONDS = env_int("IPEX_WORKER_HEARTBEAT_SECONDS", 10)
IPEX_WORKER_HEARTBEAT_MAX_AGE = env_int("IPEX_WORKER_HEARTBEAT_MAX_AGE", 60)
if not 0 < IPEX_WORKER_HEARTBEAT_SECONDS < IPEX_WORKER_HEARTBEAT_MAX_AGE:
    raise ImproperlyConfigured(
        "IPEX_WORKER_HEARTBEAT_SECONDS must be at least 1 and smaller than "
        "IPEX_WORKER_HEARTBEAT_MAX_AGE (a live worker would otherwise look dead)."
    )
IPEX_READY_NEEDS_WORKER = env_bool("IPEX_READY_NEEDS_WORKER", True)
IPEX_METRICS_TOKEN = env("IPEX_METRICS_TOKEN", "") or ""
if IPEX_METRICS_TOKEN and len(IPEX_METRICS_TOKEN) < 24:
    raise ImproperlyConfigured(
        "IPEX_METRICS_TOKEN must be at least 24 characters; generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
    )
# Uploads larger than this are written to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["ipex.core.uploads.LimitedUploadHandler"]

INSTALLED_APPS = [
    "ipex.core",
    "ipex.directory",
    "ipex.legislation",
    "ipex.campaigns",
    "ipex.seizures",
    "ipex.cases",
    "ipex.compliance",
    "ipex.tips",
    "ipex.assistance",
    "ipex.border",
    "ipex.cooperation",
    "ipex.federation",
    "ipex.portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics are answered here, before host checks, HTTPS redirects,
    # sessions and CSRF: probes and scrapers reach gunicorn by address, over plain HTTP.
    "ipex.core.middleware.OperationsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ipex.core.freshness.FreshnessMiddleware",
    "csp.middleware.CSPMiddleware",
    "ipex.core.middleware.ApiDocsPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ipex.core.middleware.UserLanguageMiddleware",
    "ipex.directory.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

if IPEX_METRICS_TOKEN:
    # Request counts and latencies (django-prometheus's series), only when someone may read
    # them: about 10 us a request (bench/ops_middleware.py).
    MIDDLEWARE = [MIDDLEWARE[0], "ipex.core.metrics.RequestMetricsMiddleware", *MIDDLEWARE[1:]]

ROOT_URLCONF = "ipex.urls"
WSGI_APPLICATION = "ipex.wsgi.application"
AUTH_USER_MODEL = "directory.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipex.directory.context_processors.ipex",
            ],
        },
    },
]

_database_url = env("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # For IPEX's own connections (options given in DATABASE_URL come after, and win): no
        # JIT compilation — IPEX's queries are short, and the JIT, set off by cost estimates
        # gone stale after a bulk load, once took 250 ms to compile a 12 ms query; and random
        # reads priced as on SSD or in memory, not on spinning disks, so that looking up a
        # page's thousand records by their indexes is not taken for dearer than reading whole
        # tables (13 ms a page where the indexes take 5, growing with the table).
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = (
            f"-c jit=off -c random_page_cost=1.1 {_options.get('options', '')}".strip()
        )
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "ipex.sqlite3",
            "OPTIONS": {
                # IMMEDIATE serialises writers, so the audit chain cannot fork.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # A 64 MB page cache per connection (SQLite's default is 2 MB): inserts into
                # the uuid indexes land anywhere in them, and read from disk without it.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
                ),
            },
        }
    }
# "throttle" holds the rate-limit counters of the public tip pages (see ipex.tips.throttle):
# in the memory of each process, never on disk.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ipex-throttle",
    },
    # What requests keep for the next ones, filed under the audit head (ipex.core.freshness):
    # in the memory of each process; a change anywhere on the node makes all of it stale.
    "kept": {
        "BACKEND": "ipex.core.freshness.KeptCache",
        "LOCATION": "ipex-kept",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# How long a kept value may be used at the most, in seconds (0: nothing is kept).
IPEX_KEEP_SECONDS = env_int("IPEX_KEEP_SECONDS", 60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ipex.directory.backends.KeptModelBackend",  # Django's ModelBackend, the user kept
]

# Lock-out: after IPEX_LOGIN_FAILURE_LIMIT failures an account is locked for an hour.
AXES_FAILURE_LIMIT = env_int("IPEX_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "ipex.directory.authentication.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("IPEX_TIME_ZONE", "UTC") or "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if DEBUG or "pytest" in sys.modules:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic_bootstrap.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or "pytest" in sys.modules
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

EMAIL_BACKEND = env("IPEX_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("IPEX_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("IPEX_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("IPEX_EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env("IPEX_EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("IPEX_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("IPEX_DEFAULT_FROM_EMAIL", "ipex@localhost")

TASKS = {
    "default": {
        "BACKEND": env("IPEX_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ipex.directory.authentication.BearerTokenAuthentication",
        "ipex.directory.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "ipex.core.pagination.Pagination",
    "PAGE_SIZE": IPEX_PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "ipex.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "ipex.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IPEX API",
    "DESCRIPTION": "The IP Enforcement eXchange API. Authenticate with "
    "`Authorization: Bearer <token>` (create a token with `ipex token create EMAIL`).",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "DistributionEnum": "ipex.core.models.Distribution",
        "OrgKindEnum": "ipex.directory.models.OrgKind",
        "JobKindEnum": "ipex.core.models.JobKind",
        "CaseKindEnum": "ipex.cases.models.CaseKind",
        "LawKindEnum": "ipex.legislation.models.LawKind",
        "ActionKindEnum": "ipex.cases.models.ActionKind",
        "SubjectKindEnum": "ipex.cases.models.SubjectKind",
        "SubjectRoleEnum": "ipex.cases.models.SubjectRole",
        "RoleEnum": "ipex.directory.models.Role",
        "JobStatusEnum": "ipex.core.models.JobStatus",
        "CaseStatusEnum": "ipex.cases.models.CaseStatus",
        "CaseOutcomeEnum": "ipex.cases.models.CaseOutcome",
        "DetentionOutcomeEnum": "ipex.border.models.Outcome",
        "PenaltyTypeEnum": "ipex.cases.models.PenaltyType",
        "TipKindEnum": "ipex.tips.models.TipKind",
        "TipStatusEnum": "ipex.tips.models.TipStatus",
        "TipOutcomeEnum": "ipex.tips.models.TipOutcome",
        "AssessmentEnum": "ipex.tips.models.Assessment",
        "RewardStatusEnum": "ipex.tips.models.RewardStatus",
        "AlertPriorityEnum": "ipex.assistance.models.AlertPriority",
        "MessageKindEnum": "ipex.assistance.models.MessageKind",
        "RuleKindEnum": "ipex.compliance.models.RuleKind",
        "LicenceMetricEnum": "ipex.compliance.models.LicenceMetric",
        "AnswerKindEnum": "ipex.border.models.AnswerKind",
        "ContactLanguageEnum": "ipex.border.models.ContactLanguage",
        "ContentLanguageEnum": "ipex.portal.models.ContentLanguage",
        "AgreementKindEnum": "ipex.cooperation.models.AgreementKind",
        "MeetingKindEnum": "ipex.cooperation.models.MeetingKind",
        "LinkKindEnum": "ipex.cooperation.models.LinkKind",
    },
}

SESSION_ENGINE = "ipex.core.sessions"  # Django's database sessions, read with the audit head
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "ipex.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts and styles come from this node's static files only: no inline <script>, <style>,
# style= or on…= in the templates, no CDN. Bootstrap's CSS draws its icons as data: images.
# The two API docs pages (Swagger UI, Redoc) need inline code: ApiDocsPolicyMiddleware
# widens the policy for those two views alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    },
}
# Powerful browser features no page of IPEX uses, switched off for every page.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("IPEX_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("IPEX_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("IPEX_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("IPEX_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    # Lock-out is per account on purpose (DESIGN: "a locked account"): officers share NAT
    # addresses, and an attacker rotating addresses must not get more guesses at one account.
    "axes.W006",
]
if not env_bool("IPEX_HSTS_PRELOAD", False):
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("IPEX_LOG_LEVEL", "INFO")},
    "loggers": {
        # The request log would record client addresses; tip-offs must leave none behind.
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        # One line per call to a partner node is noise; failures are logged by IPEX.
        "httpx": {"level": "WARNING"},
    },
}
