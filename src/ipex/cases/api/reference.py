"""The API of what cases are read by and filed under: enforcement figures, full-text search,
legal provisions."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from ipex.cases import search, services
from ipex.cases.models import (
    LegalProvision,
    PenaltyType,
)
from ipex.cases.queries import enforcement_figures
from ipex.core.api import (
    ERROR_RESPONSES,
    KeptReadsMixin,
    StrictSerializer,
    country_parameter,
    documented,
    is_year,
    name_inputs,
    validated,
)
from ipex.core.audit import actor_from_request
from ipex.core.errors import DomainError
from ipex.core.pagination import Pagination


class EnforcementStatsView(KeptReadsMixin, APIView):
    """Enforcement figures from cases, actions and penalties the caller can see."""

    @extend_schema(
        tags=["statistics"],
        parameters=[
            country_parameter("Jurisdiction code: CN, or CN-GD to narrow"),
            OpenApiParameter("year", int, required=True),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERROR_RESPONSES},
    )
    def get(self, request):
        year = request.query_params.get("year", "")
        if not is_year(year):
            raise DomainError(
                _("The statistics request is not valid."),
                fields={"year": [_("Give the year as a number, e.g. 2012.")]},
            )
        return Response(
            enforcement_figures(
                request.user, area=request.query_params.get("country", ""), year=int(year)
            )
        )


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    case = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()
    label = serializers.CharField()

    def get_case(self, hit) -> dict | None:
        if hit.case is None:
            return None
        return {"uuid": str(hit.case.uuid), "reference": hit.case.reference}

    def get_subject(self, hit) -> dict | None:
        if hit.subject is None:
            return None
        return {"uuid": str(hit.subject.uuid), "kind": hit.subject.kind}


class SearchView(KeptReadsMixin, APIView):
    """Full-text search over the cases, subjects and actions the caller can see. Every word
    must occur; the last term of a word matches as a prefix. The count is of visible results
    only."""

    pagination_class = Pagination  # the schema documents the answer as a page

    @extend_schema(
        tags=["cases"],
        parameters=[OpenApiParameter("q", str, required=True)],
        responses={200: SearchHitSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request):

        query = request.query_params.get("q", "").strip()
        if not search.terms(query):
            raise DomainError(
                _("Give at least one word to search for."),
                fields={"q": [_("Give at least one word to search for.")]},
            )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(search.search_documents(request.user, query), request)
        return paginator.get_paginated_response(
            SearchHitSerializer(search.hits(page), many=True).data
        )


class ProvisionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = LegalProvision
        fields = [
            "code",
            "name",
            *LegalProvision.NAME_FIELDS,
            "penalty_type",
            "minimum",
            "maximum",
            "currency",
        ]


class ProvisionInSerializer(StrictSerializer):
    code = serializers.CharField(max_length=40)
    name_en, name_zh_hans, name_ru = name_inputs()
    penalty_type = serializers.ChoiceField(choices=PenaltyType.choices)
    minimum = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    maximum = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True, default="")


@extend_schema_view(list=extend_schema(tags=["cases"]))
class ProvisionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Legal provisions with the range of penalty each allows (public law: every signed-in
    user reads them; node administrators add them)."""

    serializer_class = ProvisionSerializer
    queryset = LegalProvision.objects.all()
    lookup_field = "code"

    @documented("cases", ProvisionInSerializer, ProvisionSerializer, status=201)
    def create(self, request):
        data = validated(request, ProvisionInSerializer)
        provision = services.provision_create(actor=actor_from_request(request), **data)
        return Response(ProvisionSerializer(provision).data, status=status.HTTP_201_CREATED)
