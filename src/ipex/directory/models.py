"""Who is who: nodes, jurisdictions, organisations, users, roles, sharing groups, tokens."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from ipex.core.audit import Actor, audit_log
from ipex.core.errors import DomainError
from ipex.core.freshness import kept
from ipex.core.models import MultilingualName, parent_fk, protected_fk, unique
from ipex.core.visibility import SignedInQuerySet, signed_in


class AdministeredQuerySet(models.QuerySet):
    """Rows of the directory: a visitor or a deactivated account reads none, a node
    administrator all, and anyone else what ``_visible_to_member`` gives (private, so the
    manager does not offer it as a second door beside ``visible_to``)."""

    def visible_to(self, user):
        if not signed_in(user):
            return self.none()
        if user.is_node_admin:
            return self.all()
        return self._visible_to_member(user)

    def _visible_to_member(self, user):
        raise NotImplementedError


class TreeQuerySet(MP_NodeQuerySet):
    def within(self, ancestor) -> TreeQuerySet:
        """``ancestor`` and every node below it: one indexed prefix match on ``path``."""
        return self.filter(path__startswith=ancestor.path)


def tree_manager(queryset_class):
    """treebeard's manager, ordered by path, with our queryset's methods (``visible_to``)."""

    class TreeManager(MP_NodeManager):
        def get_queryset(self):
            return queryset_class(self.model, using=self._db).order_by("path")

    return TreeManager.from_queryset(queryset_class)()


class CodedTree(MultilingualName, MP_Node):
    """A tree of named nodes known by a code: jurisdictions, organisations."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class NodeQuerySet(SignedInQuerySet):
    """Who may name a node (a whole partner node joins a sharing group): any signed-in user;
    the node list itself is not secret among them."""


class Node(models.Model):
    """An IPEX installation: this one (``is_local``) and, later, its partners."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    base_url = models.URLField(_("base URL"), max_length=300)
    public_key = models.CharField(_("public key"), max_length=100, help_text=_("Ed25519, base64"))
    is_local = models.BooleanField(_("this node"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = NodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("node")
        verbose_name_plural = _("nodes")
        constraints = [
            models.UniqueConstraint(
                fields=["is_local"], condition=Q(is_local=True), name="one_local_node"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def local(cls) -> Node:

        node = cls.objects.filter(is_local=True).first()
        if node is None:
            raise DomainError(_("This node has no identity yet: run 'ipex node init'."))
        return node

    @classmethod
    def local_id(cls) -> int | None:
        return kept(
            "local-node",
            "",
            lambda: cls.objects.filter(is_local=True).values_list("id", flat=True).first(),
        )


class JurisdictionLevel(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class JurisdictionQuerySet(TreeQuerySet):
    def visible_to(self, user) -> JurisdictionQuerySet:  # noqa: ARG002 - a public vocabulary
        return self.all()


code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,39}$",
    _("Use capital letters, digits and hyphens, e.g. CN-GD."),
)


class Jurisdiction(CodedTree):
    """Country → province → city → county; a subtree is one indexed prefix match on ``path``."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[code_validator])
    level = models.CharField(_("level"), max_length=10, choices=JurisdictionLevel.choices)
    is_iso = models.BooleanField(_("ISO 3166 code"), default=True)

    objects = tree_manager(JurisdictionQuerySet)

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")


class OrgKind(models.TextChoices):
    COPYRIGHT_ADMIN = "copyright_admin", _("Copyright administration")
    POLICE = "police", _("Police")
    CUSTOMS = "customs", _("Customs")
    PROSECUTOR_COURT = "prosecutor_court", _("Prosecutor or court")
    RIGHTS_HOLDER = "rights_holder", _("Rights holder")
    REPRESENTATIVE = "representative", _("Representative")
    AUDITED_BODY = "audited_body", _("Audited body")
    OTHER = "other", _("Other")


class OrganisationQuerySet(AdministeredQuerySet, TreeQuerySet):
    def _visible_to_member(self, user) -> OrganisationQuerySet:  # noqa: ARG002 - the same for all
        return self.filter(is_active=True)


class Organisation(CodedTree):
    """An authority or party; its tree parent is the organisation that supervises it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("Short code used by the API and the command line, e.g. CN-NCAC."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    jurisdiction = protected_fk(Jurisdiction, _("jurisdiction"), related_name="organisations")
    origin_node = protected_fk(Node, _("node"), related_name="organisations")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = tree_manager(OrganisationQuerySet)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    @cached_property
    def supervisor(self) -> Organisation | None:
        return type(self).objects.get_parent(self)


class Role(models.TextChoices):
    OFFICER = "officer", _("Enforcement officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    STATISTICIAN = "statistician", _("Statistician")
    LIAISON = "liaison", _("Liaison officer")
    REWARD_APPROVER = "reward_approver", _("Reward approver")
    AUDITOR = "auditor", _("Compliance auditor")
    ASSET_MANAGER = "asset_manager", _("Software asset manager")
    RIGHTS_HOLDER_REP = "rights_holder_rep", _("Rights-holder representative")
    NODE_ADMIN = "node_admin", _("Node administrator")
    PRESS_OFFICER = "press_officer", _("Press officer")
    NEWS_APPROVER = "news_approver", _("News approver")


class UserQuerySet(AdministeredQuerySet):
    def _visible_to_member(self, user) -> UserQuerySet:
        paths = [m.organisation.path for m in user.active_memberships]
        q = Q(pk=user.pk)
        for path in paths:
            q |= Q(memberships__organisation__path__startswith=path)
        return self.filter(q).distinct()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # E-mail addresses are stored in lower case; sign-in ignores case.
        return self.get(email__iexact=(username or "").strip())

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Leave empty to follow the browser."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        """A new password is audited in the same transaction, however it was set (the password
        form, a reset link, the admin site, ``ipex changepassword``): the audit head moves, so
        no request goes on keeping the account as it was (``core.freshness``), and the sessions
        signed in with the old password end on their next request. ``password_changed_by``
        names who set it where the caller knows (the password forms: the user)."""
        if self._password is None or self._state.adding:
            return super().save(*args, **kwargs)
        who = getattr(self, "password_changed_by", None) or Actor.system("password change")
        with transaction.atomic():
            super().save(*args, **kwargs)
            audit_log(who, "directory.user.password_changed", self)

    @cached_property
    def active_memberships(self) -> list[Membership]:
        return kept(
            "memberships",
            self.pk,
            lambda: list(
                self.memberships.filter(organisation__is_active=True).select_related("organisation")
            ),
        )

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.active_memberships)

    @cached_property
    def organisations(self) -> list[Organisation]:
        seen: dict[int, Organisation] = {}
        for m in self.active_memberships:
            seen.setdefault(m.organisation_id, m.organisation)
        return list(seen.values())

    def has_role(self, role: str, organisation: Organisation | None = None) -> bool:
        return any(
            m.role == role and (organisation is None or m.organisation_id == organisation.pk)
            for m in self.active_memberships
        )

    @property
    def is_node_admin(self) -> bool:
        return self.is_active and (self.is_superuser or Role.NODE_ADMIN in self.roles)


class Membership(models.Model):
    """A user holds a role in an organisation; one row per role."""

    user = parent_fk(User, _("user"), related_name="memberships")
    organisation = protected_fk(Organisation, _("organisation"), related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [unique("user", "organisation", "role", name="unique_membership_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation.code}"


class RolePolicy(models.Model):
    """Node-wide rules per role, set by node administrators."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, unique=True)
    require_totp = models.BooleanField(_("require a second factor (TOTP)"), default=False)

    class Meta:
        verbose_name = _("role policy")
        verbose_name_plural = _("role policies")

    def __str__(self) -> str:
        return self.get_role_display()


class SharingGroupQuerySet(AdministeredQuerySet):
    def _visible_to_member(self, user) -> SharingGroupQuerySet:
        org_ids = [o.pk for o in user.organisations]
        paths = [o.path for o in user.organisations]
        q = Q(members__organisation_id__in=org_ids) | Q(members__node__is_local=True)
        for path in paths:
            q |= Q(owner_org__path__startswith=path)
        return self.filter(q).distinct()


class SharingGroup(models.Model):
    """Organisations, or whole partner nodes, that records can be shared with."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner_org = protected_fk(
        Organisation, _("owner organisation"), related_name="owned_sharing_groups"
    )
    origin_node = protected_fk(Node, _("node"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = SharingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("sharing group")
        verbose_name_plural = _("sharing groups")
        ordering = ["name"]
        constraints = [unique("owner_org", "name", name="unique_group_name_per_org")]

    def __str__(self) -> str:
        return self.name


class SharingGroupMember(models.Model):
    group = parent_fk(SharingGroup, _("group"), related_name="members")
    organisation = protected_fk(Organisation, _("organisation"), optional=True)
    node = protected_fk(Node, _("node"), optional=True)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("sharing group member")
        verbose_name_plural = _("sharing group members")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(node__isnull=True))
                | (Q(organisation__isnull=True) & Q(node__isnull=False)),
                name="member_is_org_or_node",
            ),
            models.UniqueConstraint(
                fields=["group", "organisation"],
                condition=Q(organisation__isnull=False),
                name="unique_group_org",
            ),
            models.UniqueConstraint(
                fields=["group", "node"], condition=Q(node__isnull=False), name="unique_group_node"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation or self.node)


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApiTokenQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class ApiToken(models.Model):
    """A bearer token: ``ipex_<prefix>_<secret>``; only the secret's SHA-256 is kept."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = parent_fk(User, _("user"), related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({settings.IPEX_TOKEN_PREFIX}_{self.prefix}_…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired
