"""Cases: investigations with their subjects, actions, penalties, evidence and tasks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMModelMixin, transition

from ipex.core.models import (
    MultilingualName,
    SharedRecord,
    parent_fk,
    protected_fk,
    unique,
    user_fk,
    workflow_status,
)
from ipex.core.visibility import SignedInQuerySet, signed_in


class CaseKind(models.TextChoices):
    OPTICAL_DISC_LINE = "optical_disc_line", _("Optical-disc production line")
    DISTRIBUTION = "distribution", _("Wholesale or retail distribution")
    ONLINE = "online", _("Online")
    LICENSED_ENTERPRISE = "licensed_enterprise", _("Licensed enterprise engaged in piracy")
    CUSTOMS_DETENTION = "customs_detention", _("Customs detention")
    UNLICENSED_SOFTWARE = "unlicensed_software", _("Unlicensed software use")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Investigating")
    ACTION_TAKEN = "action_taken", _("Action taken")
    REFERRED = "referred", _("Referred for prosecution")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    PENALISED = "penalised", _("Administrative penalty imposed")
    CONVICTED = "convicted", _("Criminal judgment")
    NO_VIOLATION = "no_violation", _("No violation found")
    TRANSFERRED = "transferred", _("Transferred to another authority")
    OTHER = "other", _("Other")


class Case(FSMModelMixin, SharedRecord):
    """An investigation, from raid or tip-off to judgment."""

    reference = models.CharField(_("reference"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=24, choices=CaseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = workflow_status(CaseStatus, CaseStatus.OPEN)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CaseOutcome.choices, blank=True)
    campaign = protected_fk(
        "campaigns.Campaign", _("special action"), optional=True, related_name="cases"
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cases", verbose_name=_("officers")
    )
    seizures = models.ManyToManyField(
        "seizures.Seizure", blank=True, related_name="cases", verbose_name=_("seizures")
    )

    class Meta(SharedRecord.Meta):
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        # The lists' order: a page of the newest is read from here, not sorted from all.
        indexes = [models.Index(fields=["-created_at", "-id"], name="case_newest")]
        constraints = [
            unique("owner_org", "reference", name="unique_case_ref"),
            unique("owner_org", "year", "number", name="unique_case_number"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @transition(field=status, source=CaseStatus.OPEN, target=CaseStatus.INVESTIGATING)
    def investigate(self) -> None:
        """Investigation started."""

    @transition(field=status, source=CaseStatus.INVESTIGATING, target=CaseStatus.ACTION_TAKEN)
    def take_action(self) -> None:
        """Enforcement action taken (raid, seizure, shutdown, fine …)."""

    @transition(field=status, source=CaseStatus.ACTION_TAKEN, target=CaseStatus.REFERRED)
    def refer(self) -> None:
        """Referred for prosecution."""

    @transition(
        field=status,
        source=[CaseStatus.INVESTIGATING, CaseStatus.ACTION_TAKEN, CaseStatus.REFERRED],
        target=CaseStatus.CLOSED,
    )
    def close(self) -> None:
        """Closed with an outcome."""

    @transition(field=status, source=CaseStatus.CLOSED, target=CaseStatus.INVESTIGATING)
    def reopen(self) -> None:
        """Reopened with a reason."""


class PenaltyType(models.TextChoices):
    FINE = "fine", _("Fine")
    IMPRISONMENT = "imprisonment", _("Imprisonment")
    CONFISCATION = "confiscation", _("Confiscation")
    SUSPENSION = "suspension", _("Suspension of business")


class LegalProvisionQuerySet(SignedInQuerySet):
    """Public law: every signed-in user reads and cites the provisions."""


class LegalProvision(MultilingualName):
    """A provision and the range of penalty it allows (months, or an amount of money)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    penalty_type = models.CharField(_("penalty"), max_length=16, choices=PenaltyType.choices)
    minimum = models.DecimalField(
        _("minimum"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    article = protected_fk(
        "legislation.Article", _("article"), optional=True, related_name="provisions"
    )

    objects = LegalProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")


def penalty_article_version(provision: LegalProvision | None, day):
    """The article version a penalty under ``provision`` on ``day`` rests on."""
    if provision is None or provision.article_id is None:
        return None
    return provision.article.version_on(day)


class ActionKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    RAID = "raid", _("Raid")
    SEIZURE = "seizure", _("Seizure")
    SHUTDOWN = "shutdown", _("Shutdown")
    LICENCE_REVOCATION = "licence_revocation", _("Licence revocation")
    ADMINISTRATIVE_FINE = "administrative_fine", _("Administrative fine")
    CRIMINAL_REFERRAL = "criminal_referral", _("Criminal referral")
    ARREST = "arrest", _("Arrest")
    JUDGMENT = "judgment", _("Judgment")


class CaseAction(models.Model):
    """Something done in a case; it never reaches further than its case."""

    case = parent_fk(Case, _("case"), related_name="actions")
    kind = models.CharField(_("action"), max_length=20, choices=ActionKind.choices)
    taken_on = models.DateField(_("date"))
    organisation = protected_fk("directory.Organisation", _("organisation"))
    notes = models.TextField(_("notes"), blank=True)
    provision = protected_fk(LegalProvision, _("provision"), optional=True)
    penalty_amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    penalty_months = models.PositiveSmallIntegerField(_("months"), null=True, blank=True)
    out_of_range_reason = models.TextField(_("reason for a penalty outside the range"), blank=True)

    class Meta:
        ordering = ["taken_on", "id"]
        verbose_name = _("case action")
        verbose_name_plural = _("case actions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.taken_on}"

    @property
    def article_version(self):
        """The version of the penalty's article in force on the action's date (None without
        a provision filed under an article, or when no version was in force that day)."""
        return penalty_article_version(self.provision, self.taken_on)


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Person")
    ENTERPRISE = "enterprise", _("Enterprise")
    PRODUCTION_LINE = "production_line", _("Optical-disc production line")
    WEBSITE = "website", _("Website or app")
    SHOP = "shop", _("Shop")


class SubjectRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    OPERATOR = "operator", _("Operator")
    OWNER = "owner", _("Owner")
    BUYER = "buyer", _("Buyer")
    OTHER = "other", _("Other")


class SubjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Subjects of cases the user can see, and those their organisations recorded."""
        if not signed_in(user):
            return self.none()
        q = models.Q(links__case__in=Case.objects.visible_to(user))
        for organisation in user.organisations:
            q |= models.Q(owner_org__path__startswith=organisation.path)
        return self.filter(q).distinct()


class Subject(models.Model):
    """A person, enterprise, production line, website or shop; one subject across cases,
    matched by registration number, SID code or normalised domain. Personal data of persons
    stays on this node."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner_org = protected_fk("directory.Organisation", _("recorded by"))
    kind = models.CharField(_("kind"), max_length=16, choices=SubjectKind.choices)
    name = models.CharField(_("name"), max_length=200)
    registration_number = models.CharField(
        _("registration number"), max_length=40, blank=True, db_index=True
    )
    has_business_licence = models.BooleanField(_("holds a legal business licence"), default=False)
    sid_code = models.CharField(_("SID code"), max_length=20, blank=True, db_index=True)
    domain = models.CharField(_("domain"), max_length=253, blank=True, db_index=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    is_personal_data = models.BooleanField(_("personal data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self) -> str:
        return self.name


class CaseSubject(models.Model):
    case = parent_fk(Case, _("case"), related_name="subject_links")
    subject = parent_fk(Subject, _("subject"), related_name="links")
    role = models.CharField(_("role"), max_length=12, choices=SubjectRole.choices)

    class Meta:
        verbose_name = _("case subject")
        verbose_name_plural = _("case subjects")
        constraints = [unique("case", "subject", "role", name="unique_case_subject_role")]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_role_display()})"


class Evidence(models.Model):
    """A file attached to a case: kept outside the web root, its SHA-256 recorded, read only
    through the case (the one door), every download audited."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = protected_fk(Case, _("case"), related_name="evidence")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = user_fk(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.filename


class CaseTask(models.Model):
    """Something to do in a case, by a date, for an officer of the case's organisation."""

    case = parent_fk(Case, _("case"), related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due"))
    assignee = protected_fk(settings.AUTH_USER_MODEL, _("assigned to"), related_name="case_tasks")
    created_by = user_fk(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class SearchDocument(models.Model):
    """The searchable text of a case, a subject or an action, as normalised terms (see
    ipex.cases.search). PostgreSQL indexes the terms with a GIN full-text index, SQLite with
    an FTS5 table kept in step by triggers; both read the same terms, so both behave alike."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="search_document"
    )
    subject = models.OneToOneField(
        Subject, on_delete=models.CASCADE, null=True, blank=True, related_name="search_document"
    )
    action = models.OneToOneField(
        CaseAction, on_delete=models.CASCADE, null=True, blank=True, related_name="search_document"
    )
    terms = models.TextField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(case__isnull=False, subject__isnull=True, action__isnull=True)
                    | models.Q(case__isnull=True, subject__isnull=False, action__isnull=True)
                    | models.Q(case__isnull=True, subject__isnull=True, action__isnull=False)
                ),
                name="search_document_one_object",
            )
        ]
