"""Software legalisation API: yearly self-reports (under /api/v1/compliance/self-reports)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from ipex.compliance import services
from ipex.compliance.api import TAG, BodyCodeField, by_body_and_year
from ipex.compliance.models import SelfReport
from ipex.core.api import ERROR_RESPONSES, StrictSerializer, VisibleViewSet, documented


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


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


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
