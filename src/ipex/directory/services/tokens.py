"""API tokens: made, revoked, and checked on each request."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import DomainError, Forbidden, NotFound, Unauthenticated
from ipex.core.freshness import forget, kept
from ipex.directory.models import (
    ApiToken,
    User,
)

# ---------------------------------------------------------------- API tokens


def _hash_secret(secret: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is safe and keeps every request cheap.
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def token_create(
    *, actor, user: User, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it with its plain text, which is shown once."""
    who = as_actor(actor)
    if not who.is_system and who.user.pk != user.pk and not who.user.is_node_admin:
        raise Forbidden(_("You can only create tokens for yourself."))
    if not user.is_active:
        raise DomainError(_("The account is deactivated."))
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name."), fields={"name": [_("Required.")]})
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise DomainError(_("A token expires after 1 to 3650 days."))
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name[:100],
        prefix=prefix,
        secret_hash=_hash_secret(secret),
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    with transaction.atomic():
        token.save()
        audit_log(who, "directory.token.created", token, {"user": user.email, "prefix": prefix})
    return token, f"{settings.IPEX_TOKEN_PREFIX}_{prefix}_{secret}"


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    who = as_actor(actor)
    if not who.is_system and who.user.pk != token.user_id and not who.user.is_node_admin:
        raise NotFound()
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(who, "directory.token.revoked", token, {"prefix": token.prefix})
    return token


def token_authenticate(raw: str) -> ApiToken:
    """The usable token that ``raw`` is; Unauthenticated if wrong, forged, revoked or expired."""
    parts = raw.split("_")
    token = None
    if len(parts) >= 3 and parts[0] == settings.IPEX_TOKEN_PREFIX:
        prefix, secret = parts[1], "_".join(parts[2:])
        # Kept between requests under the audit head: creating and revoking a token, and
        # deactivating its user, are audited (ipex.core.freshness).
        token = kept(
            "token",
            prefix,
            lambda: ApiToken.objects.select_related("user").filter(prefix=prefix).first(),
        )
        if token is not None and not hmac.compare_digest(token.secret_hash, _hash_secret(secret)):
            token = None
    if token is None or not token.user.is_active:
        raise Unauthenticated(_("The API token is not valid."), code="token_invalid")
    if token.revoked_at is not None:
        raise Unauthenticated(_("The API token has been revoked."), code="token_revoked")
    if token.is_expired:
        raise Unauthenticated(_("The API token has expired."), code="token_expired")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        forget("token", prefix)  # the next request reads the new time, and writes no more
    return token
