"""API for agreements, meetings and joint operations (through the one door)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from ipex.assistance.models import Alert
from ipex.cases.models import Case
from ipex.cooperation import queries, results, services
from ipex.cooperation.models import (
    AgreementKind,
    ItemStatus,
    LinkKind,
    MeetingKind,
    MeetingMode,
)
from ipex.cooperation.services import links
from ipex.core.api import (
    ERROR_RESPONSES,
    SharedRecordSerializer,
    StrictSerializer,
    VisibleRelatedField,
    VisibleViewSet,
    documented,
    step,
    validated,
)
from ipex.core.errors import DomainError, NotFound
from ipex.directory.models import Organisation, SharingGroup
from ipex.seizures.models import Seizure

TAG = "cooperation"


def codes():
    return serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)


class AgreementSerializer(SharedRecordSerializer):
    parties = codes()

    class Meta:
        model = queries.Agreement
        fields = [
            "title",
            "kind",
            "parties",
            "signed_on",
            "starts_on",
            "ends_on",
            "scope",
            "scope_kinds",
            "scope_categories",
            "documents",
        ]


class DocumentSerializer(StrictSerializer):
    language = serializers.CharField(max_length=10)
    title = serializers.CharField(max_length=200)
    url = serializers.CharField(max_length=500, required=False, allow_blank=True)


class AgreementInSerializer(StrictSerializer):
    owner_org = VisibleRelatedField(Organisation, "code")
    parties = VisibleRelatedField(Organisation, "code", many=True)
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=AgreementKind.choices)
    signed_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    scope = serializers.CharField(required=False, allow_blank=True)
    scope_kinds = serializers.ListField(child=serializers.CharField(), required=False)
    scope_categories = serializers.ListField(child=serializers.CharField(), required=False)
    documents = DocumentSerializer(many=True, required=False)
    groups = VisibleRelatedField(SharingGroup, many=True, required=False)


class SharedCountSerializer(serializers.Serializer):
    party = serializers.CharField(source="party.code")
    counts = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(tags=[TAG]), retrieve=documented(TAG, answer=AgreementSerializer)
)
class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Cooperation agreements this user may see."""

    serializer_class = AgreementSerializer
    queryset = queries.AGREEMENTS

    @documented(TAG, AgreementInSerializer, AgreementSerializer, status=201)
    def create(self, request):
        return self.created(services.agreement_create, AgreementInSerializer, AgreementSerializer)

    @documented(TAG, None, SharedCountSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def shared(self, request, uuid=None):
        """What each party shared under the agreement: counts, never contents."""
        rows = queries.agreement_counts(self.get_object())
        return Response(SharedCountSerializer(rows, many=True).data)


class ItemSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    owner = serializers.CharField(source="owner.code")
    text = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()
    is_overdue = serializers.BooleanField()


class MeetingSerializer(SharedRecordSerializer):
    participants = codes()
    items = serializers.SerializerMethodField()

    class Meta:
        model = queries.Meeting
        fields = [
            "title",
            "kind",
            "mode",
            "starts_at",
            "ends_at",
            "time_zone",
            "participants",
            "agenda",
            "minutes",
            "decisions",
            "items",
        ]

    def get_items(self, obj) -> list[dict]:
        return ItemSerializer(queries.items_of([obj]), many=True).data


class ItemInSerializer(StrictSerializer):
    owner = VisibleRelatedField(Organisation, "code")
    text = serializers.CharField()
    due_on = serializers.DateField()


class TakingPartInSerializer(StrictSerializer):
    """What every cooperation record is given: who records it, who else takes part, a title."""

    owner_org = VisibleRelatedField(Organisation, "code")
    participants = VisibleRelatedField(Organisation, "code", many=True)
    title = serializers.CharField(max_length=200)


class MeetingInSerializer(TakingPartInSerializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    mode = serializers.ChoiceField(choices=MeetingMode.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    time_zone = serializers.CharField(max_length=64)
    agenda = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.DictField(child=serializers.CharField(), required=False)
    decisions = serializers.CharField(required=False, allow_blank=True)
    items = ItemInSerializer(many=True, required=False)


class ItemUpdateInSerializer(StrictSerializer):
    item = serializers.UUIDField()
    status = serializers.ChoiceField(choices=ItemStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(tags=[TAG]), retrieve=documented(TAG, answer=MeetingSerializer)
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Meetings this user may see, with their action items and each item's status."""

    serializer_class = MeetingSerializer
    queryset = queries.MEETINGS

    @documented(TAG, MeetingInSerializer, MeetingSerializer, status=201)
    def create(self, request):
        return self.created(services.meeting_create, MeetingInSerializer, MeetingSerializer)

    @documented(TAG, ItemUpdateInSerializer, MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="item-status")
    def item_status(self, request, uuid=None):
        """The owner organisation updates its action item (on its own node)."""
        meeting = self.get_object()
        data = validated(request, ItemUpdateInSerializer)
        item = meeting.items.filter(uuid=data.pop("item")).first()
        if item is None:
            raise NotFound(_unknown_item())
        services.item_update(actor=self.actor, item=item, **data)
        return Response(MeetingSerializer(self.get_object(), context={"request": request}).data)


def _unknown_item() -> str:
    return _("Unknown action item.")


class OperationSerializer(SharedRecordSerializer):
    participants = codes()

    class Meta:
        model = queries.JointOperation
        fields = [
            "title",
            "participants",
            "starts_on",
            "ends_on",
            "phases",
            "targets",
        ]


class OperationInSerializer(TakingPartInSerializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    phases = serializers.ListField(child=serializers.DictField(), required=False)
    targets = serializers.CharField(required=False, allow_blank=True)


class LinkInSerializer(StrictSerializer):
    seizure = VisibleRelatedField(Seizure, required=False)
    case = VisibleRelatedField(Case, required=False)
    alert = VisibleRelatedField(Alert, required=False)


class LeaveInSerializer(StrictSerializer):
    organisation = VisibleRelatedField(Organisation, "code")


class OrgResultSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    organisation_name = serializers.CharField()
    country = serializers.CharField()
    node = serializers.CharField()
    figures = serializers.DictField(child=serializers.IntegerField())
    computed_at = serializers.DateTimeField()
    heard_at = serializers.DateTimeField()
    stale = serializers.BooleanField()


class ResultsSerializer(serializers.Serializer):
    operation = serializers.UUIDField()
    total = serializers.DictField(child=serializers.IntegerField())
    countries = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    organisations = OrgResultSerializer(many=True)


def _link_args(data) -> dict:
    """The one seizure, case or alert a link names, as the link services take it."""
    given = [(kind, data[kind]) for kind in LinkKind.values if data.get(kind) is not None]
    if len(given) != 1:
        raise DomainError(_("Name one seizure, case or alert."), code="invalid")
    kind, record = given[0]
    return {"kind": kind, "record": record}


@extend_schema_view(
    list=extend_schema(tags=[TAG]), retrieve=documented(TAG, answer=OperationSerializer)
)
class JointOperationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Joint operations this user's organisations take part in."""

    serializer_class = OperationSerializer
    queryset = queries.OPERATIONS

    @documented(TAG, OperationInSerializer, OperationSerializer, status=201)
    def create(self, request):
        return self.created(services.operation_create, OperationInSerializer, OperationSerializer)

    @documented(TAG, None, ResultsSerializer)
    @action(detail=True, methods=["get"], pagination_class=None)
    def results(self, request, uuid=None):
        """The combined figures: per organisation (with freshness), per country and in all."""
        operation = self.get_object()
        body = {"operation": operation.uuid, **results.combined(operation)}
        return Response(ResultsSerializer(body).data)

    step_tag, step_responses = TAG, {200: ResultsSerializer, **ERROR_RESPONSES}

    def run_step(self, service, body, *, extra):
        """A step on the operation: its answer is the combined figures after it."""
        operation = self.get_object()
        data = validated(self.request, body)
        service(actor=self.actor, operation=operation, **extra(data))
        return self.results(self.request, uuid=operation.uuid)

    link = step(
        links.operation_link,
        LinkInSerializer,
        "Link one of your organisation's seizures, cases or alerts.",
        extra=_link_args,
    )
    unlink = step(links.operation_unlink, LinkInSerializer, extra=_link_args)
    leave = step(
        links.operation_leave,
        LeaveInSerializer,
        "Your organisation leaves: its figures go from every participant's page.",
        extra=dict,
    )
