"""Seizures, period reports, categories and statistics API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ipex.campaigns.models import Campaign
from ipex.core.api import (
    ERROR_RESPONSES,
    KeptReadsMixin,
    ShareActionMixin,
    SharedRecordSerializer,
    StrictSerializer,
    VisibleRelatedField,
    VisibleViewSet,
    country_parameter,
    documented,
    is_year,
    step,
    validated,
)
from ipex.core.errors import DomainError
from ipex.core.models import Distribution, Job
from ipex.core.renderers import CSVRenderer
from ipex.directory.models import Jurisdiction, Organisation, SharingGroup
from ipex.seizures import imports, services
from ipex.seizures.models import (
    Category,
    Disposition,
    FigureSource,
    Method,
    PeriodKind,
    PeriodReport,
    SeizedItem,
    Seizure,
    Unit,
)
from ipex.seizures.queries import BY_CHOICES, SeizureFilter, reports_for, seizure_stats


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    parent = serializers.CharField(source="parent.code", read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            *Category.NAME_FIELDS,
            "parent",
            "valid_from",
            "valid_to",
        ]


class ItemSerializer(StrictSerializer):
    category = serializers.CharField(max_length=60)
    quantity = serializers.IntegerField(min_value=0)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    value_amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    value_currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    disposition = serializers.ChoiceField(choices=Disposition.choices, required=False)


class ItemOutSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code")

    class Meta:
        model = SeizedItem
        fields = [
            "line_no",
            "category",
            "description",
            "quantity",
            "unit",
            "value_amount",
            "value_currency",
            "disposition",
        ]


class SeizureSerializer(SharedRecordSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code")
    campaign = serializers.UUIDField(source="campaign.uuid", allow_null=True, default=None)
    items = ItemOutSerializer(many=True)
    total_quantity = serializers.IntegerField()

    class Meta:
        model = Seizure
        fields = [
            "updated_at",
            "reference",
            "seized_on",
            "jurisdiction",
            "place",
            "method",
            "notes",
            "campaign",
            "items",
            "total_quantity",
        ]


class SeizureInSerializer(StrictSerializer):
    owner_org = VisibleRelatedField(Organisation, "code")
    seized_on = serializers.DateField()
    jurisdiction = VisibleRelatedField(Jurisdiction, "code")
    method = serializers.ChoiceField(choices=Method.choices)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)
    sharing_group = VisibleRelatedField(SharingGroup, required=False, allow_null=True)
    campaign = VisibleRelatedField(Campaign, required=False, allow_null=True)
    items = ItemSerializer(many=True)


class SeizureUpdateSerializer(StrictSerializer):
    seized_on = serializers.DateField(required=False)
    jurisdiction = VisibleRelatedField(Jurisdiction, "code", required=False)
    method = serializers.ChoiceField(choices=Method.choices, required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    campaign = VisibleRelatedField(Campaign, required=False, allow_null=True)
    items = ItemSerializer(many=True, required=False)


class ImportInSerializer(StrictSerializer):
    file = serializers.FileField()
    owner_org = VisibleRelatedField(Organisation, "code")
    dry_run = serializers.BooleanField(required=False, default=False)
    encoding = serializers.ChoiceField(
        choices=["utf-8", "gbk", "gb18030", "cp1251"], required=False, allow_blank=True
    )


class ImportOutSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    already_imported = serializers.BooleanField()
    rows = serializers.IntegerField()
    seizures = serializers.IntegerField()
    items = serializers.IntegerField()
    quantity = serializers.IntegerField()
    batch = serializers.UUIDField(allow_null=True)
    imported_at = serializers.DateTimeField(allow_null=True)
    message = serializers.CharField()


class ImportQueuedSerializer(serializers.Serializer):
    job = serializers.UUIDField()
    message = serializers.CharField()


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField()


@extend_schema_view(
    list=extend_schema(
        tags=["seizures"], parameters=[OpenApiParameter("format", str, enum=["json", "csv"])]
    ),
    retrieve=documented("seizures", answer=SeizureSerializer),
)
class SeizureViewSet(
    ShareActionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet
):
    """Seizures the user may see; recorded and changed by the owner organisation only."""

    serializer_class = SeizureSerializer
    queryset = Seizure.objects.select_related(
        "owner_org", "jurisdiction", "origin_node", "campaign"
    ).prefetch_related("items__category")
    filterset_class = SeizureFilter
    renderer_classes = [JSONRenderer, CSVRenderer]

    @documented("seizures", SeizureInSerializer, SeizureSerializer, status=201)
    def create(self, request):
        data = validated(request, SeizureInSerializer)
        values = dict(data)
        values["items"] = [dict(item) for item in values["items"]]
        seizure = services.seizure_record(actor=self.actor, **values)
        return Response(
            SeizureSerializer(self.get_queryset().get(pk=seizure.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @documented("seizures", SeizureUpdateSerializer, SeizureSerializer)
    def partial_update(self, request, uuid=None):
        seizure = self.get_object()
        values = dict(validated(request, SeizureUpdateSerializer, partial=True))
        if "items" in values:
            values["items"] = [dict(item) for item in values["items"]]
        services.seizure_update(actor=self.actor, seizure=seizure, **values)
        return Response(SeizureSerializer(self.get_queryset().get(pk=seizure.pk)).data)

    @extend_schema(
        tags=["seizures"],
        request={"multipart/form-data": ImportInSerializer},
        responses={200: ImportOutSerializer, 202: ImportQueuedSerializer, **ERROR_RESPONSES},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="imports",
        parser_classes=[MultiPartParser, FormParser],
    )
    def imports(self, request):
        """Import a CSV or XLSX file (all or nothing, row-numbered errors, the same file twice
        is imported once). A large file is queued: the answer is 202 with the job to follow."""
        if getattr(request._request, "upload_too_large", False):
            raise DomainError(imports.upload_too_large_message(), code="too_large")
        data = validated(request, ImportInSerializer)
        values = data
        outcome = imports.start(
            actor=self.actor,
            owner_org=values["owner_org"],
            upload=values["file"],
            dry_run=values["dry_run"],
            encoding=values.get("encoding"),
        )
        if isinstance(outcome, Job):
            return Response(
                {"job": str(outcome.uuid), "message": _("Queued.")},
                status=status.HTTP_202_ACCEPTED,
            )
        return Response(outcome.as_dict() | {"message": outcome.message})

    @documented("seizures", ReasonSerializer, None, status=204)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, uuid=None):
        seizure = self.get_object()
        data = validated(request, ReasonSerializer)
        services.seizure_withdraw(actor=self.actor, seizure=seizure, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(tags=["seizures"]))
class CategoryViewSet(mixins.ListModelMixin, VisibleViewSet):
    """The category vocabulary, with validity periods."""

    serializer_class = CategorySerializer
    queryset = Category.objects.select_related("parent")
    pagination_class = None
    permission_classes = [permissions.AllowAny]


class ReportLineSerializer(serializers.Serializer):
    category = serializers.CharField(source="category.code")
    quantity = serializers.IntegerField()


class ReportSerializer(SharedRecordSerializer):
    period = serializers.CharField(source="period_label")
    lines = ReportLineSerializer(many=True)
    revises = serializers.UUIDField(source="revises.uuid", allow_null=True)
    problems = serializers.SerializerMethodField()

    class Meta:
        model = PeriodReport
        fields = [
            "period_kind",
            "year",
            "number",
            "period",
            "revision",
            "revises",
            "status",
            "source",
            "declared_total",
            "comment",
            "return_reason",
            "submitted_at",
            "approved_at",
            "lines",
            "problems",
        ]

    def get_problems(self, obj) -> dict[str, list[str]]:
        return services.report_problems(obj) if obj.is_editable else {}


class ReportInSerializer(StrictSerializer):
    owner_org = VisibleRelatedField(Organisation, "code")
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    year = serializers.IntegerField()
    number = serializers.IntegerField(required=False, default=0)


class ReportLinesInSerializer(StrictSerializer):
    lines = serializers.DictField(child=serializers.IntegerField(min_value=0))
    declared_total = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    comment = serializers.CharField(required=False, allow_blank=True)


REPORT = {200: ReportSerializer, **ERROR_RESPONSES}


@extend_schema_view(
    list=extend_schema(tags=["reports"]),
    retrieve=extend_schema(tags=["reports"], responses=REPORT),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Period reports: the owner fills and submits; the supervising organisation approves
    (which locks the report) or returns it with a reason."""

    serializer_class = ReportSerializer
    queryset = PeriodReport.objects.select_related(
        "owner_org", "origin_node", "revises"
    ).prefetch_related("lines__category")

    def get_queryset(self):
        queryset = super().get_queryset()
        year = self.request.query_params.get("year")
        if year and is_year(year):
            queryset = queryset.filter(year=int(year))
        return queryset

    @documented("reports", ReportInSerializer, ReportSerializer, status=201)
    def create(self, request):
        return self.created(services.report_create, ReportInSerializer, ReportSerializer)

    @extend_schema(tags=["reports"], request=ReportLinesInSerializer, responses=REPORT)
    @action(detail=True, methods=["put"])
    def lines(self, request, uuid=None):
        return self.changed(services.report_set_lines, "report", ReportLinesInSerializer)

    step_tag, step_responses = "reports", REPORT

    def run_step(self, service, body):
        """A step of the report: its answer is the report the step leaves, new (201) when it
        makes a revision."""
        report = self.get_object()
        data = validated(self.request, body) if body else {}
        result = service(actor=self.actor, report=report, **data)
        return Response(
            ReportSerializer(reports_for(self.request.user).get(pk=result.pk)).data,
            status=status.HTTP_201_CREATED if result.pk != report.pk else 200,
        )

    prefill = step(services.report_prefill)
    submit = step(services.report_submit)
    approve = step(services.report_approve)
    return_ = step(services.report_return, ReasonSerializer, url_path="return")
    revise = step(
        services.report_revise,
        ReasonSerializer,
        responses={201: ReportSerializer, **ERROR_RESPONSES},
    )


class StatsRowSerializer(serializers.Serializer):
    quantity = serializers.IntegerField()
    category = serializers.CharField(required=False)
    jurisdiction = serializers.CharField(required=False)
    month = serializers.IntegerField(required=False)
    org_kind = serializers.CharField(required=False)
    year = serializers.IntegerField(required=False)
    name = serializers.CharField(required=False)


class SeizureStatsView(KeptReadsMixin, APIView):
    """Seizure figures from the roll-ups: by category, jurisdiction, month, organisation kind
    or year. Figures from approved reports are public; ``source=records`` (figures from seizure
    records, labelled as such) is for statisticians and supervisors."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        tags=["statistics"],
        parameters=[
            country_parameter("Jurisdiction code: CN, or CN-GD to drill down"),
            OpenApiParameter("year", int),
            OpenApiParameter("by", str, enum=list(BY_CHOICES)),
            OpenApiParameter("level", str, enum=["country", "province", "city", "county"]),
            OpenApiParameter("source", str, enum=list(FigureSource.values)),
            OpenApiParameter("category", str),
            OpenApiParameter("format", str, enum=["json", "csv"]),
        ],
        responses={
            200: StatsRowSerializer(many=True),
            400: ERROR_RESPONSES[400],
            403: ERROR_RESPONSES[403],
        },
    )
    def get(self, request):
        params = request.query_params
        year = params.get("year")
        try:
            year_value = int(year) if year not in (None, "") else None
        except ValueError:
            year_value = -1
        if year_value == -1:
            raise DomainError(
                _("The statistics request is not valid."),
                fields={"year": [_("Give the year as a number, e.g. 2012.")]},
            )
        rows = seizure_stats(
            request.user,
            area=params.get("country", ""),
            year=year_value,
            by=params.get("by", "category"),
            level=params.get("level") or None,
            source=params.get("source", FigureSource.REPORTS),
            category=params.get("category") or None,
        )
        return Response(rows)
