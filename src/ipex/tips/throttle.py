"""Rate limits that store no address.

A client is counted under an HMAC of its address with a random secret that lives only in the
cache (``throttle`` alias, in memory by default) and is replaced every hour; neither the
address nor the secret is written to the database or the logs, and the counters expire with
their window.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.core.cache import caches

SECRET_TTL = 3600


def _cache():
    return caches["throttle"]


def _key(request, scope: str) -> str:
    cache = _cache()
    secret = cache.get("secret")
    if secret is None:
        cache.add("secret", secrets.token_hex(32), SECRET_TTL)
        secret = cache.get("secret")
    address = request.META.get("REMOTE_ADDR", "")
    digest = hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{scope}:{digest}"


def exceeded(request, scope: str, limit: int) -> bool:
    return (_cache().get(_key(request, scope)) or 0) >= limit


def count(request, scope: str, window: int) -> int:
    cache = _cache()
    key = _key(request, scope)
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1
