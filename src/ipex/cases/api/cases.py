"""Cases API: cases, their steps, actions, subjects, officers, tasks and evidence."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ipex.campaigns.models import Campaign
from ipex.cases import services
from ipex.cases.evidence import evidence_add, evidence_open
from ipex.cases.models import (
    ActionKind,
    Case,
    CaseAction,
    CaseKind,
    CaseOutcome,
    CaseSubject,
    CaseTask,
    Evidence,
    LegalProvision,
    Subject,
    SubjectKind,
    SubjectRole,
)
from ipex.cases.queries import CaseFilter
from ipex.core.api import (
    ERROR_RESPONSES,
    ErrorSerializer,
    ShareActionMixin,
    SharedRecordSerializer,
    StrictSerializer,
    VisibleRelatedField,
    VisibleViewSet,
    documented,
    reader,
    step,
    validated,
)
from ipex.core.errors import DomainError
from ipex.core.models import Distribution
from ipex.core.renderers import CSVRenderer
from ipex.directory.models import Organisation, SharingGroup, User
from ipex.seizures.models import Seizure


class CaseSerializer(SharedRecordSerializer):
    campaign = serializers.UUIDField(source="campaign.uuid", allow_null=True, default=None)
    officers = serializers.SlugRelatedField(slug_field="email", many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "reference",
            "year",
            "kind",
            "title",
            "summary",
            "status",
            "outcome",
            "campaign",
            "officers",
        ]


class TaskSerializer(serializers.ModelSerializer):
    assignee = serializers.CharField(source="assignee.email")
    overdue = serializers.BooleanField(source="is_overdue")

    class Meta:
        model = CaseTask
        fields = ["id", "title", "due_on", "assignee", "done_at", "overdue"]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = [
            "uuid",
            "filename",
            "content_type",
            "size",
            "sha256",
            "description",
            "uploaded_at",
        ]


class CaseSubjectOutSerializer(serializers.ModelSerializer):
    uuid = serializers.UUIDField(source="subject.uuid")
    kind = serializers.CharField(source="subject.kind")
    name = serializers.CharField(source="subject.name")

    class Meta:
        model = CaseSubject
        fields = ["uuid", "kind", "name", "role"]


class CaseDetailSerializer(CaseSerializer):
    """One case with what hangs off it; seizures are those the caller can see."""

    tasks = TaskSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()
    subjects = CaseSubjectOutSerializer(source="subject_links", many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    seizures = serializers.SerializerMethodField()
    tips = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "tasks",
            "actions",
            "subjects",
            "evidence",
            "seizures",
            "tips",
        ]

    def get_tips(self, obj) -> list[str]:
        # tips sit above cases: reached through the relation they declare (Tip.case)
        visible = obj.tips.visible_to(reader(self))
        return [str(u) for u in visible.values_list("uuid", flat=True)]

    def get_actions(self, obj) -> list[dict]:
        return ActionOutSerializer(obj.actions.all(), many=True).data

    def get_seizures(self, obj) -> list[str]:
        visible = Seizure.objects.visible_to(reader(self))
        return [
            str(u)
            for u in obj.seizures.filter(pk__in=visible.values("pk")).values_list("uuid", flat=True)
        ]


class OfficersSerializer(StrictSerializer):
    add = serializers.ListField(child=serializers.EmailField(), required=False, default=list)
    remove = serializers.ListField(child=serializers.EmailField(), required=False, default=list)


class TaskInSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    assignee = serializers.EmailField()


class EvidenceInSerializer(StrictSerializer):
    file = serializers.FileField()
    description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class CaseInSerializer(StrictSerializer):
    owner_org = VisibleRelatedField(Organisation, "code")
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    campaign = VisibleRelatedField(Campaign, required=False, allow_null=True)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)
    sharing_group = VisibleRelatedField(SharingGroup, required=False, allow_null=True)


class CaseCloseSerializer(StrictSerializer):
    """The outcome the case is closed with."""

    outcome = serializers.ChoiceField(choices=CaseOutcome.choices)


class CaseReopenSerializer(StrictSerializer):
    """Why the case is reopened (audited)."""

    reason = serializers.CharField()


class LinkSeizureSerializer(StrictSerializer):
    seizure = VisibleRelatedField("seizures.Seizure")


class ActionOutSerializer(serializers.ModelSerializer):
    provision = serializers.CharField(source="provision.code", allow_null=True, default=None)
    article = serializers.SerializerMethodField()

    def get_article(self, action) -> dict | None:
        """The version of the provision's article in force on the action's date."""
        version = action.article_version
        if version is None:
            return None
        return {
            "url": version.get_absolute_url(),
            "number": version.article.number,
            "effective_from": version.effective_from,
            "effective_to": version.effective_to,
        }

    class Meta:
        model = CaseAction
        fields = [
            "kind",
            "taken_on",
            "notes",
            "provision",
            "article",
            "penalty_amount",
            "penalty_months",
            "out_of_range_reason",
        ]


class ActionInSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    taken_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    provision = VisibleRelatedField(LegalProvision, "code", required=False, allow_null=True)
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    months = serializers.IntegerField(required=False, allow_null=True)
    out_of_range_reason = serializers.CharField(required=False, allow_blank=True, default="")


class SubjectSerializer(serializers.ModelSerializer):
    owner_org = serializers.CharField(source="owner_org.code")
    cases = serializers.SerializerMethodField()

    class Meta:
        model = Subject
        fields = [
            "uuid",
            "kind",
            "name",
            "registration_number",
            "has_business_licence",
            "sid_code",
            "domain",
            "location",
            "is_personal_data",
            "owner_org",
            "cases",
        ]

    def get_cases(self, obj) -> list[str]:
        """The references of the subject's cases that the caller can see (one query)."""
        linked = {link.case_id for link in obj.links.all()}
        visible = Case.objects.visible_to(reader(self)).filter(pk__in=linked)
        return sorted(set(visible.values_list("reference", flat=True)))


class SubjectLinkSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=SubjectKind.choices)
    name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=SubjectRole.choices)
    registration_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    has_business_licence = serializers.BooleanField(required=False, default=False)
    sid_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    domain = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MergeSerializer(StrictSerializer):
    duplicate = VisibleRelatedField(Subject)


CASE = {200: CaseDetailSerializer, **ERROR_RESPONSES}
CASE_STEP = {
    **CASE,
    409: OpenApiResponse(ErrorSerializer, description="Not possible in the case's status"),
}


def _transition(action: str):
    """The service of one step of a case's workflow (``services.case_transition``)."""
    return partial(services.case_transition, action=action)


@extend_schema_view(
    list=extend_schema(
        tags=["cases"], parameters=[OpenApiParameter("format", str, enum=["json", "csv"])]
    ),
    retrieve=extend_schema(tags=["cases"], responses=CASE),
)
class CaseViewSet(
    ShareActionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet
):
    """Cases: opened by an organisation, moved along their workflow, linked to seizures,
    with officers, tasks, actions, subjects and evidence. ``?format=csv`` exports the list."""

    serializer_class = CaseSerializer
    queryset = Case.objects.select_related("owner_org", "origin_node", "campaign").prefetch_related(
        "officers"
    )
    filterset_class = CaseFilter
    renderer_classes = [JSONRenderer, CSVRenderer]

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action != "list" else CaseSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related(
                "tasks__assignee",
                "actions__provision__article__law",
                "actions__provision__article__versions",
                "subject_links__subject",
                "evidence",
            )
        return queryset

    def _detail(self, case, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(
            CaseDetailSerializer(fresh, context={"request": self.request}).data, status=code
        )

    @extend_schema(tags=["cases"], request=OfficersSerializer, responses=CASE)
    @action(detail=True, methods=["post"])
    def officers(self, request, uuid=None):
        """Add and remove officers (members of the case's organisation), by e-mail."""
        case = self.get_object()
        data = validated(request, OfficersSerializer)
        members = User.objects.filter(memberships__organisation=case.owner_org).distinct()

        def users(emails, field):
            found = {
                u.email.lower(): u for u in members.filter(email__in=[e.lower() for e in emails])
            }
            missing = [e for e in emails if e.lower() not in found]
            if missing:
                raise DomainError(
                    _("Not members of %(org)s: %(emails)s.")
                    % {"org": case.owner_org.name, "emails": ", ".join(missing)},
                    fields={field: [_("Choose a member of the case's organisation.")]},
                )
            return list(found.values())

        services.case_set_officers(
            actor=self.actor,
            case=case,
            add=users(data["add"], "add"),
            remove=users(data["remove"], "remove"),
        )
        return self._detail(case)

    @documented("cases", TaskInSerializer, TaskSerializer, status=201)
    @action(detail=True, methods=["post"])
    def tasks(self, request, uuid=None):
        """Add a task with a due date for a member of the case's organisation."""
        case = self.get_object()
        data = validated(request, TaskInSerializer)
        assignee = (
            User.objects.filter(
                email__iexact=data["assignee"],
                memberships__organisation=case.owner_org,
            )
            .distinct()
            .first()
        )
        task = services.task_add(
            actor=self.actor,
            case=case,
            title=data["title"],
            due_on=data["due_on"],
            assignee=assignee,
        )
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @documented("cases", None, TaskSerializer)
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task_id>[0-9]+)/done")
    def task_done(self, request, uuid=None, task_id=None):
        """Mark a task done."""
        case = self.get_object()
        task = case.tasks.filter(pk=task_id).first()
        if task is None:
            raise Http404
        return Response(TaskSerializer(services.task_complete(actor=self.actor, task=task)).data)

    @extend_schema(
        tags=["cases"],
        methods=["GET"],
        request=None,
        responses={200: EvidenceSerializer(many=True), **ERROR_RESPONSES},
    )
    @extend_schema(
        tags=["cases"],
        methods=["POST"],
        request={"multipart/form-data": EvidenceInSerializer},
        responses={201: EvidenceSerializer, **ERROR_RESPONSES},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser],
        pagination_class=None,  # all of a case's files, one list: the schema says so too
        url_path="evidence",
    )
    def evidence(self, request, uuid=None):
        """List the case's evidence files, or upload one (PDF, PNG, JPEG or ZIP; its content
        must match its name)."""
        case = self.get_object()
        if request.method == "GET":
            return Response(EvidenceSerializer(case.evidence.all(), many=True).data)
        if getattr(request, "upload_too_large", False):
            raise DomainError(_("The file is larger than the upload limit."), code="too_large")
        data = validated(request, EvidenceInSerializer)
        row = evidence_add(
            actor=self.actor,
            case=case,
            upload=data["file"],
            description=data["description"],
        )
        return Response(EvidenceSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["cases"],
        # The file comes back in the media type it was uploaded with (a PDF, a photo …).
        responses={(200, "*/*"): OpenApiTypes.BINARY, **ERROR_RESPONSES},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"evidence/(?P<evidence_uuid>[0-9a-fA-F-]{36})",
    )
    def evidence_file(self, request, uuid=None, evidence_uuid=None):
        """Download an evidence file through its case; every download is audited."""
        case = self.get_object()
        try:
            evidence = case.evidence.filter(uuid=evidence_uuid).first()
        except (ValueError, DjangoValidationError):
            evidence = None
        if evidence is None:
            raise Http404
        return FileResponse(
            evidence_open(actor=self.actor, evidence=evidence),
            as_attachment=True,
            filename=evidence.filename,
            content_type=evidence.content_type,
        )

    @documented("cases", CaseInSerializer, CaseSerializer, status=201)
    def create(self, request):
        data = validated(request, CaseInSerializer)
        case = services.case_open(actor=self.actor, **data)
        return self._detail(case, status.HTTP_201_CREATED)

    step_tag, step_responses, step_record = "cases", CASE_STEP, "case"

    investigate = step(
        _transition("investigate"), None, "Start investigating an open case. Takes no body."
    )
    take_action = step(
        _transition("take_action"),
        None,
        "Record that enforcement action was taken in a case under investigation. Takes no body.",
        url_path="take-action",
    )
    refer = step(
        _transition("refer"),
        None,
        "Refer a case whose action was taken for prosecution. Takes no body.",
    )
    close = step(
        _transition("close"), CaseCloseSerializer, "Close a case under way with its outcome."
    )
    reopen = step(
        _transition("reopen"),
        CaseReopenSerializer,
        "Reopen a closed case, saying why (the reason is audited).",
    )
    link_seizure = step(
        services.case_link_seizure, LinkSeizureSerializer, responses=CASE, url_path="seizures"
    )

    @documented("cases", ActionInSerializer, ActionOutSerializer, status=201)
    @action(detail=True, methods=["post"], url_path="actions")
    def record_action(self, request, uuid=None):
        """Record an action (with a penalty under a legal provision; outside its range only
        with a reason)."""
        case = self.get_object()
        data = validated(request, ActionInSerializer)
        row = services.case_add_action(actor=self.actor, case=case, **data)
        return Response(ActionOutSerializer(row).data, status=status.HTTP_201_CREATED)

    @documented("cases", SubjectLinkSerializer, SubjectSerializer, status=201)
    @action(detail=True, methods=["post"], url_path="subjects")
    def link_subject(self, request, uuid=None):
        """Link a subject; a known registration number, SID code or domain reuses it."""
        case = self.get_object()
        data = validated(request, SubjectLinkSerializer)
        subject = services.subject_link(actor=self.actor, case=case, **data)
        return Response(
            SubjectSerializer(subject, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(tags=["cases"]),
    retrieve=documented("cases", answer=SubjectSerializer),
)
class SubjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Subjects of the cases the user can see; one subject across cases."""

    serializer_class = SubjectSerializer
    queryset = Subject.objects.select_related("owner_org").prefetch_related("links__case")

    @documented("cases", MergeSerializer, SubjectSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, uuid=None):
        return self.changed(services.subject_merge, "keep", MergeSerializer)
