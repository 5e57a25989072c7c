"""Directory API: me, tokens, organisations, jurisdictions, sharing groups."""

from __future__ import annotations

import django_filters
from django import forms
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ipex.core.api import (
    ERROR_RESPONSES,
    StrictModelSerializer,
    StrictSerializer,
    VisibleRelatedField,
    VisibleViewSet,
    documented,
    name_inputs,
    validated,
)
from ipex.core.filters import by_code
from ipex.directory import services
from ipex.directory.models import (
    ApiToken,
    Jurisdiction,
    JurisdictionLevel,
    Membership,
    Node,
    Organisation,
    OrgKind,
    Role,
    SharingGroup,
    SharingGroupMember,
    User,
)

# ---------------------------------------------------------------- serializers


def parent_code(serializer, obj) -> str | None:
    """The tree parent's code, from a map the viewset filled for the whole page (no N+1)."""
    codes = serializer.context.get("parent_codes")
    if codes is None:
        codes = tree_parent_codes(type(obj), [obj])
    return codes.get(obj.path[: -obj.steplen])


def tree_parent_codes(model, objects) -> dict[str, str]:
    paths = {o.path[: -o.steplen] for o in objects if o.depth > 1}
    if not paths:
        return {}
    return dict(model.objects.filter(path__in=paths).values_list("path", "code"))


class TreePageMixin:
    """Fills ``parent_codes`` for a page of tree nodes in one query."""

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args:
            objects = list(args[0])
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["parent_codes"] = tree_parent_codes(self.queryset.model, objects)
            args = (objects, *args[1:])
        return super().get_serializer(*args, **kwargs)


class JurisdictionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Jurisdiction
        fields = ["code", "level", "name", *Jurisdiction.NAME_FIELDS, "parent", "is_iso"]

    def get_parent(self, obj) -> str | None:
        return parent_code(self, obj)


class JurisdictionCreateSerializer(StrictSerializer):
    code = serializers.CharField(max_length=40)
    level = serializers.ChoiceField(choices=JurisdictionLevel.choices)
    name_en, name_zh_hans, name_ru = name_inputs()
    parent = VisibleRelatedField(Jurisdiction, "code", required=False, allow_null=True)


class OrganisationRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["uuid", "code", "name"]


class OrganisationSerializer(StrictModelSerializer):
    name = serializers.CharField(read_only=True)
    jurisdiction = VisibleRelatedField(Jurisdiction, "code")
    supervisor = VisibleRelatedField(
        Organisation, "code", required=False, allow_null=True, write_only=True
    )
    supervisor_code = serializers.SerializerMethodField()
    node = serializers.CharField(source="origin_node.name", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "uuid",
            "code",
            "kind",
            "name",
            *Organisation.NAME_FIELDS,
            "jurisdiction",
            "supervisor",
            "supervisor_code",
            "node",
            "is_active",
        ]
        read_only_fields = ["uuid", "is_active"]

    def get_supervisor_code(self, obj) -> str | None:
        return parent_code(self, obj)


class OrganisationUpdateSerializer(StrictModelSerializer):
    jurisdiction = VisibleRelatedField(Jurisdiction, "code", required=False)

    class Meta:
        model = Organisation
        fields = ["kind", "name_en", "name_zh_hans", "name_ru", "jurisdiction", "is_active"]
        extra_kwargs = {f: {"required": False} for f in fields}


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "role"]


class UserSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["uuid", "email", "full_name", "language", "is_active", "memberships"]


class UserCreateSerializer(StrictSerializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    password = serializers.CharField(required=False, write_only=True, allow_blank=True)
    organisation = VisibleRelatedField(Organisation, "code")
    role = serializers.ChoiceField(choices=Role.choices)


class RoleGrantSerializer(StrictSerializer):
    organisation = VisibleRelatedField(Organisation, "code")
    role = serializers.ChoiceField(choices=Role.choices)


class MeSerializer(StrictModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)
    is_node_admin = serializers.BooleanField(read_only=True)
    language = serializers.CharField(allow_blank=True, required=False)

    class Meta:
        model = User
        fields = ["uuid", "email", "full_name", "language", "is_node_admin", "memberships"]
        read_only_fields = ["uuid", "email"]


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = [
            "uuid",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        ]


class TokenCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    expires_in_days = serializers.IntegerField(required=False, min_value=1, max_value=3650)


class TokenCreatedSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once; store it now.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


class SharingGroupMemberSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    node = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)

    class Meta:
        model = SharingGroupMember
        fields = ["id", "organisation", "node", "added_at"]


class SharingGroupSerializer(StrictModelSerializer):
    owner_org = VisibleRelatedField(Organisation, "code")
    members = SharingGroupMemberSerializer(many=True, read_only=True)

    class Meta:
        model = SharingGroup
        fields = ["uuid", "name", "description", "owner_org", "members", "created_at"]
        read_only_fields = ["uuid", "created_at"]


class MemberChangeSerializer(StrictSerializer):
    organisation = VisibleRelatedField(Organisation, "code", required=False)
    node = VisibleRelatedField(Node, required=False)


# ---------------------------------------------------------------- filters


class JurisdictionFilter(django_filters.FilterSet):
    within = django_filters.CharFilter(
        method="filter_within", label="Code of an ancestor; returns its whole subtree"
    )
    level = django_filters.ChoiceFilter(choices=JurisdictionLevel.choices)
    q = django_filters.CharFilter(method="filter_q", label="Name or code contains")

    class Meta:
        model = Jurisdiction
        fields = ["within", "level", "q"]

    filter_within = by_code(Jurisdiction, lambda queryset, area: queryset.within(area))

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value)
            | Q(name_en__icontains=value)
            | Q(name_zh_hans__icontains=value)
            | Q(name_ru__icontains=value)
        )


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=OrgKind.choices, widget=forms.Select(attrs={"class": "form-select", "id": "f-kind"})
    )
    jurisdiction = django_filters.CharFilter(
        method="filter_jurisdiction", label="Jurisdiction code; includes its subtree"
    )
    within = django_filters.CharFilter(
        method="filter_within", label="Organisation code; it and the organisations it supervises"
    )

    class Meta:
        model = Organisation
        fields = ["kind", "jurisdiction", "within"]

    filter_jurisdiction = by_code(
        Jurisdiction,
        lambda queryset, area: queryset.filter(jurisdiction__path__startswith=area.path),
    )
    filter_within = by_code(Organisation, lambda queryset, org: queryset.within(org))


# ---------------------------------------------------------------- views


@documented("me", answer=MeSerializer)
class MeViewSet(VisibleViewSet):
    """The signed-in user: profile, memberships and preferred language."""

    serializer_class = MeSerializer
    queryset = User.objects.all()
    pagination_class = None

    def retrieve(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer)
    def partial_update(self, request):
        data = validated(request, MeSerializer, instance=request.user, partial=True)
        user = services.user_update_profile(
            actor=self.actor,
            user=request.user,
            full_name=data.get("full_name"),
            language=data.get("language"),
        )
        return Response(MeSerializer(user).data)


@extend_schema_view(
    list=extend_schema(tags=["me"], responses={200: TokenSerializer(many=True)}),
    create=extend_schema(
        tags=["me"],
        request=TokenCreateSerializer,
        responses={201: TokenCreatedSerializer, **ERROR_RESPONSES},
    ),
    destroy=documented("me", answer=None, status=204),
)
class TokenViewSet(mixins.ListModelMixin, VisibleViewSet):
    """The signed-in user's own API tokens. Revoking is permanent."""

    keep_answers = False  # not audited: a token's last use

    serializer_class = TokenSerializer
    queryset = ApiToken.objects.all()

    def create(self, request):
        data = validated(request, TokenCreateSerializer)
        token, plain = services.token_create(actor=self.actor, user=request.user, **data)
        body = TokenSerializer(token).data | {"token": plain}
        return Response(body, status=status.HTTP_201_CREATED)

    def destroy(self, request, uuid=None):
        services.token_revoke(actor=self.actor, token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(tags=["directory"]),
    retrieve=documented("directory", answer=JurisdictionSerializer),
)
class JurisdictionViewSet(
    TreePageMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet
):
    """Countries, provinces, cities and counties; ``within=CN-GD`` gives a subtree."""

    serializer_class = JurisdictionSerializer
    queryset = Jurisdiction.objects.all()
    filterset_class = JurisdictionFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"

    def get_object(self):
        return get_object_or_404(self.get_queryset(), code=self.kwargs["code"].upper())

    @documented("directory", JurisdictionCreateSerializer, JurisdictionSerializer, status=201)
    def create(self, request):
        data = validated(request, JurisdictionCreateSerializer)
        values = dict(data)
        values["code"] = values["code"].strip().upper()
        area = services.jurisdiction_add(actor=self.actor, **values)
        return Response(JurisdictionSerializer(area).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(tags=["directory"]),
    retrieve=documented("directory", answer=OrganisationSerializer),
    create=documented("directory", answer=OrganisationSerializer, status=201),
    partial_update=extend_schema(
        tags=["directory"],
        request=OrganisationUpdateSerializer,
        responses={200: OrganisationSerializer, **ERROR_RESPONSES},
    ),
)
class OrganisationViewSet(
    TreePageMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet
):
    """Authorities and parties; node administrators create and change them."""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.select_related("jurisdiction", "origin_node")
    filterset_class = OrganisationFilter

    def create(self, request):
        return self.created(
            services.organisation_create, OrganisationSerializer, OrganisationSerializer
        )

    def partial_update(self, request, uuid=None):
        org = self.get_object()
        data = validated(request, OrganisationUpdateSerializer, instance=org, partial=True)
        org = services.organisation_update(actor=self.actor, organisation=org, **data)
        return Response(OrganisationSerializer(org).data)


@extend_schema_view(
    list=extend_schema(tags=["directory"]),
    retrieve=documented("directory", answer=SharingGroupSerializer),
    create=documented("directory", answer=SharingGroupSerializer, status=201),
)
class SharingGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Sharing groups the user's organisations own or belong to."""

    serializer_class = SharingGroupSerializer
    queryset = SharingGroup.objects.select_related("owner_org").prefetch_related(
        "members__organisation", "members__node"
    )

    def create(self, request):
        return self.created(
            services.sharing_group_create, SharingGroupSerializer, SharingGroupSerializer
        )

    @documented("directory", MemberChangeSerializer, SharingGroupSerializer)
    @action(detail=True, methods=["post"], url_path="members")
    def add_member(self, request, uuid=None):
        return self.changed(services.sharing_group_add_member, "group", MemberChangeSerializer)

    @documented("directory", None, SharingGroupSerializer)
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<member_id>\d+)")
    def remove_member(self, request, uuid=None, member_id=None):
        group = self.get_object()
        member = get_object_or_404(group.members.all(), pk=member_id)
        services.sharing_group_remove_member(actor=self.actor, member=member)
        return Response(SharingGroupSerializer(self.get_object()).data)


@extend_schema_view(
    list=extend_schema(tags=["directory"]),
    retrieve=documented("directory", answer=UserSerializer),
)
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """People of the user's organisations and those they supervise; all of them for node
    administrators, who also create users and grant and remove roles."""

    serializer_class = UserSerializer
    queryset = User.objects.prefetch_related("memberships__organisation").order_by("email")

    @documented("directory", UserCreateSerializer, UserSerializer, status=201)
    def create(self, request):
        values = validated(request, UserCreateSerializer)
        with transaction.atomic():
            user = services.user_create(
                actor=self.actor,
                email=values["email"],
                full_name=values["full_name"],
                password=values.get("password") or None,
            )
            services.membership_grant(
                actor=self.actor,
                user=user,
                organisation=values["organisation"],
                role=values["role"],
            )
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @documented("directory", RoleGrantSerializer, UserSerializer)
    @action(detail=True, methods=["post"], url_path="roles")
    def grant_role(self, request, uuid=None):
        return self.changed(services.membership_grant, "user", RoleGrantSerializer)

    @documented("directory", RoleGrantSerializer, UserSerializer)
    @action(detail=True, methods=["delete"], url_path="roles/remove")
    def revoke_role(self, request, uuid=None):
        user = self.get_object()
        data = validated(request, RoleGrantSerializer)
        membership = get_object_or_404(user.memberships, **data)
        services.membership_revoke(actor=self.actor, membership=membership)
        return Response(UserSerializer(self.get_object()).data)
