"""Customs protection of rights: recordations of rights with customs (a shared record, so
partner customs may receive it), with their contacts and recognition photos."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMModelMixin, transition

from ipex.core.models import SharedRecord, SharedRecordQuerySet, parent_fk, workflow_status
from ipex.core.visibility import shared_record_q
from ipex.directory.models import Node, OrgKind


class RightKind(models.TextChoices):
    COPYRIGHT = "copyright", _("Copyright work")
    TRADEMARK = "trademark", _("Trademark")


class WorkType(models.TextChoices):
    BOOK = "book", _("Book")
    AUDIOVISUAL = "audiovisual", _("Audiovisual work")
    SOFTWARE = "software", _("Software")
    MUSIC = "music", _("Music")
    OTHER = "other", _("Other")


class RecordationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied for")
    RECORDED = "recorded", _("Recorded")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ContactLanguage(models.TextChoices):
    EN = "en", "English"
    ZH_HANS = "zh-hans", "简体中文"
    RU = "ru", "Русский"


def customs_member(user) -> bool:
    """Is this person an officer of a customs organisation of this node?"""
    return any(
        o.kind == OrgKind.CUSTOMS and o.origin_node.is_local
        for o in getattr(user, "organisations", None) or []
    )


class RecordationQuerySet(SharedRecordQuerySet):
    def visible_to(self, user) -> RecordationQuerySet:
        """As any shared record, and every recordation held on this node for its customs
        officers (they review and apply them)."""
        rule = shared_record_q(user)
        if getattr(user, "is_authenticated", False) and user.is_active and customs_member(user):
            rule |= models.Q(origin_node_id=Node.local_id(), withdrawn_at__isnull=True)
        return self.filter(rule)

    def in_register(self, on=None):
        """The public register: recorded and valid on the given day (today by default)."""
        day = on or timezone.localdate()
        return self.filter(
            withdrawn_at__isnull=True,
            status=RecordationStatus.RECORDED,
            valid_from__lte=day,
            valid_until__gte=day,
        )


class Recordation(FSMModelMixin, SharedRecord):
    """A right recorded with customs: a copyright work or a trademark, the goods it covers,
    who may lawfully make and bring them in, how to tell fakes, and whom to notify."""

    objects = RecordationQuerySet.as_manager()

    right_kind = models.CharField(_("right"), max_length=12, choices=RightKind.choices)
    work_title = models.CharField(_("work title"), max_length=200, blank=True)
    work_type = models.CharField(
        _("type of work"), max_length=12, choices=WorkType.choices, blank=True
    )
    work_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    work_owner = models.CharField(_("right owner"), max_length=200)
    mark = models.CharField(_("trademark"), max_length=200, blank=True)
    goods = models.TextField(_("goods covered"))
    manufacturers = models.TextField(_("authorised manufacturers"), blank=True)
    importers = models.TextField(_("authorised importers"), blank=True)
    licensees = models.TextField(_("licensees"), blank=True)
    recognition = models.TextField(_("how to tell originals from fakes"), blank=True)
    routes = models.TextField(_("known routes and places of infringement"), blank=True)
    countries = models.JSONField(_("countries' customs"), default=list)
    status = workflow_status(RecordationStatus, RecordationStatus.APPLIED)
    number = models.CharField(_("recordation number"), max_length=40, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    # The right and its goods, written one way (case and spacing aside): two valid
    # recordations of the same right for the same goods are one too many.
    right_key = models.CharField(max_length=64, db_index=True, editable=False, default="")

    # Its texts, as the API shows them and partners receive them.
    TEXT_FIELDS = (
        "work_title",
        "work_owner",
        "mark",
        "goods",
        "manufacturers",
        "importers",
        "licensees",
        "recognition",
        "routes",
        "number",
        "refusal_reason",
    )

    class Meta(SharedRecord.Meta):
        verbose_name = _("recordation")
        verbose_name_plural = _("recordations")

    def __str__(self) -> str:
        return f"{self.number or _('(applied)')} {self.right_name}"

    def compute_right_key(self) -> str:
        def norm(text: str) -> str:
            return " ".join((text or "").split()).casefold()

        parts = (self.right_kind, norm(self.right_name), norm(self.goods))
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @property
    def right_name(self) -> str:
        return self.work_title if self.right_kind == RightKind.COPYRIGHT else self.mark

    @transition(field=status, source=RecordationStatus.APPLIED, target=RecordationStatus.RECORDED)
    def record(self) -> None:
        """Recorded by customs, with a number and a validity."""

    @transition(field=status, source=RecordationStatus.APPLIED, target=RecordationStatus.REFUSED)
    def refuse(self) -> None:
        """Refused by customs, with a reason."""

    @transition(field=status, source=RecordationStatus.RECORDED, target=RecordationStatus.RECORDED)
    def renew(self) -> None:
        """Its validity extended."""

    @transition(
        field=status,
        source=[RecordationStatus.APPLIED, RecordationStatus.RECORDED],
        target=RecordationStatus.WITHDRAWN,
    )
    def withdraw(self) -> None:
        """Withdrawn by its holder."""


class RecordationContact(models.Model):
    """Who is notified of a detention under the recordation, in their language."""

    recordation = parent_fk(Recordation, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"), max_length=8, choices=ContactLanguage.choices, default=ContactLanguage.EN
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class RecordationPhoto(models.Model):
    """A photo showing originals or fakes; checked as an image by its content, kept without
    its metadata under IPEX_DATA_DIR/border (never served by the web server)."""

    recordation = parent_fk(Recordation, related_name="photos")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.name


class DeadlineRuleQuerySet(models.QuerySet):
    def visible_to(self, user) -> DeadlineRuleQuerySet:
        """The rules are the law as this node applies it: every signed-in user reads them."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.all()


class DeadlineRule(models.Model):
    """How long a rights holder has to answer a detention in one country, counted in working
    days on a maintained calendar (the ``holidays`` package: a country, or a financial
    market such as XECB for the EU), with its adjusted working days."""

    country = models.CharField(_("country"), max_length=8, unique=True)
    calendar = models.CharField(
        _("working-day calendar"),
        max_length=8,
        help_text=_("A country code (CN, RU, DE…) or a market calendar such as XECB."),
    )
    working_days = models.PositiveSmallIntegerField(_("working days to answer"))
    extension_allowed = models.BooleanField(_("extension allowed"), default=False)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    guarantee_required = models.BooleanField(_("guarantee required"), default=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = DeadlineRuleQuerySet.as_manager()

    class Meta:
        ordering = ["country"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self) -> str:
        return f"{self.country}: {self.working_days}"
