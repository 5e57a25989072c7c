"""API of customs protection of rights: recordations (through the door) and the public
register look-up (no sign-in, public fields only)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ipex.border import queries, stats
from ipex.border import services as border
from ipex.border.models import (
    AnswerKind,
    ContactLanguage,
    DeadlineRule,
    Detention,
    Direction,
    Outcome,
    Recordation,
    RightKind,
    Transport,
    WorkType,
)
from ipex.core.api import (
    ERROR_RESPONSES,
    KeptReadsMixin,
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
from ipex.core.models import Distribution
from ipex.directory.models import Organisation, SharingGroup

TAG = "border"


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    language = serializers.ChoiceField(choices=ContactLanguage.choices, default="en")


class PhotoSerializer(serializers.Serializer):
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class RecordationSerializer(SharedRecordSerializer):
    contacts = ContactSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Recordation
        fields = [
            "sharing_group",
            "right_kind",
            "work_type",
            "work_year",
            *Recordation.TEXT_FIELDS,
            "countries",
            "status",
            "valid_from",
            "valid_until",
            "contacts",
            "photos",
        ]


class RecordationInSerializer(StrictSerializer):
    owner_org = VisibleRelatedField(Organisation, "code")
    right_kind = serializers.ChoiceField(choices=RightKind.choices)
    work_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    work_type = serializers.ChoiceField(choices=WorkType.choices, required=False, allow_blank=True)
    work_year = serializers.IntegerField(required=False, allow_null=True, min_value=1000)
    work_owner = serializers.CharField(max_length=200)
    mark = serializers.CharField(max_length=200, required=False, allow_blank=True)
    goods = serializers.CharField()
    manufacturers = serializers.CharField(required=False, allow_blank=True)
    importers = serializers.CharField(required=False, allow_blank=True)
    licensees = serializers.CharField(required=False, allow_blank=True)
    recognition = serializers.CharField(required=False, allow_blank=True)
    routes = serializers.CharField(required=False, allow_blank=True)
    countries = serializers.ListField(child=serializers.CharField(max_length=8), max_length=60)
    contacts = ContactSerializer(many=True)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)
    sharing_group = VisibleRelatedField(SharingGroup, required=False, allow_null=True)


class RecordInSerializer(StrictSerializer):
    number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)


class ReasonInSerializer(StrictSerializer):
    reason = serializers.CharField()


class WithdrawInSerializer(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RenewInSerializer(StrictSerializer):
    valid_until = serializers.DateField(required=False, allow_null=True)


class PhotosInSerializer(StrictSerializer):
    photos = serializers.ListField(child=serializers.FileField(), min_length=1)


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=documented(TAG, answer=RecordationSerializer),
)
class RecordationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Recordations of rights with customs: the full record, for customs and those the
    holder shares it with."""

    serializer_class = RecordationSerializer
    queryset = queries.RECORDATIONS.prefetch_related("contacts", "photos")

    @documented(TAG, RecordationInSerializer, RecordationSerializer, status=201)
    def create(self, request):
        """A rights holder (or its representative) applies to record a right."""
        return self.created(
            border.recordation_apply, RecordationInSerializer, RecordationSerializer
        )

    step_tag, step_record = TAG, "recordation"
    step_responses = {200: RecordationSerializer, **ERROR_RESPONSES}

    record = step(
        border.recordation_record,
        RecordInSerializer,
        "Customs record the right (a number and a validity; by default the country's term).",
    )
    refuse = step(
        border.recordation_refuse,
        ReasonInSerializer,
        "Customs refuse the application, with a reason.",
    )
    renew = step(border.recordation_renew, RenewInSerializer, "Customs extend the validity.")
    withdraw = step(
        border.recordation_withdraw,
        WithdrawInSerializer,
        "The holder withdraws its application or recordation.",
    )
    photos = step(
        border.recordation_add_photos,
        PhotosInSerializer,
        "Add recognition photos (JPEG or PNG, checked by content).",
        parser_classes=[MultiPartParser],
    )


class RegisterEntrySerializer(serializers.Serializer):
    """What anyone may read of a recordation: never its contacts or recognition material."""

    number = serializers.CharField()
    right_kind = serializers.CharField()
    right = serializers.CharField(source="right_name")
    work_type = serializers.CharField()
    holder = serializers.CharField(source="work_owner")
    goods = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField())
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()


@extend_schema(
    tags=[TAG],
    parameters=[OpenApiParameter("q", str, description="number, work, mark, holder or goods")],
)
class RegisterView(ListAPIView):
    """The public register of recorded rights (no sign-in)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = RegisterEntrySerializer

    def get_queryset(self):
        return queries.register_search(self.request.query_params.get("q", ""))


class BorderStatsView(KeptReadsMixin, APIView):
    """Detentions of a country's year by direction, route, category (goods lines) or outcome,
    with the share of detentions under a recorded right."""

    @extend_schema(
        tags=["statistics"],
        parameters=[
            country_parameter("Country of the customs: CN, RU…"),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("by", str, enum=list(stats.BY)),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERROR_RESPONSES},
    )
    def get(self, request):
        params = request.query_params
        year = params.get("year", "")
        return Response(
            stats.detention_stats(
                request.user,
                country=params.get("country", ""),
                year=int(year) if is_year(year) else None,
                by=params.get("by", "outcome"),
            )
        )


class DeadlineRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineRule
        fields = [
            "country",
            "calendar",
            "working_days",
            "extension_allowed",
            "extension_days",
            "guarantee_required",
            "updated_at",
        ]


class DeadlineRuleInSerializer(StrictSerializer):
    country = serializers.CharField(max_length=8)
    calendar = serializers.CharField(max_length=8)
    working_days = serializers.IntegerField()
    extension_allowed = serializers.BooleanField(required=False, default=False)
    extension_days = serializers.IntegerField(required=False, default=0)
    guarantee_required = serializers.BooleanField(required=False, default=False)


class DeadlineInSerializer(StrictSerializer):
    notified_on = serializers.DateField()
    extended = serializers.BooleanField(required=False, default=False)


class DeadlineSerializer(serializers.Serializer):
    country = serializers.CharField()
    notified_on = serializers.DateField()
    extended = serializers.BooleanField()
    deadline = serializers.DateField()


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=documented(TAG, answer=DeadlineRuleSerializer),
)
class DeadlineRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Per-country rules for a holder's answer to a detention (set by node administrators)."""

    serializer_class = DeadlineRuleSerializer
    queryset = DeadlineRule.objects.all()
    lookup_field = "country"
    lookup_value_regex = "[A-Za-z0-9-]{1,8}"

    @documented(TAG, DeadlineRuleInSerializer, DeadlineRuleSerializer)
    def create(self, request):
        """Set a country's rule (node administrators; replaces the one there is)."""
        rule = border.deadline_rule_save(
            actor=self.actor, **validated(request, DeadlineRuleInSerializer)
        )
        return Response(DeadlineRuleSerializer(rule).data)

    @documented(TAG, DeadlineInSerializer, DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def deadline(self, request, country=None):
        """The last day to answer a notification given on a day, by this country's rule."""
        rule = self.get_object()
        data = validated(request, DeadlineInSerializer)
        last = border.answer_deadline(rule, data["notified_on"], extended=data["extended"])
        return Response(
            DeadlineSerializer({"country": rule.country, **data, "deadline": last}).data
        )


# ---------------------------------------------------------------- detentions


class DetentionLineSerializer(serializers.Serializer):
    description = serializers.CharField()
    category = serializers.CharField(source="category.code")
    quantity = serializers.IntegerField()


class DetentionAnswerSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.code")
    kind = serializers.CharField()
    grounds = serializers.CharField()
    answered_at = serializers.DateTimeField()


class DetentionSerializer(SharedRecordSerializer):
    lines = DetentionLineSerializer(many=True, read_only=True)
    answers = DetentionAnswerSerializer(many=True, read_only=True)
    recordations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="uuid")
    seizure = serializers.UUIDField(source="seizure.uuid", default=None, allow_null=True)
    case = serializers.UUIDField(source="case.uuid", default=None, allow_null=True)

    class Meta:
        model = Detention
        fields = [
            "declaration_number",
            "direction",
            "place",
            "route",
            "transport",
            "consignor",
            "consignee",
            "recordations",
            "ex_officio",
            "country",
            "notified_on",
            "answer_by",
            "extended",
            "status",
            "outcome",
            "seizure",
            "case",
            "lines",
            "answers",
        ]


class DetentionLineInSerializer(StrictSerializer):
    description = serializers.CharField(max_length=300)
    category = serializers.CharField(max_length=60)  # a code of the public vocabulary
    quantity = serializers.IntegerField()


class DetentionInSerializer(StrictSerializer):
    owner_org = VisibleRelatedField(Organisation, "code")
    declaration_number = serializers.CharField(max_length=60)
    direction = serializers.ChoiceField(choices=Direction.choices)
    place = serializers.CharField(max_length=200)
    route = serializers.ListField(
        child=serializers.CharField(max_length=8), required=False, max_length=30
    )
    transport = serializers.ChoiceField(choices=Transport.choices)
    consignor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    consignee = serializers.CharField(max_length=200, required=False, allow_blank=True)
    lines = DetentionLineInSerializer(many=True)
    recordations = VisibleRelatedField(Recordation, many=True, required=False)


class CloseInSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    case = VisibleRelatedField("cases.Case", required=False, allow_null=True)


class AnswerInSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=AnswerKind.choices)
    grounds = serializers.CharField(required=False, allow_blank=True, default="")
    days = serializers.IntegerField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(tags=[TAG]),
    retrieve=documented(TAG, answer=DetentionSerializer),
)
class DetentionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Detentions at the border: for customs and the holders of the linked recordations
    only."""

    serializer_class = DetentionSerializer
    queryset = Detention.objects.select_related("owner_org", "origin_node").prefetch_related(
        "lines__category", "answers__organisation", "recordations"
    )

    @documented(TAG, DetentionInSerializer, DetentionSerializer, status=201)
    def create(self, request):
        """Customs record a suspended release; the linked holders are notified at once."""
        return self.created(border.detention_record, DetentionInSerializer, DetentionSerializer)

    step_tag, step_record = TAG, "detention"
    step_responses = {200: DetentionSerializer, **ERROR_RESPONSES}

    answer = step(
        border.detention_answer, AnswerInSerializer, "The holder answers before the deadline."
    )
    close = step(
        border.detention_close,
        CloseInSerializer,
        "Customs close the detention: release, destruction, seizure or a case.",
    )
