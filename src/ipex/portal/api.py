"""The read API of news items and events: anyone may read what is published; the staff of
the owning organisation also read its drafts (through ``visible_to``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers

from ipex.core.api import VisibleViewSet, documented
from ipex.portal.markdown import render_markdown
from ipex.portal.models import ContentLanguage, Event, NewsItem


# A public record: what its readers need of it, not the shared-record fields
# (``SharedRecordSerializer``) that officers read.
class NewsItemSerializer(serializers.ModelSerializer):
    owner_org = serializers.CharField(source="owner_org.code")
    body_html = serializers.SerializerMethodField()
    tags = serializers.ListField(source="tag_list", child=serializers.CharField())
    url = serializers.SerializerMethodField()

    class Meta:
        model = NewsItem
        fields = [
            "uuid",
            "group",
            "language",
            "title",
            "summary",
            "body",
            "body_html",
            "category",
            "tags",
            "status",
            "published_at",
            "corrected_at",
            "correction_note",
            "owner_org",
            "version",
            "url",
        ]

    def get_body_html(self, obj) -> str:
        return str(render_markdown(obj.body))

    def get_url(self, obj) -> str:
        return reverse("news-item", args=[obj.language, obj.group])


class EventSerializer(serializers.ModelSerializer):
    owner_org = serializers.CharField(source="owner_org.code")
    name = serializers.CharField(read_only=True)
    organisations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    news_item = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "uuid",
            "name",
            *Event.NAME_FIELDS,
            "description",
            "starts_at",
            "ends_at",
            "time_zone",
            "online",
            "place",
            "organisations",
            "statistics_year",
            "news_item",
            "status",
            "owner_org",
            "version",
            "url",
        ]

    def get_news_item(self, obj) -> str | None:
        """The related news item's group, once it is published."""
        item = obj.news_item
        return str(item.group) if item is not None and item.is_public else None

    def get_url(self, obj) -> str:
        return reverse("event-detail", args=[obj.uuid])


@extend_schema_view(
    list=extend_schema(tags=["news and events"]),
    retrieve=documented("news and events", answer=NewsItemSerializer),
)
class NewsItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """News items: published ones for anyone (``?language=en|zh-hans|ru``), newest first."""

    serializer_class = NewsItemSerializer
    queryset = NewsItem.objects.select_related("owner_org", "origin_node", "sharing_group")
    permission_classes = [permissions.AllowAny]
    # A scheduled item becomes public when its time comes, with no write to key a kept answer.
    keep_answers = False

    def get_queryset(self):
        items = super().get_queryset().readable(self.request.user)
        language = self.request.query_params.get("language")
        if language is not None:
            if language not in ContentLanguage.values:
                raise serializers.ValidationError({"language": [_("Choose en, zh-hans or ru.")]})
            items = items.filter(language=language)
        return items


@extend_schema_view(
    list=extend_schema(tags=["news and events"]),
    retrieve=documented("news and events", answer=EventSerializer),
)
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Events: published ones for anyone, the latest start first."""

    serializer_class = EventSerializer
    queryset = Event.objects.select_related(
        "owner_org", "origin_node", "sharing_group", "news_item"
    ).prefetch_related("organisations")
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return super().get_queryset().readable(self.request.user)
