"""Users, their memberships and roles, role policies and the second factor."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, Forbidden
from ipex.core.freshness import kept
from ipex.core.permissions import ensure_actor_node_admin, ensure_node_admin
from ipex.core.services import validate
from ipex.directory.models import (
    Membership,
    Node,
    Organisation,
    Role,
    RolePolicy,
    User,
)

# ---------------------------------------------------------------- users and memberships


def user_create(
    *,
    actor,
    email: str,
    full_name: str = "",
    password: str | None = None,
    language: str = "",
) -> User:
    who = as_actor(actor)
    ensure_actor_node_admin(who)
    email = User.objects.normalize_email(email.strip()).lower()
    user = User(email=email, full_name=full_name.strip(), language=language)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(
                _("Please correct the errors below."), fields={"password": exc.messages}
            ) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic():
        validate(user, exclude=["password"])
        user.save()
        audit_log(who, "directory.user.created", user, {"email": email})
    return user


def user_set_active(*, actor, user: User, active: bool) -> User:
    who = as_actor(actor)
    ensure_node_admin(who.user)
    if who.user.pk == user.pk and not active:
        raise DomainError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_log(who, "directory.user.activated" if active else "directory.user.deactivated", user)
    return user


def user_update_profile(
    *, actor, user: User, full_name: str | None = None, language: str | None = None
) -> User:
    """A user changes their own name or preferred language."""
    who = as_actor(actor)
    if who.is_system or who.user.pk != user.pk:
        raise Forbidden(_("You can only change your own profile."))
    changes = {}
    if language is not None:
        codes = {code for code, _label in settings.LANGUAGES}
        if language and language not in codes:
            raise DomainError(
                _("Unknown language %(code)s; choose one of: %(codes)s.")
                % {"code": language, "codes": ", ".join(sorted(codes))},
                code="unknown_language",
                fields={"language": [_("Unknown language.")]},
            )
        if language != user.language:
            changes["language"] = [user.language, language]
            user.language = language
    if full_name is not None and full_name.strip() != user.full_name:
        changes["full_name"] = [user.full_name, full_name.strip()]
        user.full_name = full_name.strip()
    if not changes:
        return user
    with transaction.atomic():
        validate(user, exclude=["password"])
        user.save(update_fields=[f for f in ("language", "full_name") if f in changes])
        audit_log(who, "directory.user.profile_updated", user, changes)
    return user


def membership_grant(*, actor, user: User, organisation: Organisation, role: str) -> Membership:
    who = as_actor(actor)
    ensure_actor_node_admin(who)
    if role not in Role.values:
        raise DomainError(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    if organisation.origin_node_id != Node.local_id():
        raise DomainError(_("Users can only belong to organisations of this node."))
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role
        )
        if not created:
            raise Conflict(_("This user already holds this role in this organisation."))
        if role == Role.NODE_ADMIN:
            _sync_admin_flags(user)
        audit_log(
            who,
            "directory.membership.granted",
            user,
            {"organisation": organisation.code, "role": role},
        )
    _forget_roles(user)
    return membership


def membership_revoke(*, actor, membership: Membership) -> None:
    who = as_actor(actor)
    ensure_node_admin(who.user)
    user = membership.user
    if (
        membership.role == Role.NODE_ADMIN
        and not Membership.objects.filter(role=Role.NODE_ADMIN, user__is_active=True)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise DomainError(_("The last node administrator cannot be removed."))
    with transaction.atomic():
        details = {"organisation": membership.organisation.code, "role": membership.role}
        membership.delete()
        if details["role"] == Role.NODE_ADMIN:
            _sync_admin_flags(user)
        audit_log(who, "directory.membership.revoked", user, details)
    _forget_roles(user)


def _sync_admin_flags(user: User) -> None:
    """Node administrators use the Django admin site; nobody else does."""
    is_admin = Membership.objects.filter(user=user, role=Role.NODE_ADMIN).exists()
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])


def _forget_roles(user: User) -> None:
    for attr in ("active_memberships", "roles", "organisations", "_ipex_visibility"):
        user.__dict__.pop(attr, None)


def role_policy_set(*, actor, role: str, require_totp: bool) -> RolePolicy:
    who = as_actor(actor)
    ensure_node_admin(who.user)
    if role not in Role.values:
        raise DomainError(_("Unknown role."))
    with transaction.atomic():
        policy, _created = RolePolicy.objects.get_or_create(role=role)
        if policy.require_totp != require_totp:
            policy.require_totp = require_totp
            policy.save(update_fields=["require_totp"])
            audit_log(who, "directory.role_policy.changed", policy, {"require_totp": require_totp})
    return policy


def totp_required_for(user: User) -> bool:
    if not user.roles:
        return False
    roles = sorted(user.roles)
    return kept(
        "totp-roles",
        ",".join(roles),
        lambda: RolePolicy.objects.filter(role__in=roles, require_totp=True).exists(),
    )


def totp_device_for(user: User):
    """The user's TOTP device; a new, unconfirmed one when enrolment has not finished."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="IPEX", confirmed=False)
    return device


def totp_verify(*, request, code: str) -> None:
    """Check a six-digit code; confirms enrolment the first time and marks the session."""
    user = request.user
    device = totp_device_for(user)
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise DomainError(
            _("Too many wrong codes in a row. Wait a few seconds, then enter the newest code."),
            code="totp_throttled",
            fields={"code": [_("Wait a few seconds.")]},
        )
    if not device.verify_token(code):
        audit_log(user, "directory.totp.failed", user)
        raise DomainError(
            _("That code is not right. Check the time on your phone and try the newest code."),
            code="totp_invalid",
            fields={"code": [_("Wrong code.")]},
        )
    with transaction.atomic():
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_log(user, "directory.totp.enrolled", user)
        else:
            audit_log(user, "directory.totp.verified", user)
    otp_login(request, device)
