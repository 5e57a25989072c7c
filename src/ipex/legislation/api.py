"""The library's API: public reads (no sign-in), published laws only for anyone but node
administrators; writes go through the pages' services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.views import APIView

from ipex.core.api import ERROR_RESPONSES, KeptReadsMixin
from ipex.core.errors import DomainError
from ipex.core.pagination import Pagination
from ipex.core.textsearch import phrases
from ipex.legislation import search
from ipex.legislation.models import Article, ArticleVersion, Law
from ipex.legislation.services import LAW_FIELDS

TAG = "legislation"


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArticleVersion
        fields = ["effective_from", "effective_to", "text_en", "text_zh_hans", "text_ru", "note"]


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = ["number", "heading_en", "heading_zh_hans", "heading_ru", "url", "versions"]


class LawSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Law
        fields = [*LAW_FIELDS, "url"]


class LawDetailSerializer(LawSerializer):
    articles = ArticleSerializer(many=True, read_only=True)

    class Meta(LawSerializer.Meta):
        fields = [*LawSerializer.Meta.fields, "articles"]


@extend_schema(tags=[TAG])
class LawViewSet(KeptReadsMixin, viewsets.ReadOnlyModelViewSet):
    """Laws, regulations and judicial interpretations; one law with its articles and every
    version of each (no sign-in)."""

    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"

    def get_queryset(self):
        laws = Law.objects.visible_to(self.request.user)
        if self.action == "retrieve":
            laws = laws.prefetch_related("articles__versions", "articles__law")
        return laws

    def get_serializer_class(self):
        return LawDetailSerializer if self.action == "retrieve" else LawSerializer


class LawSearchHitSerializer(serializers.Serializer):
    law = serializers.CharField(source="law.slug")
    title = serializers.CharField(source="law.name")
    article = serializers.IntegerField(source="article.number", allow_null=True, default=None)
    url = serializers.SerializerMethodField()

    def get_url(self, document) -> str:
        return (document.article or document.law).get_absolute_url()


class SearchView(KeptReadsMixin, APIView):
    """Search over law titles and article texts (every word must occur)."""

    permission_classes = [permissions.AllowAny]
    pagination_class = Pagination

    @extend_schema(
        tags=[TAG],
        parameters=[OpenApiParameter("q", str, required=True)],
        responses={200: LawSearchHitSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request):
        query = request.query_params.get("q", "").strip()
        if not phrases(query):
            raise DomainError(
                _("Give at least one word to search for."),
                fields={"q": [_("Give at least one word to search for.")]},
            )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(search.search_documents(request.user, query), request)
        return paginator.get_paginated_response(LawSearchHitSerializer(page, many=True).data)
