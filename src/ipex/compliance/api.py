"""The software-legalisation API: bodies and their obligations, the product catalogue, rules
and the unmatched strings (later: inventories, entitlements, reconciliation)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from ipex.compliance import queries, services
from ipex.compliance.inventories import inventory_import
from ipex.compliance.models import (
    AuditedBody,
    BodyCompliance,
    BodyKind,
    Entitlement,
    Inventory,
    InventoryFormat,
    LicenceMetric,
    NormalisationRule,
    Obligation,
    Product,
    ProductCompliance,
    RawString,
    RuleKind,
)
from ipex.core.api import (
    ERROR_RESPONSES,
    StrictModelSerializer,
    StrictSerializer,
    VisibleRelatedField,
    VisibleViewSet,
    documented,
    is_year,
    name_inputs,
    validated,
)
from ipex.directory.models import Jurisdiction, Organisation

TAG = "compliance"


@extend_schema_field(OpenApiTypes.STR)
class BodyCodeField(VisibleRelatedField):
    """An audited body named by its organisation's code, through the door."""

    def __init__(self, **kwargs):
        super().__init__(AuditedBody, "organisation__code", **kwargs)


# ---------------------------------------------------------------- bodies and obligations


class BodySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="organisation.code")
    name = serializers.CharField(source="organisation.name")
    jurisdiction = serializers.CharField(source="organisation.jurisdiction.code")
    administration = serializers.SerializerMethodField()
    years = serializers.SerializerMethodField()

    class Meta:
        model = AuditedBody
        fields = ["uuid", "code", "name", "body_kind", "jurisdiction", "administration", "years"]

    def get_administration(self, body) -> str | None:
        if hasattr(body, "administration_code"):  # read with the list (queries.BODIES)
            return body.administration_code
        parent = body.organisation.supervisor
        return parent.code if parent else None

    def get_years(self, body) -> list[int]:
        return sorted(o.year for o in body.obligations.all())


class BodyInSerializer(StrictSerializer):
    administration = VisibleRelatedField(Organisation, "code")
    code = serializers.CharField(max_length=40)
    name_en, name_zh_hans, name_ru = name_inputs()
    body_kind = serializers.ChoiceField(choices=BodyKind.choices)
    jurisdiction = VisibleRelatedField(Jurisdiction, "code", required=False)


class YearSerializer(StrictSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ObligationSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.organisation.code")

    class Meta:
        model = Obligation
        fields = ["uuid", "body", "year", "created_at"]


class ObligationImportSerializer(StrictSerializer):
    administration = VisibleRelatedField(Organisation, "code")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    file = serializers.FileField()


class ObligationImportedSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    registered = serializers.IntegerField()
    already = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(tags=[TAG], responses={200: BodySerializer, **ERROR_RESPONSES}),
)
class BodyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Audited bodies: a body sees itself, an administration the bodies of its area."""

    serializer_class = BodySerializer
    queryset = queries.BODIES

    @documented(TAG, BodyInSerializer, BodySerializer, status=201)
    def create(self, request):
        return self.created(services.body_register, BodyInSerializer, BodySerializer)

    @documented(TAG, YearSerializer, ObligationSerializer, status=201)
    @action(detail=True, methods=["post"])
    def obligations(self, request, uuid=None):
        """Put the body on the list of those that must report for a year."""
        body = self.get_object()
        data = validated(request, YearSerializer)
        obligation = services.obligation_add(actor=self.actor, body=body, year=data["year"])
        return Response(ObligationSerializer(obligation).data, status=201)


@extend_schema_view(list=extend_schema(tags=[TAG]))
class ObligationViewSet(mixins.ListModelMixin, VisibleViewSet):
    """The yearly lists of bodies that must report (``?year=``)."""

    serializer_class = ObligationSerializer
    queryset = Obligation.objects.select_related("body__organisation")

    def get_queryset(self):
        return by_body_and_year(super().get_queryset(), self.request.query_params)

    @extend_schema(
        tags=[TAG],
        request={"multipart/form-data": ObligationImportSerializer},
        responses={200: ObligationImportedSerializer, **ERROR_RESPONSES},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_list(self, request):
        """The year's list from CSV: code, name_en, name_zh_hans, name_ru, body_kind,
        jurisdiction. All or nothing, row-numbered errors."""
        data = validated(request, ObligationImportSerializer)
        outcome = services.obligations_import(
            actor=self.actor,
            administration=data["administration"],
            year=data["year"],
            fileobj=data["file"],
        )
        return Response(outcome)


# ---------------------------------------------------------------- catalogue and rules


class ProductSerializer(StrictModelSerializer):
    class Meta:
        model = Product
        fields = ["uuid", "publisher", "name", "edition", "family", "licence_model", "spdx_id"]
        read_only_fields = ["uuid"]


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(tags=[TAG], responses={200: ProductSerializer, **ERROR_RESPONSES}),
)
class ProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """The product catalogue (kept by compliance auditors)."""

    serializer_class = ProductSerializer
    queryset = Product.objects.all()

    @documented(TAG, ProductSerializer, ProductSerializer, status=201)
    def create(self, request):
        return self.created(services.product_create, ProductSerializer, ProductSerializer)


class RuleSerializer(serializers.ModelSerializer):
    product = serializers.UUIDField(source="product.uuid", allow_null=True, default=None)

    class Meta:
        model = NormalisationRule
        fields = [
            "uuid",
            "position",
            "kind",
            "pattern",
            "publisher",
            "product",
            "ignore",
            "examples",
        ]


class RuleInSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    pattern = serializers.CharField(max_length=300)
    publisher = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    product = VisibleRelatedField(Product, required=False, allow_null=True, default=None)
    ignore = serializers.BooleanField(required=False, default=False)
    examples = serializers.ListField(
        child=serializers.CharField(max_length=300), min_length=1, max_length=50
    )
    position = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(tags=[TAG], responses={200: RuleSerializer, **ERROR_RESPONSES}),
)
class RuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Normalisation rules, in the order they are tried."""

    serializer_class = RuleSerializer
    queryset = NormalisationRule.objects.select_related("product")

    @documented(TAG, RuleInSerializer, RuleSerializer, status=201)
    def create(self, request):
        return self.created(services.rule_create, RuleInSerializer, RuleSerializer)


class RawStringSerializer(serializers.ModelSerializer):
    class Meta:
        model = RawString
        fields = ["uuid", "name", "publisher", "installs"]


class MapSerializer(StrictSerializer):
    product = VisibleRelatedField(Product, required=False, allow_null=True, default=None)
    ignore = serializers.BooleanField(required=False, default=False)


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(tags=[TAG], responses={200: RawStringSerializer, **ERROR_RESPONSES}),
)
class UnmatchedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Raw install strings no rule names, most frequent first (compliance auditors)."""

    serializer_class = RawStringSerializer
    queryset = queries.UNMATCHED

    @documented(TAG, MapSerializer, RuleSerializer, status=201)
    @action(detail=True, methods=["post"], url_path="map")
    def map_string(self, request, uuid=None):
        """Map this string to a product (or ignore it): an exact rule for every body."""
        raw = self.get_object()
        data = validated(request, MapSerializer)
        rule = services.unmatched_map(actor=self.actor, raw=raw, **data)
        return Response(RuleSerializer(rule).data, status=201)


# ---------------------------------------------------------------- inventories


class InventorySerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.organisation.code")

    class Meta:
        model = Inventory
        fields = [
            "uuid",
            "body",
            "year",
            "taken_on",
            "file_name",
            "sha256",
            "format",
            "devices",
            "installs",
            "created_at",
        ]


class InventoryInSerializer(StrictSerializer):
    body = BodyCodeField()
    file = serializers.FileField()
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    format = serializers.ChoiceField(choices=InventoryFormat.choices, required=False)


class InventoryImportedSerializer(InventorySerializer):
    already = serializers.BooleanField()
    message = serializers.CharField()

    class Meta(InventorySerializer.Meta):
        fields = [*InventorySerializer.Meta.fields, "already", "message"]


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(tags=[TAG], responses={200: InventorySerializer, **ERROR_RESPONSES}),
)
class InventoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Inventories a body uploaded (``?body=CODE&year=``)."""

    serializer_class = InventorySerializer
    queryset = Inventory.objects.select_related("body__organisation")
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return by_body_and_year(super().get_queryset(), self.request.query_params)

    @extend_schema(
        tags=[TAG],
        request={"multipart/form-data": InventoryInSerializer},
        responses={
            200: InventoryImportedSerializer,
            201: InventoryImportedSerializer,
            **ERROR_RESPONSES,
        },
    )
    def create(self, request):
        """Upload an inventory (glpi-agent JSON, OCS Inventory NG XML, osquery JSON results or
        CSV): all or nothing; the same file twice is imported once (200, ``already``)."""
        data = validated(request, InventoryInSerializer)
        result = inventory_import(
            actor=self.actor,
            body=data["body"],
            fileobj=data["file"],
            file_name=data["file"].name,
            year=data.get("year"),
            fmt=data.get("format"),
        )
        body = InventorySerializer(result.inventory).data | {
            "already": result.already,
            "message": result.message,
        }
        return Response(body, status=200 if result.already else 201)


def by_body_and_year(queryset, params):
    """``?body=CODE`` and ``?year=YYYY`` narrowings of a body's records."""
    code = params.get("body", "")
    if code:
        queryset = queryset.filter(body__organisation__code=code.upper())
    year = params.get("year", "")
    if year:
        queryset = queryset.filter(year=int(year)) if is_year(year) else queryset.none()
    return queryset


# ---------------------------------------------------------------- entitlements


class EntitlementSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.organisation.code")
    product = serializers.UUIDField(source="product.uuid")
    product_name = serializers.CharField(source="product.__str__")

    class Meta:
        model = Entitlement
        fields = [
            "uuid",
            "body",
            "product",
            "product_name",
            "metric",
            "quantity",
            "valid_from",
            "valid_to",
            "reference",
            "oem",
            "proof_name",
            "proof_sha256",
        ]


class EntitlementInSerializer(StrictSerializer):
    body = BodyCodeField()
    product = VisibleRelatedField(Product)
    metric = serializers.ChoiceField(choices=LicenceMetric.choices)
    quantity = serializers.IntegerField(min_value=-1_000_000_000, max_value=1_000_000_000)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    oem = serializers.BooleanField(required=False, default=False)
    proof = serializers.FileField(required=False, allow_null=True, default=None)


class EntitlementImportSerializer(StrictSerializer):
    body = BodyCodeField()
    file = serializers.FileField()


class CountSerializer(serializers.Serializer):
    added = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=extend_schema(tags=[TAG], responses={200: EntitlementSerializer, **ERROR_RESPONSES}),
)
class EntitlementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Licences the bodies hold (``?body=CODE``)."""

    serializer_class = EntitlementSerializer
    queryset = Entitlement.objects.select_related("body__organisation", "product")
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = super().get_queryset()
        code = self.request.query_params.get("body", "")
        return queryset.filter(body__organisation__code=code.upper()) if code else queryset

    @extend_schema(
        tags=[TAG],
        request={
            "application/json": EntitlementInSerializer,
            "multipart/form-data": EntitlementInSerializer,
        },
        responses={201: EntitlementSerializer, **ERROR_RESPONSES},
    )
    def create(self, request):
        """Record an entitlement, with a proof file (PDF, PNG, JPEG or ZIP/Office, checked
        by content) when sent as multipart."""
        return self.created(
            services.entitlement_add, EntitlementInSerializer, EntitlementSerializer
        )

    @extend_schema(
        tags=[TAG],
        request={"multipart/form-data": EntitlementImportSerializer},
        responses={200: CountSerializer, **ERROR_RESPONSES},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request):
        """Entitlements from CSV: publisher, product, edition, metric, quantity, valid_from,
        valid_to, reference, oem. All or nothing, row-numbered errors."""
        data = validated(request, EntitlementImportSerializer)
        added = services.entitlements_import(
            actor=self.actor, body=data["body"], fileobj=data["file"]
        )
        return Response({"added": added})


# ---------------------------------------------------------------- reconciliation


class ProductLineSerializer(serializers.ModelSerializer):
    product = serializers.UUIDField(source="product.uuid")
    product_name = serializers.CharField(source="product.__str__")
    family = serializers.CharField(source="product.family")
    licence_model = serializers.CharField(source="product.licence_model")

    class Meta:
        model = ProductCompliance
        fields = [
            "product",
            "product_name",
            "family",
            "licence_model",
            "installed",
            "licensed",
            "site",
            "shortfall",
            "surplus",
        ]


class ReconciliationSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.organisation.code")
    rate = serializers.FloatField(allow_null=True)
    products = serializers.SerializerMethodField()

    class Meta:
        model = BodyCompliance
        fields = [
            "body",
            "year",
            "reference_date",
            "devices",
            "compliant_devices",
            "rate",
            "unknown_installs",
            "shortfall",
            "products",
            "updated_at",
        ]

    @extend_schema_field(ProductLineSerializer(many=True))
    def get_products(self, kept) -> list:
        lines = queries.product_lines(kept)
        return ProductLineSerializer(lines, many=True).data


@extend_schema_view(list=extend_schema(tags=[TAG]))
class ReconciliationViewSet(mixins.ListModelMixin, VisibleViewSet):
    """Each body's kept reconciliation per year (``?body=CODE&year=``): devices, compliance
    rate, shortfall and surplus product by product."""

    serializer_class = ReconciliationSerializer
    queryset = BodyCompliance.objects.select_related("body__organisation")

    def get_queryset(self):
        return by_body_and_year(super().get_queryset(), self.request.query_params)
