"""The OpenAPI schema's view of every operation (``DEFAULT_SCHEMA_CLASS``) and the API's one
error shape as the schema documents it. Kept apart from ``api.py``: DRF loads the schema class
while ``api.py`` is itself loading (its viewsets are decorated with ``extend_schema``)."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField())
                ),
            },
        )
    },
)
ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input"),
    401: OpenApiResponse(ErrorSerializer, description="Not authenticated"),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed"),
    404: OpenApiResponse(ErrorSerializer, description="Not found or not visible"),
}
CONFLICT_RESPONSE = OpenApiResponse(
    ErrorSerializer, description="Not possible in the record's current state"
)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(SpectacularAutoSchema):
    """Every operation documents the API's error answers (400, 401, 403, 404 in the one error
    shape), whether or not its view declares them: any operation answers 401 without a valid
    token and 403 when the role does not allow it, a list answers 400 to a filter value it
    does not know and 404 to a page past its end. Every write documents 409 too: the services
    refuse a step the record's state does not allow (``core.errors.Conflict``). An operation's
    own declaration of one of these codes wins."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = dict(ERROR_RESPONSES)
        if self.method in WRITE_METHODS:
            errors[409] = CONFLICT_RESPONSE
        for status, response in errors.items():
            code = str(status)
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
