"""Tip API: the public endpoints (no account; nothing about the caller kept) and the
officers' endpoints under /api/v1/tips, through the one door."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import get_language
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
from rest_framework.exceptions import Throttled
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ipex.cases.models import Case
from ipex.core.api import (
    ERROR_RESPONSES,
    ErrorSerializer,
    NoInputSerializer,
    SharedRecordSerializer,
    StrictSerializer,
    VisibleRelatedField,
    VisibleViewSet,
    is_year,
    step,
    validated,
)
from ipex.core.errors import DomainError, NotFound
from ipex.core.pagination import Pagination
from ipex.tips import services, throttle
from ipex.tips.models import Assessment, Reward, Tip, TipKind, TipOutcome
from ipex.tips.queries import TipFilter, rewards_for
from ipex.tips.services import tip_detail
from ipex.tips.views import RECEIPT_LIMIT, RECEIPT_WINDOW, SUBMIT_LIMIT, SUBMIT_WINDOW


def _with_files(request) -> dict:
    """The request's fields, with its uploaded files as one list under ``files``; a body that
    is not an object (a JSON number, list, string) is passed on as it is, for the serializer
    to refuse with a 400."""
    if not isinstance(request.data, Mapping):
        return request.data
    data = {k: v for k, v in request.data.items() if k != "files"}
    return {**data, "files": request.FILES.getlist("files") if hasattr(request, "FILES") else []}


#: The public endpoints count attempts per client address (``throttle``) and answer 429.
THROTTLED = {429: OpenApiResponse(ErrorSerializer, description="Too many attempts from here")}


class PublicView(APIView):
    """No authentication at all: no session, no token, no CSRF cookie needed."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def receipt_tip(self, request) -> Tip:
        if throttle.exceeded(request, "receipt", RECEIPT_LIMIT):
            raise Throttled(detail=_("Too many attempts from here. Wait a quarter of an hour."))
        tip = services.tip_by_receipt(request.data.get("receipt", ""))
        if tip is None:
            throttle.count(request, "receipt", RECEIPT_WINDOW)
            raise NotFound(_("No tip matches this receipt code."), code="unknown_receipt")
        return tip


class TipInSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=TipKind.choices)
    jurisdiction = serializers.CharField(max_length=20)
    description = serializers.CharField(max_length=services.MAX_TEXT, trim_whitespace=True)
    contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ReceiptSerializer(StrictSerializer):
    receipt = serializers.CharField(max_length=64)


class ReplyInSerializer(ReceiptSerializer):
    body = serializers.CharField(required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ClaimInSerializer(ReceiptSerializer):
    payment_identity = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PublicTipsView(PublicView):
    @extend_schema(
        tags=["tips (public)"],
        request={"application/json": TipInSerializer, "multipart/form-data": TipInSerializer},
        responses={201: OpenApiTypes.OBJECT, **ERROR_RESPONSES, **THROTTLED},
        description='Send a tip. Answers `{"receipt": "…", "proof": {…}}`; the receipt '
        "is shown only in this answer.",
    )
    def post(self, request):
        if throttle.exceeded(request, "submit", SUBMIT_LIMIT):
            raise Throttled(detail=_("Too many tips from here. Wait an hour."))
        data = validated(request, TipInSerializer, _with_files(request))
        throttle.count(request, "submit", SUBMIT_WINDOW)
        _tip, receipt, proof = services.tip_submit(**data, language=get_language())
        return Response({"receipt": receipt, "proof": proof}, status=status.HTTP_201_CREATED)


def _status_body(tip: Tip) -> dict:
    view = services.tipster_view(tip)
    return {
        "status": view["status"],
        "kind": tip.kind,
        "submitted": view["submitted"].isoformat(),
        "messages": [
            {"direction": m["direction"], "body": m["body"], "at": m["at"].isoformat()}
            for m in view["messages"]
        ],
        "files": view["files"],
        "reward": None
        if view["reward"] is None
        else {
            "status": view["reward"]["status"],
            "amount": f"{view['reward']['amount']:.2f}" if view["reward"]["amount"] else None,
            "currency": view["reward"]["currency"],
            "reason": view["reward"]["reason"],
        },
    }


class PublicTipStatusView(PublicView):
    @extend_schema(
        tags=["tips (public)"],
        request=ReceiptSerializer,
        responses={200: OpenApiTypes.OBJECT, **ERROR_RESPONSES, **THROTTLED},
        description="The tip's status, messages and reward, by its receipt. A wrong receipt "
        "gets 404 `unknown_receipt`, whatever it is; repeated wrong receipts get 429.",
    )
    def post(self, request):
        validated(request, ReceiptSerializer)
        return Response(_status_body(self.receipt_tip(request)))


class PublicTipReplyView(PublicView):
    @extend_schema(
        tags=["tips (public)"],
        request={"application/json": ReplyInSerializer, "multipart/form-data": ReplyInSerializer},
        responses={200: OpenApiTypes.OBJECT, **ERROR_RESPONSES, **THROTTLED},
    )
    def post(self, request):
        data = validated(request, ReplyInSerializer, _with_files(request))
        tip = self.receipt_tip(request)
        services.tipster_reply(tip=tip, body=data["body"], files=data["files"])
        return Response(_status_body(tip))


class PublicTipClaimView(PublicView):
    @extend_schema(
        tags=["tips (public)"],
        request=ClaimInSerializer,
        responses={200: OpenApiTypes.OBJECT, **ERROR_RESPONSES, **THROTTLED},
    )
    def post(self, request):
        data = validated(request, ClaimInSerializer)
        tip = self.receipt_tip(request)
        services.reward_claim(
            tip=tip,
            payment_identity=data["payment_identity"],
            reason=data["reason"],
        )
        tip.refresh_from_db()
        return Response(_status_body(tip))


# ---------------------------------------------------------------- officers


class RewardSerializer(serializers.ModelSerializer):
    proposed_by = serializers.CharField(source="proposed_by.email", default=None, allow_null=True)
    approved_by = serializers.CharField(source="approved_by.email", default=None, allow_null=True)

    class Meta:
        model = Reward
        fields = [
            "uuid",
            "status",
            "amount",
            "currency",
            "proposed_by",
            "approved_by",
            "payment_reference",
            "reason",
            "paid_at",
        ]


class TipSerializer(SharedRecordSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code")
    routed_to = serializers.CharField(source="routed_to.code")
    case = serializers.CharField(source="case.reference", default=None, allow_null=True)
    reward = serializers.SerializerMethodField()

    class Meta:
        model = Tip
        fields = [
            "kind",
            "jurisdiction",
            "status",
            "assessment",
            "outcome",
            "routed_to",
            "case",
            "acknowledge_by",
            "escalated_at",
            "reward",
        ]

    def get_reward(self, obj) -> dict | None:
        reward = getattr(obj, "reward", None) if hasattr(obj, "reward") else None
        return RewardSerializer(reward).data if reward else None


class TipDetailSerializer(TipSerializer):
    """With the sealed parts opened (an audited view); describes the answer of ``_detail``."""

    description = serializers.CharField()
    contact = serializers.CharField()
    messages = serializers.ListField(child=serializers.DictField())
    attachments = serializers.ListField(child=serializers.DictField())
    duplicate_of = serializers.UUIDField(source="duplicate_of.uuid", default=None, allow_null=True)

    class Meta(TipSerializer.Meta):
        fields = [
            *TipSerializer.Meta.fields,
            "description",
            "contact",
            "messages",
            "attachments",
            "duplicate_of",
        ]


class TipAssessSerializer(StrictSerializer):
    """The assessment of an acknowledged tip."""

    assessment = serializers.ChoiceField(choices=Assessment.choices)
    duplicate_of = VisibleRelatedField(
        Tip,
        required=False,
        allow_null=True,
        help_text="The tip this one duplicates; required when the assessment is 'duplicate'.",
    )


class TipAskSerializer(StrictSerializer):
    """A question for the tipster."""

    question = serializers.CharField(max_length=services.MAX_TEXT)


class TipLinkCaseSerializer(StrictSerializer):
    """The case the tip is linked to."""

    case = VisibleRelatedField(
        Case,
        slug_field="reference",
        help_text="The reference of a case the caller can see.",
    )


class TipCloseSerializer(StrictSerializer):
    """The outcome the tip is closed with."""

    outcome = serializers.ChoiceField(choices=TipOutcome.choices)


class RewardProposeSerializer(StrictSerializer):
    """The amount proposed for a claimed reward."""

    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class RewardPaySerializer(StrictSerializer):
    """The reference of the payment made."""

    payment_reference = serializers.CharField()


class RewardRejectSerializer(StrictSerializer):
    """Why the reward is rejected; the tipster reads it."""

    reason = serializers.CharField()


TIP = {200: TipDetailSerializer, **ERROR_RESPONSES}
TIP_STEP = {
    **TIP,
    409: OpenApiResponse(ErrorSerializer, description="Not possible in the tip's status"),
}


@extend_schema_view(
    list=extend_schema(tags=["tips"]),
    retrieve=extend_schema(tags=["tips"], responses=TIP),
)
class TipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Tips routed or escalated to the caller's organisations (or those they supervise).
    Opening one is audited."""

    # Every opening of a tip is audited: each read is answered afresh, never from a kept one.
    keep_answers = False
    serializer_class = TipSerializer
    queryset = Tip.objects.select_related(
        "jurisdiction", "owner_org", "origin_node", "routed_to", "case", "reward", "duplicate_of"
    )
    filterset_class = TipFilter

    def _detail(self, tip):
        context = tip_detail(self.request.user, tip)
        return Response(
            {
                **TipSerializer(tip).data,
                "description": context["description"],
                "contact": context["contact"],
                "messages": [
                    {
                        "direction": m["direction"],
                        "author": m["author"],
                        "body": m["body"],
                        "at": m["at"].isoformat(),
                    }
                    for m in context["conversation"]
                ],
                "attachments": [
                    {
                        "uuid": str(a["file"].uuid),
                        "name": a["name"],
                        "content_type": a["file"].content_type,
                        "size": a["file"].size,
                        "sha256": a["file"].sha256,
                        "has_clean_copy": a["file"].has_clean_copy,
                    }
                    for a in context["attachments"]
                ],
                "duplicate_of": str(tip.duplicate_of.uuid) if tip.duplicate_of_id else None,
            }
        )

    def retrieve(self, request, uuid=None):
        return self._detail(self.get_object())

    step_tag, step_responses = "tips", TIP_STEP

    def run_step(self, service, body, *, on_reward: bool = False):
        """One step of the tip (or of its reward): the input checked (a step without a body
        refuses one), then ``service`` on it."""
        tip = self.get_object()
        data = validated(self.request, body or NoInputSerializer)
        target = {"reward": self._reward(tip)} if on_reward else {"tip": tip}
        service(actor=self.actor, **target, **data)
        return self._stepped(tip)

    def _stepped(self, tip):
        return self._detail(self.get_queryset().get(pk=tip.pk))

    def _reward(self, tip) -> Reward:
        reward = Reward.objects.filter(tip=tip).first()
        if reward is None:
            raise DomainError(_("This tip has no reward."), code="no_reward")
        return reward

    acknowledge = step(services.tip_acknowledge, None, "Acknowledge a received tip. Takes no body.")
    assess = step(
        services.tip_assess,
        TipAssessSerializer,
        "Assess an acknowledged tip; a duplicate names the tip it repeats.",
    )
    ask = step(
        services.tip_ask,
        TipAskSerializer,
        "Ask the tipster a question (they read it with their receipt).",
    )
    link_case = step(
        services.tip_link_case,
        TipLinkCaseSerializer,
        "Link the tip to a case the caller can see, by the case's reference.",
        url_path="link-case",
    )
    close = step(
        services.tip_close,
        TipCloseSerializer,
        "Close the tip with its outcome; a confirmed first report of a kind with a reward "
        "schedule becomes eligible for a reward.",
    )
    reward_invite = step(
        services.reward_invite,
        None,
        "Invite the tipster to claim an eligible reward. Takes no body.",
        url_path="reward/invite",
        on_reward=True,
    )
    reward_propose = step(
        services.reward_propose,
        RewardProposeSerializer,
        "Propose the amount of a claimed reward (within its ceiling and the year's budget).",
        url_path="reward/propose",
        on_reward=True,
    )
    reward_approve = step(
        services.reward_approve,
        None,
        "Approve a proposed reward: a reward approver who did not propose it. Takes no body.",
        url_path="reward/approve",
        on_reward=True,
    )
    reward_pay = step(
        services.reward_pay,
        RewardPaySerializer,
        "Record the payment of an approved reward, with its payment reference.",
        url_path="reward/pay",
        on_reward=True,
    )
    reward_reject = step(
        services.reward_reject,
        RewardRejectSerializer,
        "Reject a reward, saying why (the tipster reads the reason).",
        url_path="reward/reject",
        on_reward=True,
    )

    @extend_schema(tags=["tips"], request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path="payment-identity")
    def payment_identity(self, request, uuid=None):
        """The sealed payment identity of an approved reward, for a reward approver paying it
        (not the proposer's business); every view audited."""
        tip = self.get_object()
        reward = Reward.objects.filter(tip=tip).first()
        if reward is None:
            raise DomainError(_("This tip has no reward."), code="no_reward")
        return Response(
            {"payment_identity": services.reward_payment_identity(actor=self.actor, reward=reward)}
        )


class RewardListItemSerializer(RewardSerializer):
    tip = serializers.UUIDField(source="tip.uuid")
    kind = serializers.CharField(source="tip.kind")
    organisation = serializers.CharField(source="tip.owner_org.code")

    class Meta(RewardSerializer.Meta):
        fields = ["tip", "kind", "organisation", *RewardSerializer.Meta.fields]


class RewardListView(APIView):
    """Rewards of the tips the caller can see, newest first."""

    pagination_class = Pagination  # the schema documents the answer as a page

    @extend_schema(tags=["tips"], responses={200: RewardListItemSerializer(many=True)})
    def get(self, request):

        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rewards_for(request.user), request)
        return paginator.get_paginated_response(RewardListItemSerializer(page, many=True).data)


class PayoutReportView(APIView):
    """Rewards paid in a year, per currency and kind of tip, over the tips the caller sees."""

    @extend_schema(
        tags=["tips"],
        parameters=[OpenApiParameter("year", int)],
        responses={200: OpenApiTypes.OBJECT, **ERROR_RESPONSES},
    )
    def get(self, request):
        raw = request.query_params.get("year", "")
        if raw and not is_year(raw):
            raise DomainError(
                _("Give the year as a number, e.g. 2013."),
                fields={"year": [_("Give the year as a number, e.g. 2013.")]},
            )
        year = int(raw) if raw else timezone.localdate().year
        rows = services.payout_report(request.user, year)
        return Response(
            {
                "year": year,
                "rows": [
                    {
                        **{k: v for k, v in r.items() if k != "kind_label"},
                        "total": f"{r['total']:.2f}",
                    }
                    for r in rows
                ],
            }
        )
