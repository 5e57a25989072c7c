"""Special-action API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from ipex.cases import services
from ipex.cases.models import (
    ActionKind,
    Campaign,
    Case,
    CaseAction,
    CaseKind,
    CaseOutcome,
    LegalProvision,
    Metric,
    Subject,
    SubjectKind,
    SubjectRole,
)
from ipex.cases.queries import campaign_progress, enforcement_figures
from ipex.core.api import ERROR_RESPONSES, StrictSerializer, VisibleViewSet
from ipex.core.errors import DomainError
from ipex.core.models import Distribution
from ipex.directory.models import Organisation


class ProgressSerializer(serializers.Serializer):
    metric = serializers.CharField(source="target.metric")
    category = serializers.CharField(source="target.category")
    target = serializers.IntegerField(source="target.target")
    done = serializers.IntegerField()
    percent = serializers.IntegerField()


class CampaignSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    owner_org = serializers.CharField(source="owner_org.code")
    participants = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "uuid",
            "name",
            "name_en",
            "name_zh_hans",
            "name_ru",
            "starts_on",
            "ends_on",
            "description",
            "owner_org",
            "participants",
            "distribution",
            "version",
            "progress",
        ]

    def get_progress(self, obj) -> list[dict]:
        request = self.context.get("request")
        rows = campaign_progress(getattr(request, "user", None), obj)
        return ProgressSerializer(rows, many=True).data


class CampaignInSerializer(StrictSerializer):
    owner_org = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    name_en = serializers.CharField(max_length=200)
    name_zh_hans = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    name_ru = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    participants = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Organisation.objects.all()
    )
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)


class TargetInSerializer(StrictSerializer):
    metric = serializers.ChoiceField(choices=Metric.choices)
    category = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    target = serializers.IntegerField(min_value=1)


@extend_schema_view(
    list=extend_schema(tags=["special actions"]),
    retrieve=extend_schema(
        tags=["special actions"], responses={200: CampaignSerializer, **ERROR_RESPONSES}
    ),
)
class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Special actions with their targets and progress (counted over the seizures the caller
    can see)."""

    serializer_class = CampaignSerializer
    queryset = Campaign.objects.select_related("owner_org").prefetch_related(
        "participants", "targets"
    )

    @extend_schema(
        tags=["special actions"],
        request=CampaignInSerializer,
        responses={201: CampaignSerializer, **ERROR_RESPONSES},
    )
    def create(self, request):
        data = CampaignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_create(actor=self.actor, **data.validated_data)
        return Response(
            CampaignSerializer(campaign, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=["special actions"],
        request=TargetInSerializer,
        responses={200: CampaignSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def targets(self, request, uuid=None):
        campaign = self.get_object()
        data = TargetInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.campaign_add_target(actor=self.actor, campaign=campaign, **data.validated_data)
        return Response(CampaignSerializer(self.get_object(), context={"request": request}).data)


class CaseSerializer(serializers.ModelSerializer):
    owner_org = serializers.CharField(source="owner_org.code")
    campaign = serializers.UUIDField(source="campaign.uuid", allow_null=True, default=None)

    class Meta:
        model = Case
        fields = [
            "uuid",
            "reference",
            "year",
            "kind",
            "title",
            "summary",
            "status",
            "outcome",
            "owner_org",
            "campaign",
            "distribution",
            "version",
            "created_at",
        ]


class CaseInSerializer(StrictSerializer):
    owner_org = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    campaign = serializers.SlugRelatedField(
        slug_field="uuid", required=False, allow_null=True, queryset=Campaign.objects.all()
    )
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)


class CaseStepSerializer(StrictSerializer):
    action = serializers.ChoiceField(choices=list(services.CASE_ACTIONS))
    outcome = serializers.ChoiceField(
        choices=CaseOutcome.choices, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class LinkSeizureSerializer(StrictSerializer):
    seizure = serializers.UUIDField()


class ActionOutSerializer(serializers.ModelSerializer):
    provision = serializers.CharField(source="provision.code", allow_null=True, default=None)

    class Meta:
        model = CaseAction
        fields = [
            "kind",
            "taken_on",
            "notes",
            "provision",
            "penalty_amount",
            "penalty_months",
            "out_of_range_reason",
        ]


class ActionInSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    taken_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    provision = serializers.SlugRelatedField(
        slug_field="code", required=False, allow_null=True, queryset=LegalProvision.objects.all()
    )
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
        request = self.context.get("request")
        visible = Case.objects.visible_to(getattr(request, "user", None))
        return sorted(
            {
                link.case.reference
                for link in obj.links.all()
                if link.case_id in set(visible.values_list("pk", flat=True))
            }
        )


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
    duplicate = serializers.UUIDField()


CASE = {200: CaseSerializer, **ERROR_RESPONSES}


@extend_schema_view(
    list=extend_schema(tags=["cases"]),
    retrieve=extend_schema(tags=["cases"], responses=CASE),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Cases: opened by an organisation, moved along their workflow, linked to seizures."""

    serializer_class = CaseSerializer
    queryset = Case.objects.select_related("owner_org", "campaign")

    @extend_schema(
        tags=["cases"], request=CaseInSerializer, responses={201: CaseSerializer, **ERROR_RESPONSES}
    )
    def create(self, request):
        data = CaseInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_open(actor=self.actor, **data.validated_data)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["cases"], request=CaseStepSerializer, responses=CASE)
    @action(detail=True, methods=["post"])
    def step(self, request, uuid=None):
        case = self.get_object()
        data = CaseStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_transition(actor=self.actor, case=case, **data.validated_data)
        return Response(CaseSerializer(case).data)

    @extend_schema(tags=["cases"], request=LinkSeizureSerializer, responses=CASE)
    @action(detail=True, methods=["post"], url_path="seizures")
    def link_seizure(self, request, uuid=None):
        from ipex.seizures.models import Seizure

        case = self.get_object()
        data = LinkSeizureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        seizure = (
            Seizure.objects.visible_to(request.user)
            .filter(uuid=data.validated_data["seizure"])
            .first()
        )
        if seizure is None:
            raise DomainError(
                _("Unknown seizure."), fields={"seizure": [_("Unknown.")]}, code="not_found"
            )
        services.case_link_seizure(actor=self.actor, case=case, seizure=seizure)
        return Response(CaseSerializer(case).data)

    @extend_schema(
        tags=["cases"],
        request=ActionInSerializer,
        responses={201: ActionOutSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="actions")
    def record_action(self, request, uuid=None):
        """Record an action (with a penalty under a legal provision; outside its range only
        with a reason)."""
        case = self.get_object()
        data = ActionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.case_add_action(actor=self.actor, case=case, **data.validated_data)
        return Response(ActionOutSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["cases"],
        request=SubjectLinkSerializer,
        responses={201: SubjectSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="subjects")
    def link_subject(self, request, uuid=None):
        """Link a subject; a known registration number, SID code or domain reuses it."""
        case = self.get_object()
        data = SubjectLinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        subject = services.subject_link(actor=self.actor, case=case, **data.validated_data)
        return Response(
            SubjectSerializer(subject, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(tags=["cases"]),
    retrieve=extend_schema(tags=["cases"], responses={200: SubjectSerializer, **ERROR_RESPONSES}),
)
class SubjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Subjects of the cases the user can see; one subject across cases."""

    serializer_class = SubjectSerializer
    queryset = Subject.objects.select_related("owner_org").prefetch_related("links__case")

    @extend_schema(
        tags=["cases"],
        request=MergeSerializer,
        responses={200: SubjectSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, uuid=None):
        keep = self.get_object()
        data = MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        duplicate = self.get_queryset().filter(uuid=data.validated_data["duplicate"]).first()
        if duplicate is None:
            raise DomainError(
                _("Unknown subject."), fields={"duplicate": [_("Unknown.")]}, code="not_found"
            )
        services.subject_merge(actor=self.actor, keep=keep, duplicate=duplicate)
        return Response(SubjectSerializer(self.get_object(), context={"request": request}).data)


class EnforcementStatsView(APIView):
    """Enforcement figures from cases, actions and penalties the caller can see."""

    @extend_schema(
        tags=["statistics"],
        parameters=[
            OpenApiParameter(
                "country",
                str,
                required=True,
                description="Jurisdiction code: CN, or CN-GD to narrow",
            ),
            OpenApiParameter("year", int, required=True),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERROR_RESPONSES},
    )
    def get(self, request):
        year = request.query_params.get("year", "")
        if not year.isdigit():
            raise DomainError(
                _("The statistics request is not valid."),
                fields={"year": [_("Give the year as a number, e.g. 2012.")]},
            )
        return Response(
            enforcement_figures(
                request.user, area=request.query_params.get("country", ""), year=int(year)
            )
        )
