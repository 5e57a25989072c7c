"""What a request may keep for the next ones: values read from committed data, held in this
process's memory and filed under the audit head.

Every change to a record, to the directory (organisations, memberships, roles, sharing
groups, tokens) or to who may see what is audited in the transaction that makes it, so the
audit head's sequence and hash move with it (``core.audit.audit_log``). A value kept under
one head is never read under another: after any change, the next request reads the head,
finds nothing under the new one, and computes afresh. Hashes, unlike sequence numbers, are
not reused by a write that rolled back, nor after a database is emptied.

Nothing is kept:
- outside a request (commands, task workers, the shell): each call computes;
- inside a transaction (services, tests wrapped in one): what it reads may not be committed;
- before the first audited change (no head yet).
A kept value also expires after ``IPEX_KEEP_SECONDS`` (60 s), for what depends on the clock
(a token's expiry is checked on each use; "overdue" marks on a kept page may lag by that much).
"""

from __future__ import annotations

import contextvars
import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.http import HttpResponse, HttpResponseBase

_UNREAD = object()
_MISSING = object()
_head: contextvars.ContextVar = contextvars.ContextVar("ipex_audit_head", default=None)


class _RequestHead:
    """The head as this request first read it (read at most once, and only if needed)."""

    __slots__ = ("value",)

    def __init__(self):
        self.value = _UNREAD


def _request_head() -> _RequestHead | None:
    """This request's head, where values may be kept now."""
    state = _head.get()
    if state is None or connection.in_atomic_block or settings.IPEX_KEEP_SECONDS <= 0:
        return None
    return state


def _head_table() -> str:
    # By name: core.models builds on core.visibility, which keeps through this module.
    return connection.ops.quote_name(apps.get_model("core", "AuditHead")._meta.db_table)


def _head_value(seq, digest) -> str | None:
    # The database's name too: tests run two nodes' databases in one process.
    return f"{connection.settings_dict['NAME']}-{seq}-{digest}" if digest else None


def head() -> str | None:
    """The audit head this request keeps values under; None where nothing may be kept."""
    state = _request_head()
    if state is None:
        return None
    if state.value is _UNREAD:
        # One plain query, every request that keeps anything pays it: no queryset built.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT seq, hash FROM {_head_table()} WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
        state.value = _head_value(*row) if row else None
    return state.value


def read_with_head(sql: str, params) -> tuple | None:
    """The first row of ``sql`` (a plain SELECT of this node's database), and, in the same
    statement and so in the same snapshot, the audit head when this request has not read it
    yet: a request that must make this query anyway (its session) pays no second round trip
    for the head. The first column ``sql`` selects must never be NULL: it tells a row found
    from none."""
    state = _request_head()
    if state is None or state.value is not _UNREAD:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT h.seq, h.hash, q.* FROM {_head_table()} h "  # noqa: S608
            f"LEFT JOIN ({sql}) q ON 1 = 1 WHERE h.id = 1",
            params,
        )
        row = cursor.fetchone()
    if row is None:  # no audit entry yet: nothing is kept, and the query runs on its own
        state.value = None
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    state.value = _head_value(row[0], row[1])
    rest = row[2:]
    return None if rest[0] is None else rest


def _name(kind: str, current: str, key) -> str:
    # Hashed: the head names the database, and keys hold paths and queries of any length.
    return f"ipex:{kind}:" + hashlib.sha256(f"{current}|{key!r}".encode()).hexdigest()


def kept(kind: str, key, compute):
    """``compute()``, or what it gave under this head before. ``kind`` names what is kept
    (e.g. ``"visibility"``), ``key`` what it depends on besides the head (e.g. a user id)."""
    current = head()
    if current is None:
        return compute()
    name = _name(kind, current, key)
    store = caches["kept"]
    value = store.get(name, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(name, value, settings.IPEX_KEEP_SECONDS)
    return value


def validator(key) -> str | None:
    """A strong entity tag (``ETag``, unquoted) for what is read under this head for ``key``:
    it changes whenever the head does, so a reader's copy with the same tag is still the
    answer (a 304 needs no rendering); None where nothing may be kept."""
    current = head()
    return None if current is None else _name("etag", current, key)[-32:]


def forget(kind: str, key) -> None:
    """Drop what :func:`kept` holds for ``kind`` and ``key`` under this head (after a write
    that is not audited but changes it, such as a token's last use)."""
    current = head()
    if current is not None:
        caches["kept"].delete(_name(kind, current, key))


# An answer is kept with the headers its view set (not a cookie); larger answers (a whole
# export) are not kept.
KEPT_ANSWER_BYTES = 256 * 1024


def kept_answer(kind: str, key, respond, *, keep=None, serve=None) -> HttpResponseBase:
    """The answer ``respond()`` gives to a read (a list, a record, a page), or the same bytes
    kept under this head before: only a whole 200 answer is kept, once rendered. The caller's
    ``key`` holds everything the answer depends on besides the records (the reader, the
    language, the path and query, the format). ``keep(content)`` and ``serve(content)``, when
    given, turn the bytes before they are kept and before a kept copy is served (a page's
    CSRF token: see ``core.views.kept_page``)."""
    current = head()
    if current is None:
        return respond()
    name = _name(kind, current, key)
    store = caches["kept"]
    found = store.get(name)
    if found is not None:
        status, headers, content = found
        response = HttpResponse(serve(content) if serve else content, status=status)
        for header, value in headers:
            response[header] = value
        return response
    response = respond()
    if response.status_code != 200 or response.streaming:
        return response

    def store_rendered(rendered):
        if len(rendered.content) <= KEPT_ANSWER_BYTES:
            headers = [(h, v) for h, v in rendered.items() if h.lower() != "set-cookie"]
            content = keep(rendered.content) if keep else rendered.content
            store.set(name, (rendered.status_code, headers, content), settings.IPEX_KEEP_SECONDS)

    if getattr(response, "is_rendered", True):
        store_rendered(response)
    else:
        response.add_post_render_callback(store_rendered)
    return response


class KeptCache(LocMemCache):
    """The store of kept values (``CACHES["kept"]``): Django's in-process cache, without the
    check that a key suits memcached — a kept value's key is always a short hex digest
    (:func:`_name`), and the check costs more than the look-up."""

    def validate_key(self, key):
        pass


class FreshnessMiddleware:
    """Opens the request's scope for :func:`kept` (the head is read the first time a kept value
    is asked for), and closes it after the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _head.set(_RequestHead())
        try:
            return self.get_response(request)
        finally:
            _head.reset(token)
