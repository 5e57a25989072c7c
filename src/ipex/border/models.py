"""Customs protection of rights: recordations of rights with customs (a shared record, so
partner customs may receive it), with their contacts and recognition photos."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMModelMixin, transition

from ipex.core.models import (
    SharedRecord,
    SharedRecordQuerySet,
    parent_fk,
    protected_fk,
    user_fk,
    workflow_status,
)
from ipex.core.visibility import SignedInQuerySet, shared_record_q, signed_in
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
        if signed_in(user) and customs_member(user):
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


class Photo(models.Model):
    """A photo, checked as an image by its content and kept without its metadata under
    IPEX_DATA_DIR/border/photos by its hash (never served by the web server)."""

    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        abstract = True
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.name


class RecordationPhoto(Photo):
    """A photo showing originals or fakes."""

    recordation = parent_fk(Recordation, related_name="photos")


class DeadlineRuleQuerySet(SignedInQuerySet):
    """The rules are the law as this node applies it: every signed-in user reads them."""


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


# ---------------------------------------------------------------- detentions


class Direction(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")
    TRANSIT = "transit", _("Transit")


class Transport(models.TextChoices):
    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")
    POST = "post", _("Post or express courier")


class DetentionStatus(models.TextChoices):
    NOTIFIED = "notified", _("Awaiting the holder's answer")
    CONFIRMED = "confirmed", _("Infringement confirmed by the holder")
    DESTRUCTION_AGREED = "destruction", _("Destruction agreed by the holder")
    RELEASE_ASKED = "release_asked", _("Release asked by the holder")
    RELEASE_DUE = "release_due", _("Release due: no answer in time")
    CLOSED = "closed", _("Closed with an outcome")


class Outcome(models.TextChoices):
    RELEASED = "released", _("Released")
    DESTROYED = "destroyed", _("Destroyed")
    SEIZED = "seized", _("Seized")
    CASE = "case", _("Handed to a case")


class AnswerKind(models.TextChoices):
    CONFIRM = "confirm", _("Confirm the infringement")
    EXTEND = "extend", _("Ask for an extension")
    DESTROY = "destroy", _("Agree to destruction")
    RELEASE = "release", _("Release the goods")


class DetentionQuerySet(SharedRecordQuerySet):
    def visible_to(self, user) -> DetentionQuerySet:
        """Customs of this node, and the organisations whose recordations the detention
        names (their holders' people); nobody else, whatever else they may see."""
        if not signed_in(user):
            return self.none()
        local = Node.local_id()
        rule = shared_record_q(user)
        if customs_member(user):
            rule |= models.Q(origin_node_id=local)
        mine = [o.pk for o in user.organisations if o.origin_node_id == local]
        if mine:
            rule |= models.Q(recordations__owner_org_id__in=mine)
        return self.filter(rule, withdrawn_at__isnull=True).distinct()


class Detention(FSMModelMixin, SharedRecord):
    """Goods whose release customs suspended, and the holders they asked. The consignor and
    consignee are personal data: the detention never leaves the node."""

    objects = DetentionQuerySet.as_manager()

    declaration_number = models.CharField(_("declaration number"), max_length=60)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    place = models.CharField(_("place (customs office, border crossing)"), max_length=200)
    route = models.JSONField(_("route (countries)"), default=list, blank=True)
    transport = models.CharField(_("means of transport"), max_length=8, choices=Transport.choices)
    consignor = models.CharField(_("consignor"), max_length=200, blank=True)
    consignee = models.CharField(_("consignee"), max_length=200, blank=True)
    recordations = models.ManyToManyField(
        Recordation, blank=True, related_name="detentions", verbose_name=_("recordations")
    )
    ex_officio = models.BooleanField(_("ex officio (no recordation)"), default=False)
    country = models.CharField(_("country of the rule"), max_length=8)
    officer = user_fk(_("officer"))
    notified_on = models.DateField(_("notified on"))
    answer_by = models.DateField(_("answer by"), null=True, blank=True)
    extended = models.BooleanField(_("extended"), default=False)
    status = workflow_status(DetentionStatus, DetentionStatus.NOTIFIED)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    seizure = protected_fk("seizures.Seizure", _("seizure"), optional=True)
    case = protected_fk("cases.Case", _("case"), optional=True)

    class Meta(SharedRecord.Meta):
        verbose_name = _("detention")
        verbose_name_plural = _("detentions")

    def __str__(self) -> str:
        return f"{self.declaration_number} ({self.place})"

    @transition(field=status, source=DetentionStatus.NOTIFIED, target=DetentionStatus.NOTIFIED)
    def extend(self) -> None:
        """The holder is given the extension the rule allows."""

    @transition(field=status, source=DetentionStatus.NOTIFIED, target=DetentionStatus.CONFIRMED)
    def confirm(self) -> None:
        """The holder confirms the infringement, with grounds."""

    @transition(
        field=status, source=DetentionStatus.NOTIFIED, target=DetentionStatus.DESTRUCTION_AGREED
    )
    def destroy(self) -> None:
        """The holder agrees to the goods' destruction."""

    @transition(field=status, source=DetentionStatus.NOTIFIED, target=DetentionStatus.RELEASE_ASKED)
    def release(self) -> None:
        """The holder asks for the goods' release."""

    @transition(field=status, source=DetentionStatus.NOTIFIED, target=DetentionStatus.RELEASE_DUE)
    def lapse(self) -> None:
        """No answer in time: the goods are to be released."""

    @transition(
        field=status,
        source=[
            DetentionStatus.NOTIFIED,
            DetentionStatus.CONFIRMED,
            DetentionStatus.DESTRUCTION_AGREED,
            DetentionStatus.RELEASE_ASKED,
            DetentionStatus.RELEASE_DUE,
        ],
        target=DetentionStatus.CLOSED,
    )
    def close(self) -> None:
        """Customs close it with its outcome."""


class DetentionLine(models.Model):
    detention = parent_fk(Detention, related_name="lines")
    description = models.CharField(_("description"), max_length=300)
    category = protected_fk("seizures.Category", _("category"))
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("goods line")
        verbose_name_plural = _("goods lines")


class DetentionPhoto(Photo):
    """A photo of the detained goods."""

    detention = parent_fk(Detention, related_name="photos")


class DetentionAnswer(models.Model):
    """A holder's answer, kept with who gave it and when (the detention's audit entry
    holds it too)."""

    detention = parent_fk(Detention, related_name="answers")
    organisation = protected_fk("directory.Organisation", _("rights holder"))
    kind = models.CharField(_("answer"), max_length=8, choices=AnswerKind.choices)
    grounds = models.TextField(_("grounds"), blank=True)
    answered_by = user_fk(_("answered by"))
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)

    class Meta:
        ordering = ["answered_at", "id"]


class DetentionNotice(models.Model):
    """A notification sent to a recordation's contact, in the contact's language."""

    detention = parent_fk(Detention, related_name="notices")
    recordation = protected_fk(Recordation, _("recordation"))
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, choices=ContactLanguage.choices)
    kind = models.CharField(_("kind"), max_length=16, default="detention")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]


# ---------------------------------------------------------------- across borders


class AbroadQuerySet(SharedRecordQuerySet):
    def visible_to(self, user):
        """Customs of the node that wrote it, the holder of the recordation it concerns
        (its people on the recordation's node), and as any shared record."""
        if not signed_in(user):
            return self.none()
        local = Node.local_id()
        rule = shared_record_q(user)
        if customs_member(user):
            rule |= models.Q(**{self.model.CUSTOMS: local})
        mine = [o.pk for o in user.organisations if o.origin_node_id == local]
        if mine:
            rule |= models.Q(**{f"{self.model.HOLDER}__in": mine})
        return self.filter(rule, withdrawn_at__isnull=True).distinct()


class BorderNotice(SharedRecord):
    """A detention on this node under a partner's recordation, as it is sent to the
    recordation's node so the holder is notified there: no consignor, no consignee."""

    HOLDER = "recordation__owner_org_id"
    CUSTOMS = "origin_node_id"
    objects = AbroadQuerySet.as_manager()

    recordation = protected_fk(Recordation, _("recordation"))
    detention_uuid = models.UUIDField(_("detention"))
    declaration_number = models.CharField(_("declaration number"), max_length=60)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    place = models.CharField(_("place (customs office, border crossing)"), max_length=200)
    route = models.JSONField(_("route (countries)"), default=list, blank=True)
    transport = models.CharField(_("means of transport"), max_length=8, choices=Transport.choices)
    goods = models.JSONField(_("goods"), default=list)
    country = models.CharField(_("country of the rule"), max_length=8)
    notified_on = models.DateField(_("notified on"))
    answer_by = models.DateField(_("answer by"))

    class Meta(SharedRecord.Meta):
        verbose_name = _("notice of a detention abroad")
        verbose_name_plural = _("notices of detentions abroad")

    def __str__(self) -> str:
        return f"{self.declaration_number} ({self.place})"


class BorderAnswer(SharedRecord):
    """The holder's answer to a notice, written on the recordation's node and sent back to
    the customs that detained the goods."""

    HOLDER = "notice__recordation__owner_org_id"
    CUSTOMS = "notice__origin_node_id"
    objects = AbroadQuerySet.as_manager()

    notice = parent_fk(BorderNotice, related_name="answers")
    kind = models.CharField(_("answer"), max_length=8, choices=AnswerKind.choices)
    grounds = models.TextField(_("grounds"), blank=True)
    days = models.PositiveSmallIntegerField(_("extension (working days)"), null=True, blank=True)

    class Meta(SharedRecord.Meta):
        verbose_name = _("answer to a detention abroad")
        verbose_name_plural = _("answers to detentions abroad")


class RegisterTerm(models.Model):
    """A word of a recordation's public fields (number, work, mark, owner, goods, holder in
    three languages), folded; a run of Chinese characters is kept with each of its suffixes,
    so that a prefix search finds any part of it. The register search looks words up here."""

    recordation = parent_fk(Recordation, related_name="terms")
    term = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        # A word's range read from the index alone (the recordation beside each word).
        indexes = [models.Index(fields=["term", "recordation"], name="border_term_recordation")]
