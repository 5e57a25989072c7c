"""Directory writes: one function per use case, each transactional and audited."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.core.audit import as_actor, audit_log
from ipex.core.errors import Conflict, DomainError, Forbidden, NotFound, Unauthenticated
from ipex.core.permissions import ensure_node_admin
from ipex.core.services import validate
from ipex.directory.models import (
    ApiToken,
    Jurisdiction,
    JurisdictionLevel,
    Membership,
    Node,
    Organisation,
    Role,
    RolePolicy,
    SharingGroup,
    SharingGroupMember,
    User,
)

# ---------------------------------------------------------------- node identity


def _load_or_create_key(path: Path) -> Ed25519PrivateKey:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise DomainError(_("The node key file does not hold an Ed25519 key."))
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def replace_node_key(key: Ed25519PrivateKey) -> None:
    """Write a new private key in the node key file, whole or not at all (mode 0600)."""
    path = Path(settings.IPEX_NODE_KEY_FILE)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    temporary = path.with_name(path.name + ".new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def node_private_key() -> Ed25519PrivateKey:
    return _load_or_create_key(Path(settings.IPEX_NODE_KEY_FILE))


def node_init(*, name: str | None = None, base_url: str | None = None) -> tuple[Node, bool]:
    """Give this node its identity and Ed25519 key pair; returns (node, created).

    Idempotent: a node that exists is returned as it is. The private key lives in
    ``IPEX_NODE_KEY_FILE`` (mode 0600), never in the database.
    """
    with transaction.atomic():
        existing = Node.objects.select_for_update().filter(is_local=True).first()
        key_path = Path(settings.IPEX_NODE_KEY_FILE)
        if existing is not None and not key_path.exists():
            raise Conflict(
                _("This node's key file %(path)s is missing; restore it from the backup.")
                % {"path": key_path}
            )
        key = node_private_key()
        public = public_key_b64(key)
        if existing is not None:
            if existing.public_key != public:
                raise Conflict(
                    _(
                        "The key in %(path)s does not match this node's public key; "
                        "restore the node's key file."
                    )
                    % {"path": settings.IPEX_NODE_KEY_FILE}
                )
            return existing, False
        node = Node(
            name=name or settings.IPEX_NODE_NAME,
            base_url=base_url or settings.IPEX_BASE_URL,
            public_key=public,
            is_local=True,
        )
        validate(node)
        node.save()
        audit_log(as_actor(None), "directory.node.initialised", node, {"public_key": public})
    return node, True


# ---------------------------------------------------------------- jurisdictions


def jurisdiction_add(
    *,
    actor,
    code: str,
    level: str,
    name_en: str,
    name_zh_hans: str = "",
    name_ru: str = "",
    parent: Jurisdiction | None = None,
    is_iso: bool = False,
) -> Jurisdiction:
    """Add a jurisdiction under ``parent`` (a country when there is none), e.g. a city or
    county below an ISO province. Node administrators only."""
    who = as_actor(actor)
    if who.user is not None:
        ensure_node_admin(who.user)
    order = list(JurisdictionLevel.values)
    if level not in order:
        raise DomainError(_("Unknown level."), fields={"level": [_("Unknown level.")]})
    if parent is None and level != JurisdictionLevel.COUNTRY:
        raise DomainError(
            _("Only a country stands at the top; choose the jurisdiction this one is part of."),
            fields={"parent": [_("Required.")]},
        )
    if parent is not None and order.index(level) <= order.index(parent.level):
        raise DomainError(
            _("A %(level)s cannot be part of a %(parent)s.")
            % {"level": JurisdictionLevel(level).label, "parent": parent.get_level_display()},
            fields={"level": [_("Choose a level below the parent's.")]},
        )
    with transaction.atomic():
        if Jurisdiction.objects.filter(code=code).exists():
            raise Conflict(_("A jurisdiction with code %(code)s exists already.") % {"code": code})
        values = dict(
            code=code,
            level=level,
            name_en=name_en,
            name_zh_hans=name_zh_hans,
            name_ru=name_ru,
            is_iso=is_iso,
        )
        probe = Jurisdiction(**values, path="0", depth=1)
        validate(probe, exclude=["path", "depth", "numchild"])
        manager = Jurisdiction.objects
        node = manager.add_child(parent, values) if parent else manager.add_root(values)
        audit_log(who, "directory.jurisdiction.added", node, values)
    return node


# ---------------------------------------------------------------- organisations

ORG_FIELDS = ("code", "kind", "name_en", "name_zh_hans", "name_ru", "jurisdiction")


def organisation_create(
    *,
    actor,
    code: str,
    kind: str,
    name_en: str,
    jurisdiction: Jurisdiction,
    name_zh_hans: str = "",
    name_ru: str = "",
    supervisor: Organisation | None = None,
) -> Organisation:
    who = as_actor(actor)
    if who.user is not None:
        ensure_node_admin(who.user)
    values = dict(
        code=code.strip().upper(),
        kind=kind,
        name_en=name_en.strip(),
        name_zh_hans=name_zh_hans.strip(),
        name_ru=name_ru.strip(),
        jurisdiction=jurisdiction,
        origin_node=Node.local(),
    )
    with transaction.atomic():
        probe = Organisation(**values, path="0", depth=1)
        validate(probe, exclude=["path", "depth", "numchild"])
        manager = Organisation.objects
        org = manager.add_child(supervisor, values) if supervisor else manager.add_root(values)
        audit_log(
            who,
            "directory.organisation.created",
            org,
            {
                "code": org.code,
                "kind": org.kind,
                "jurisdiction": jurisdiction.code,
                "supervisor": supervisor.code if supervisor else None,
            },
        )
    return org


def organisation_update(*, actor, organisation: Organisation, **values) -> Organisation:
    """Change an organisation's names, kind, jurisdiction or active flag (node admins)."""
    who = as_actor(actor)
    ensure_node_admin(who.user)
    if organisation.origin_node_id != Node.local_id():
        raise Forbidden(_("This organisation belongs to another node and is read-only here."))
    allowed = {"kind", "name_en", "name_zh_hans", "name_ru", "jurisdiction", "is_active"}
    unknown = set(values) - allowed
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    changes = {}
    for field, value in values.items():
        before = getattr(organisation, field)
        if before != value:
            changes[field] = [_plain(before), _plain(value)]
            setattr(organisation, field, value)
    if not changes:
        return organisation
    with transaction.atomic():
        validate(organisation)
        organisation.save(update_fields=list(values))
        audit_log(who, "directory.organisation.updated", organisation, changes)
    return organisation


def _plain(value):
    if hasattr(value, "code"):
        return value.code
    return value


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
    if who.user is not None:
        ensure_node_admin(who.user)
    email = User.objects.normalize_email(email.strip()).lower()
    user = User(email=email, full_name=full_name.strip(), language=language)
    if password:
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

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
    if who.user is not None and who.user.pk == user.pk and not active:
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
    if who.user is None or who.user.pk != user.pk:
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
    if who.user is not None:
        ensure_node_admin(who.user)
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
    return RolePolicy.objects.filter(role__in=user.roles, require_totp=True).exists()


def totp_device_for(user: User):
    """The user's TOTP device; a new, unconfirmed one when enrolment has not finished."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="IPEX", confirmed=False)
    return device


def totp_verify(*, request, code: str) -> None:
    """Check a six-digit code; confirms enrolment the first time and marks the session."""
    from django_otp import login as otp_login

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


# ---------------------------------------------------------------- sharing groups


def _ensure_can_manage_group(user, group: SharingGroup) -> None:
    """Node admins, and liaison officers or supervisors of the owner or of an organisation
    that supervises it."""
    if user is None or getattr(user, "is_node_admin", False):  # None: a system actor (CLI, task)
        return
    owner = group.owner_org
    for m in user.active_memberships:
        if m.role in {Role.LIAISON, Role.SUPERVISOR} and owner.path.startswith(m.organisation.path):
            return
    raise Forbidden(
        _(
            "Only liaison officers and supervisors of the owner organisation manage its sharing "
            "groups."
        ),
        code="not_group_manager",
    )


def sharing_group_create(
    *, actor, owner_org: Organisation, name: str, description: str = ""
) -> SharingGroup:
    who = as_actor(actor)
    group = SharingGroup(
        owner_org=owner_org,
        name=name.strip(),
        description=description.strip(),
        origin_node=Node.local(),
    )
    _ensure_can_manage_group(who.user, group)
    with transaction.atomic():
        validate(group)
        group.save()
        audit_log(who, "directory.sharing_group.created", group, {"owner": owner_org.code})
    return group


def sharing_group_add_member(
    *,
    actor,
    group: SharingGroup,
    organisation: Organisation | None = None,
    node: Node | None = None,
) -> SharingGroupMember:
    who = as_actor(actor)
    _ensure_can_manage_group(who.user, group)
    if (organisation is None) == (node is None):
        raise DomainError(_("Add either an organisation or a node."))
    try:
        with transaction.atomic():
            member = SharingGroupMember.objects.create(
                group=group, organisation=organisation, node=node
            )
            audit_log(
                who,
                "directory.sharing_group.member_added",
                group,
                {
                    "organisation": organisation.code if organisation else None,
                    "node": str(node.uuid) if node else None,
                },
            )
    except IntegrityError as exc:
        raise Conflict(_("This member is in the group already.")) from exc
    return member


def sharing_group_remove_member(*, actor, member: SharingGroupMember) -> None:
    who = as_actor(actor)
    group = member.group
    _ensure_can_manage_group(who.user, group)
    with transaction.atomic():
        details = {
            "organisation": member.organisation.code if member.organisation else None,
            "node": str(member.node.uuid) if member.node else None,
        }
        member.delete()
        audit_log(who, "directory.sharing_group.member_removed", group, details)


# ---------------------------------------------------------------- API tokens


def _hash_secret(secret: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is safe and keeps every request cheap.
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def token_create(
    *, actor, user: User, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it with its plain text, which is shown once."""
    who = as_actor(actor)
    if who.user is not None and who.user.pk != user.pk and not who.user.is_node_admin:
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
    if who.user is not None and who.user.pk != token.user_id and not who.user.is_node_admin:
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
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
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
    return token
