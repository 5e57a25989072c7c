"""Special-action API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from ipex.campaigns import services
from ipex.campaigns.models import Campaign, Metric
from ipex.campaigns.queries import campaign_progress
from ipex.core.api import (
    SharedRecordSerializer,
    StrictSerializer,
    VisibleRelatedField,
    VisibleViewSet,
    documented,
    name_inputs,
    reader,
)
from ipex.core.models import Distribution
from ipex.directory.models import Organisation


class ProgressSerializer(serializers.Serializer):
    metric = serializers.CharField(source="target.metric")
    category = serializers.CharField(source="target.category")
    target = serializers.IntegerField(source="target.target")
    done = serializers.IntegerField()
    percent = serializers.IntegerField()


class CampaignSerializer(SharedRecordSerializer):
    name = serializers.CharField(read_only=True)
    participants = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "name",
            *Campaign.NAME_FIELDS,
            "starts_on",
            "ends_on",
            "description",
            "participants",
            "progress",
        ]

    def get_progress(self, obj) -> list[dict]:
        rows = campaign_progress(reader(self), obj)
        return ProgressSerializer(rows, many=True).data


class CampaignInSerializer(StrictSerializer):
    owner_org = VisibleRelatedField(Organisation, slug_field="code")
    name_en, name_zh_hans, name_ru = name_inputs()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    participants = VisibleRelatedField(Organisation, slug_field="code", many=True, required=False)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)


class TargetInSerializer(StrictSerializer):
    metric = serializers.ChoiceField(choices=Metric.choices)
    category = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    target = serializers.IntegerField(min_value=1)


@extend_schema_view(
    list=extend_schema(tags=["special actions"]),
    retrieve=documented("special actions", answer=CampaignSerializer),
)
class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Special actions with their targets and progress (counted over the seizures the caller
    can see)."""

    serializer_class = CampaignSerializer
    queryset = Campaign.objects.select_related("owner_org", "origin_node").prefetch_related(
        "participants", "targets"
    )

    @documented("special actions", CampaignInSerializer, CampaignSerializer, status=201)
    def create(self, request):
        return self.created(services.campaign_create, CampaignInSerializer, CampaignSerializer)

    @documented("special actions", TargetInSerializer, CampaignSerializer)
    @action(detail=True, methods=["post"])
    def targets(self, request, uuid=None):
        return self.changed(services.campaign_add_target, "campaign", TargetInSerializer)
