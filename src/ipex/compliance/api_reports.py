"""Software legalisation API: yearly self-reports and inspections (under
/api/v1/compliance/self-reports and /api/v1/compliance/inspections), and the statistics
(/api/v1/stats/compliance)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ipex.compliance import services, statistics
from ipex.compliance.api import TAG, BodyCodeField, by_body_and_year
from ipex.compliance.figures import Dimension
from ipex.compliance.models import (
    Entitlement,
    Inspection,
    Product,
    RectificationProof,
    SelfReport,
)
from ipex.core.api import (
    ERROR_RESPONSES,
    KeptReadsMixin,
    StrictSerializer,
    VisibleRelatedField,
    VisibleViewSet,
    country_parameter,
    documented,
    validated,
)
from ipex.core.audit import actor_from_request
from ipex.core.renderers import CSVRenderer
from ipex.seizures.api import ReasonSerializer


class SelfReportSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.organisation.code")

    class Meta:
        model = SelfReport
        fields = [
            "uuid",
            "body",
            "year",
            "status",
            "devices",
            "licensed_os",
            "licensed_office",
            "licensed_antivirus",
            "spent",
            "explanation",
            "return_reason",
            "submitted_at",
            "decided_at",
        ]


class SelfReportInSerializer(StrictSerializer):
    body = BodyCodeField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    devices = serializers.IntegerField(min_value=0, max_value=1_000_000_000)
    licensed_os = serializers.IntegerField(min_value=0, max_value=1_000_000_000)
    licensed_office = serializers.IntegerField(min_value=0, max_value=1_000_000_000)
    licensed_antivirus = serializers.IntegerField(min_value=0, max_value=1_000_000_000)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    explanation = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(tags=[TAG], responses={200: SelfReportSerializer, **ERROR_RESPONSES}),
)
class SelfReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Yearly self-reports (``?body=CODE&year=``): a body sees its own, an administration
    those of the bodies below it."""

    serializer_class = SelfReportSerializer
    queryset = SelfReport.objects.select_related("body__organisation")

    def get_queryset(self):
        return by_body_and_year(super().get_queryset(), self.request.query_params)

    @documented(TAG, SelfReportInSerializer, SelfReportSerializer, status=201)
    def create(self, request):
        """Submit a year's self-report (or send a returned one again)."""
        return self.created(
            services.selfreport_submit, SelfReportInSerializer, SelfReportSerializer
        )

    @documented(TAG, None, SelfReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, uuid=None):
        return self.changed(services.selfreport_approve, "report")

    @documented(TAG, ReasonSerializer, SelfReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, uuid=None):
        return self.changed(services.selfreport_return, "report", ReasonSerializer)


# ---------------------------------------------------------------- inspections


class FindingSerializer(serializers.Serializer):
    device = serializers.CharField()
    product = serializers.UUIDField(source="product.uuid")
    product_name = serializers.CharField(source="product.__str__")
    licensed = serializers.BooleanField()
    evidence = serializers.CharField()


class RectificationProofSerializer(serializers.ModelSerializer):
    entitlement = serializers.SlugRelatedField(slug_field="uuid", read_only=True)

    class Meta:
        model = RectificationProof
        fields = ["uuid", "entitlement", "file_name", "file_type", "file_sha256", "created_at"]


class InspectionSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.organisation.code")
    administration = serializers.CharField(source="administration.code")
    findings = FindingSerializer(many=True, read_only=True)
    proofs = RectificationProofSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "uuid",
            "body",
            "year",
            "administration",
            "status",
            "sample_size",
            "seed",
            "sample",
            "findings",
            "deadline",
            "order",
            "answer",
            "proofs",
            "escalated_at",
        ]


class InspectionInSerializer(StrictSerializer):
    body = BodyCodeField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    sample_size = serializers.IntegerField(min_value=1, max_value=1000)


class DrawSerializer(StrictSerializer):
    seed = serializers.IntegerField(
        min_value=0, max_value=2**62, required=False, allow_null=True, default=None
    )


class FindingInSerializer(StrictSerializer):
    device = serializers.CharField(max_length=200)
    product = VisibleRelatedField(Product)
    licensed = serializers.BooleanField()
    evidence = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ConcludeSerializer(StrictSerializer):
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    order = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class AnswerSerializer(StrictSerializer):
    """The body's answer; ``entitlements``: uuids of its entitlements that prove it (licences
    bought); ``proofs``: files (multipart), checked by content."""

    answer = serializers.CharField(max_length=4000)
    entitlements = VisibleRelatedField(Entitlement, many=True, required=False)
    proofs = serializers.ListField(child=serializers.FileField(), required=False)


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(tags=[TAG], responses={200: InspectionSerializer, **ERROR_RESPONSES}),
)
class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Inspections (``?body=CODE&year=``): plan, draw the sample (``seed`` to draw a known
    one again), findings on sampled devices, conclude (compliant, or a rectification order
    with ``deadline``), the body's answer, the follow-up."""

    serializer_class = InspectionSerializer
    queryset = Inspection.objects.select_related(
        "body__organisation", "administration"
    ).prefetch_related("findings__product", "proofs__entitlement")

    def get_queryset(self):
        return by_body_and_year(super().get_queryset(), self.request.query_params)

    @documented(TAG, InspectionInSerializer, InspectionSerializer, status=201)
    def create(self, request):
        return self.created(services.inspection_plan, InspectionInSerializer, InspectionSerializer)

    @documented(TAG, DrawSerializer, InspectionSerializer)
    @action(detail=True, methods=["post"])
    def draw(self, request, uuid=None):
        return self.changed(services.inspection_draw, "inspection", DrawSerializer)

    @documented(TAG, FindingInSerializer, InspectionSerializer)
    @action(detail=True, methods=["post"])
    def findings(self, request, uuid=None):
        return self.changed(services.finding_record, "inspection", FindingInSerializer)

    @documented(TAG, ConcludeSerializer, InspectionSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, uuid=None):
        return self.changed(services.inspection_conclude, "inspection", ConcludeSerializer)

    @documented(TAG, AnswerSerializer, InspectionSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def rectify(self, request, uuid=None):
        return self.changed(services.inspection_rectify, "inspection", AnswerSerializer)

    @documented(TAG, None, InspectionSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, uuid=None):
        return self.changed(services.inspection_follow_up, "inspection")


# ---------------------------------------------------------------- statistics


class ComplianceStatsRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    devices = serializers.IntegerField()
    compliant_devices = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class PublishSerializer(StrictSerializer):
    country = serializers.CharField(max_length=40)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ComplianceStatsView(KeptReadsMixin, APIView):
    """Compliance rates from the kept figures: by jurisdiction (every level), body_kind or
    family. Public once the country's national statistician approved the year's figures."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        tags=["statistics"],
        parameters=[
            country_parameter("Country code, e.g. CN"),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("by", str, enum=list(Dimension.values)),
        ],
        responses={200: ComplianceStatsRowSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request):
        rows, _public = statistics.readable_stats(request.user, request.query_params)
        return Response(rows)


class ComplianceStatsApproveView(KeptReadsMixin, APIView):
    """The national statistician approves the year's figures: public from then on."""

    @documented("statistics", PublishSerializer, PublishSerializer, status=201)
    def post(self, request):
        data = validated(request, PublishSerializer)
        services.figures_approve(actor=actor_from_request(request), **data)
        return Response(data, status=201)
