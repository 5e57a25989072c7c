"""API for alerts and requests for assistance (through the one door)."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ipex.assistance import services as assistance
from ipex.assistance.models import (
    Alert,
    AlertPriority,
    AssistanceMessage,
    AssistanceRequest,
    MessageKind,
)
from ipex.core.api import (
    ERROR_RESPONSES,
    SharedRecordSerializer,
    StrictSerializer,
    VisibleRelatedField,
    VisibleViewSet,
    documented,
    reader,
    validated,
)
from ipex.core.models import Distribution
from ipex.directory.models import Organisation, SharingGroup


class AlertSerializer(SharedRecordSerializer):
    class Meta:
        model = Alert
        fields = ["sharing_group", "title", "body", "priority", "expires_on"]


class AlertInSerializer(StrictSerializer):
    owner_org = VisibleRelatedField(Organisation, "code")
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    priority = serializers.ChoiceField(choices=AlertPriority.choices)
    expires_on = serializers.DateField()
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)
    sharing_group = VisibleRelatedField(SharingGroup, required=False, allow_null=True)


@extend_schema_view(
    list=extend_schema(tags=["exchange"]),
    retrieve=documented("exchange", answer=AlertSerializer),
)
class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Alerts this user may see, from this node and from partners."""

    serializer_class = AlertSerializer
    queryset = Alert.objects.select_related("owner_org", "origin_node", "sharing_group")

    @documented("exchange", AlertInSerializer, AlertSerializer, status=201)
    def create(self, request):
        return self.created(assistance.alert_create, AlertInSerializer, AlertSerializer)


class MessageOutSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    kind = serializers.CharField()
    body = serializers.CharField()
    owner_org = serializers.CharField(source="owner_org.code")
    author_name = serializers.CharField()
    created_at = serializers.DateTimeField()


def _messages_seen_by(user):
    """The messages of requests this user may see, in the order they were written."""
    return (
        AssistanceMessage.objects.visible_to(user)
        .select_related("owner_org")
        .order_by("created_at", "id")
    )


class RequestSerializer(SharedRecordSerializer):
    recipient = serializers.CharField(source="recipient.code")
    case = serializers.UUIDField(source="case.uuid", default=None, allow_null=True)
    status = serializers.CharField()
    messages = serializers.SerializerMethodField()

    class Meta:
        model = AssistanceRequest
        fields = [
            "subject",
            "body",
            "recipient",
            "case",
            "status",
            "closed_at",
            "messages",
        ]

    def get_messages(self, obj) -> list[dict]:
        rows = getattr(obj, "visible_messages", None)  # read with the page (see get_queryset)
        if rows is None:
            rows = _messages_seen_by(reader(self)).filter(request=obj)
        return MessageOutSerializer(rows, many=True).data


class RequestInSerializer(StrictSerializer):
    owner_org = VisibleRelatedField(Organisation, "code")
    recipient = VisibleRelatedField(Organisation, "code")
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField()
    case = VisibleRelatedField("cases.Case", required=False, allow_null=True)
    sharing_group = VisibleRelatedField(SharingGroup, required=False, allow_null=True)


class MessageInSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=MessageKind.choices)
    body = serializers.CharField(required=False, allow_blank=True, default="")


REQUEST = {200: RequestSerializer, **ERROR_RESPONSES}


@extend_schema_view(
    list=extend_schema(tags=["exchange"]),
    retrieve=extend_schema(tags=["exchange"], responses=REQUEST),
)
class AssistanceRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Requests for assistance between organisations of partner nodes."""

    serializer_class = RequestSerializer
    queryset = AssistanceRequest.objects.select_related(
        "owner_org", "origin_node", "recipient", "case"
    )

    def get_queryset(self):
        """A request's status and the messages the user may see are read with the page, not
        row by row."""
        messages = _messages_seen_by(self.request.user)
        return AssistanceRequest.with_status(super().get_queryset()).prefetch_related(
            Prefetch("messages", queryset=messages, to_attr="visible_messages")
        )

    def _out(self, item, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=item.pk)
        return Response(
            RequestSerializer(fresh, context={"request": self.request}).data, status=code
        )

    @extend_schema(
        tags=["exchange"], request=RequestInSerializer, responses={201: RequestSerializer}
    )
    def create(self, request):
        data = validated(request, RequestInSerializer)
        item = assistance.request_create(actor=self.actor, **data)
        return self._out(item, status.HTTP_201_CREATED)

    @extend_schema(tags=["exchange"], request=MessageInSerializer, responses=REQUEST)
    @action(detail=True, methods=["post"])
    def messages(self, request, uuid=None):
        """Acknowledge, answer (the asked side) or write a message (either side)."""
        return self.changed(assistance.request_message, "request", MessageInSerializer)

    @extend_schema(tags=["exchange"], request=None, responses=REQUEST)
    @action(detail=True, methods=["post"])
    def close(self, request, uuid=None):
        """Close the request (the asking organisation)."""
        return self.changed(assistance.request_close, "request")
