"""API foundations: the one error shape, strict serializers, pagination and the base viewset
that applies ``visible_to`` so a new endpoint cannot forget it."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.fields import empty
from rest_framework.response import Response
from rest_framework.views import set_rollback

from ipex.core.audit import actor_from_request
from ipex.core.errors import DomainError
from ipex.core.filters import AuditFilter
from ipex.core.freshness import kept_answer
from ipex.core.models import AuditEntry, Distribution, Job
from ipex.core.schema import ERROR_RESPONSES, ErrorSerializer  # noqa: F401 - apps import both from here
from ipex.core.services import shared_record_share
from ipex.core.visibility import UnknownRecord, resolve_model, resolve_visible

log = logging.getLogger(__name__)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    """The one error shape of the whole API."""
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: [str(m) for m in value] if isinstance(value, list) else [str(value)]
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        return {"__all__": [str(m) for m in detail]}
    return {"__all__": [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, Http404):
        return Response(error_body("not_found", _("Not found.")), status=404)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        set_rollback()
        return Response(
            error_body("invalid", _("Please correct the errors below."), _flatten(exc.detail)),
            status=400,
        )
    if isinstance(exc, exceptions.ParseError):
        return Response(
            error_body("malformed", _("The request body is not valid JSON.")), status=400
        )
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        message = exc.detail if isinstance(exc.detail, str) else exc.default_detail
        headers = {}
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            headers["WWW-Authenticate"] = "Bearer"
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        return Response(error_body(code, message), status=exc.status_code, headers=headers)
    return None


def json_not_found(request, exception=None):  # noqa: ARG001
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


def json_server_error(request):  # noqa: ARG001
    return JsonResponse(
        error_body("server_error", _("Something went wrong on the server; it has been logged.")),
        status=500,
    )


def documented(tag: str, request=empty, answer=None, *, status: int = 200, **options):
    """``extend_schema`` for an endpoint under ``tag``: its ``request`` body (None: takes none)
    and its ``answer`` with ``status``, beside the API's error answers."""
    responses = {status: answer, **ERROR_RESPONSES}
    return extend_schema(tags=[tag], request=request, responses=responses, **options)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know and fields that cannot be written."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            errors = {}
            for key in data:
                if key in writable:
                    continue
                if key in self.fields:
                    errors[key] = [_("This field is read-only.")]
                else:
                    errors[key] = [_("Unknown field.")]
            if errors:
                raise exceptions.ValidationError(errors)
        return super().to_internal_value(data)


class NoInputSerializer(StrictSerializer):
    """A step that takes no fields: it still refuses the fields it does not know."""


def country_parameter(description: str) -> OpenApiParameter:
    """The required ``country`` query parameter of a statistics read: a jurisdiction code."""
    return OpenApiParameter("country", str, required=True, description=description)


def name_inputs() -> tuple[serializers.CharField, ...]:
    """The input fields of a ``MultilingualName``'s names, in the order of its
    ``NAME_FIELDS``: the English name required, the others optional (empty when not given).
    ``name_en, name_zh_hans, name_ru = name_inputs()`` in the serializer."""
    optional = {"required": False, "allow_blank": True, "default": ""}
    return (
        serializers.CharField(max_length=200),
        serializers.CharField(max_length=200, **optional),
        serializers.CharField(max_length=200, **optional),
    )


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass


# What every answer about a shared record says of it, first in its fields: which record, whose,
# from which node, shared how widely, which version, since when.
RECORD_FIELDS = ["uuid", "owner_org", "origin_node", "distribution", "version", "created_at"]


# A shared record as the API shows it: ``RECORD_FIELDS`` first, whatever ``Meta.fields`` lists
# (it lists the record's own), so no answer about a shared record can leave them out; its owner
# organisation by code, its origin node by name, its sharing group by uuid (shown only where
# ``Meta.fields`` lists it). (A comment, not a docstring: drf-spectacular would give every
# subclass's schema that description.)
class SharedRecordSerializer(serializers.ModelSerializer):
    owner_org = serializers.CharField(source="owner_org.code")
    origin_node = serializers.CharField(source="origin_node.name")
    sharing_group = serializers.UUIDField(
        source="sharing_group.uuid", default=None, allow_null=True
    )

    def get_field_names(self, declared_fields, info):
        own = super().get_field_names(declared_fields, info)
        return [*RECORD_FIELDS, *(name for name in own if name not in RECORD_FIELDS)]


class VisibleRelatedField(serializers.SlugRelatedField):
    """The door for inputs: a record an input names, by uuid (or code where the model has
    one), resolved through ``Model.objects.visible_to(request.user)`` for each request. Missing,
    malformed and hidden get the same "Unknown <thing>." so an answer never tells who has what.
    The serializer needs the request in its context (``context={"request": request}``)."""

    def __init__(self, model, slug_field: str = "uuid", **kwargs):
        self.model = resolve_model(model)
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", self.model._default_manager.all())  # for the schema
        super().__init__(slug_field=slug_field, **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            raise ImproperlyConfigured(
                f"{type(self.root).__name__}.{self.field_name}: a VisibleRelatedField needs the "
                "request in the serializer context."
            )
        return self.model._default_manager.visible_to(request.user)

    def to_internal_value(self, data):
        try:
            return resolve_visible(
                self.model, None, data, field=self.slug_field, queryset=self.get_queryset()
            )
        except UnknownRecord as exc:
            raise exceptions.ValidationError(exc.message, code="unknown") from exc


def reader(serializer):
    """The user a serializer answers, from the request in its context; None without one, and
    ``visible_to(None)`` shows nothing."""
    return getattr(serializer.context.get("request"), "user", None)


def is_year(text: str) -> bool:
    """Is ``text`` a year as a query parameter gives it: 1 to 4 ASCII digits, not 0?
    (``str.isdigit`` also takes "²" and numbers past the calendar's end, which then fail.)"""
    return re.fullmatch(r"[0-9]{1,4}", text or "") is not None and int(text) > 0


def validated(request, serializer_class, data=None, **options) -> dict:
    """The request's body (or ``data``) checked by ``serializer_class``, with the request in its
    context (and ``options`` such as ``instance``, ``partial``); an invalid one raises the API's
    400. A body that is not an object of fields (a JSON number, list, string or null) gets that
    400 too, in the caller's language."""
    data = request.data if data is None else data
    if not isinstance(data, Mapping):
        raise exceptions.ValidationError({"__all__": [_("Send the fields as one JSON object.")]})
    checked = serializer_class(data=data, context={"request": request}, **options)
    checked.is_valid(raise_exception=True)
    return checked.validated_data


class KeptReadsMixin:
    """For every API view: a token user's language, and reads answered from what an earlier
    identical read gave under the same audit head (``core.freshness.kept_answer``; key: the
    reader, the language, the format, the path and query). ``keep_answers = False`` where an
    answer shows what is not audited (a job's progress, a token's last use)."""

    keep_answers = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Token users are known only now, after the middleware ran: use their language.
        language = getattr(request.user, "language", "")
        if language and not request.headers.get("Accept-Language"):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        action = getattr(self, "action", None)  # None on a plain APIView: its GET reads
        if self.keep_answers and request.method == "GET" and action in (None, "list", "retrieve"):
            read = self.get
            key = (
                getattr(request.user, "pk", None),
                translation.get_language(),
                request.accepted_renderer.format,
                request.get_full_path(),
            )
            self.get = lambda *a, **kw: kept_answer("api", key, lambda: read(*a, **kw))


class step:  # noqa: N801 - used like the decorators it stands for
    """A step on a viewset's record (``POST <prefix>/<uuid>/<name>``), declared in one line::

        refuse = step(border.recordation_refuse, ReasonInSerializer, "Customs refuse it.")

    ``service`` does it and ``body`` checks its input (None: the step takes none); the
    viewset's ``run_step(service, body, **options)`` carries it out. Each step is its own
    OpenAPI operation, under the viewset's ``step_tag``, with ``body`` as its request and
    ``responses`` (by default the viewset's ``step_responses``); ``doc`` describes it."""

    def __init__(
        self,
        service,
        body=None,
        doc: str = "",
        *,
        responses: Mapping | None = None,
        url_path: str | None = None,
        parser_classes: list | None = None,
        **options,
    ) -> None:
        self.service, self.body, self.doc, self.responses = service, body, doc, responses
        self.route = {"url_path": url_path} if url_path else {}
        if parser_classes:
            self.route["parser_classes"] = parser_classes
        self.options = options

    def __set_name__(self, owner, name: str) -> None:
        service, body, options = self.service, self.body, self.options

        def view(viewset, request, uuid=None):
            return viewset.run_step(service, body, **options)

        view.__name__, view.__qualname__ = name, f"{owner.__qualname__}.{name}"
        view.__doc__ = self.doc
        view = action(detail=True, methods=["post"], **self.route)(view)
        schema = extend_schema(
            tags=[owner.step_tag],
            request=body,
            responses=self.responses or owner.step_responses,
        )
        setattr(owner, name, schema(view))


class VisibleViewSet(KeptReadsMixin, viewsets.GenericViewSet):
    """Base of every API viewset: records come only through ``visible_to``, by uuid.

    Writes go through ``perform_*`` methods that subclasses implement by calling a service.
    """

    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user)

    @property
    def actor(self):
        return actor_from_request(self.request)

    def created(self, service, input_serializer, output_serializer) -> Response:
        """A ``create`` through its service: the input checked by ``input_serializer``,
        ``service(actor=…, **input)`` makes the record, the answer (201) is
        ``output_serializer`` of it."""
        record = service(actor=self.actor, **validated(self.request, input_serializer))
        body = output_serializer(record, context={"request": self.request}).data
        return Response(body, status=201)

    def changed(self, service, name: str, input_serializer=None, output_serializer=None):
        """A step on this viewset's record through its service: the input checked by
        ``input_serializer`` (None: the step takes none), ``service(actor=…, <name>=record,
        **input)`` changes it, the answer (200) is ``output_serializer`` (by default the
        viewset's for this action) of the record read again through the door."""
        record = self.get_object()
        data = validated(self.request, input_serializer) if input_serializer else {}
        service(actor=self.actor, **{name: record}, **data)
        answer = (output_serializer or self.get_serializer_class())(
            self.get_object(), context={"request": self.request}
        )
        return Response(answer.data)

    #: what a ``step`` declared on this viewset is filed under in the OpenAPI schema, what it
    #: answers, and the name its service takes the record by
    step_tag: str = ""
    step_responses: Mapping | None = None
    step_record: str = ""

    def run_step(self, service, body, **options) -> Response:
        """Carry out a ``step``: by default ``changed`` on this viewset's record, named
        ``step_record``; a viewset whose steps answer otherwise overrides it."""
        return self.changed(service, self.step_record, body or NoInputSerializer, **options)

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, DjangoValidationError) as exc:  # a malformed uuid is "not found"
            raise Http404 from exc


# ---------------------------------------------------------------- core endpoints


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "at",
            "actor_kind",
            "actor_label",
            "action",
            "object_type",
            "object_uuid",
            "object_repr",
            "changes",
            "hash",
        ]


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = [
            "uuid",
            "kind",
            "status",
            "progress",
            "message",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]


@extend_schema_view(list=extend_schema(tags=["audit"]))
class AuditEntryViewSet(mixins.ListModelMixin, VisibleViewSet):
    """The audit log, newest first; node administrators only (others see an empty list)."""

    serializer_class = AuditEntrySerializer
    queryset = AuditEntry.objects.all()
    filterset_class = AuditFilter


@extend_schema_view(
    list=extend_schema(tags=["jobs"]),
    retrieve=documented("jobs", answer=JobSerializer),
)
class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VisibleViewSet):
    """Background jobs the user started, with status, progress and errors."""

    keep_answers = False  # not audited: a job's progress

    serializer_class = JobSerializer
    queryset = Job.objects.all()


class ShareSerializer(StrictSerializer):
    distribution = serializers.ChoiceField(choices=Distribution.choices)
    sharing_group = VisibleRelatedField("directory.SharingGroup", required=False, allow_null=True)


class ShareActionMixin:
    """``POST …/{uuid}/share`` on a viewset of shared records: change who may see it."""

    @extend_schema(request=ShareSerializer, responses={200: OpenApiTypes.OBJECT, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def share(self, request, uuid=None):

        record = self.get_object()
        data = validated(request, ShareSerializer)
        shared_record_share(
            actor=self.actor,
            record=record,
            distribution=data["distribution"],
            sharing_group=data.get("sharing_group"),
        )
        record = type(record).objects.get(pk=record.pk)
        return Response(
            {
                "uuid": str(record.uuid),
                "distribution": record.distribution,
                "sharing_group": str(record.sharing_group.uuid) if record.sharing_group else None,
                "version": record.version,
            }
        )
