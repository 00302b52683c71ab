"""OpenAPI pieces shared by the API: the error body and a schema class that documents the error responses
(400/401/403/404/409/413/429) of every operation, so that clients and fuzzers know every status an endpoint
can return."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from hrguard.platform.api_limits import MAX_BODY_BYTES, BodyLimit

# Path ids: at most 18 digits, so that every id fits a 64-bit integer column on every database.
ID_PATTERN = r"[0-9]{1,18}"
MAX_ID = 2**63 - 1
WRITE_METHODS = ("POST", "PUT", "PATCH")


@extend_schema_serializer(component_name="ApiError")
class ErrorSerializer(serializers.Serializer):
    """The one error format of the API (see ``hrguard.api.errors``)."""

    error = serializers.CharField(
        help_text="Machine-readable code: invalid, not_authenticated, authentication_failed, permission_denied, "
        "not_found, conflict, too_large, throttled, parse_error, unsupported_media_type, method_not_allowed, "
        "not_acceptable, server_error."
    )
    detail = serializers.CharField(help_text="Human-readable message.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation messages by field name (only with error=invalid). Nested fields are written "
        "as paths, e.g. `clauses[1].template`; errors not tied to one field are under `non_field_errors`.",
    )


ERROR_DESCRIPTIONS = {
    400: "Validation failed (or malformed JSON / query parameters): messages by field in `fields`. "
    "Nothing was saved.",
    401: "Not authenticated: send `Authorization: Token <key>` (from POST /api/v1/auth/token/).",
    403: "Authenticated, but not allowed to do this (role or object permission).",
    404: "Not found, or not visible to this user (another company's, or outside the user's scope).",
    409: "Conflict with a concurrent change (e.g. the employee/contract number was taken meanwhile). "
    "Nothing was saved; reload and retry.",
    413: f"Request body larger than {MAX_BODY_BYTES // 1024} KiB.",
    429: "Too many requests; retry after the number of seconds in the `Retry-After` header.",
}

RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying."}
}


def error_response(code: int) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])


class ApiSchema(AutoSchema):
    """AutoSchema that adds the error responses an operation can produce, unless declared explicitly:
    400 when it takes a body or query parameters, 401/403 when it needs a signed-in user, 404 when its path
    names an object, 409 for writes, 413 when it takes a size-capped body, 429 when it is rate limited."""

    def _error_codes(self) -> list[int]:
        codes: list[int] = []
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        writes = self.method in WRITE_METHODS
        if writes or has_query:
            codes.append(400)
        public = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        if not public:
            codes += [401, 403]
        if "{" in self.path:
            codes.append(404)
        if writes and not public:
            codes.append(409)
        if writes and any(issubclass(p, BodyLimit) for p in self.view.parser_classes):
            codes.append(413)
        if self.view.get_throttles():
            codes.append(429)
        return codes

    def get_tags(self) -> list[str]:
        """The first path part after the version: ``/api/v1/risk/alerts/`` is tagged ``risk``. (The automatic
        prefix is ``/api``, common to the schema and docs routes too, so the default tag of every operation
        without an explicit one was ``v1``.) Operation ids are unchanged."""
        parts = [part for part in self._tokenize_path() if not re.fullmatch(r"v[0-9]+", part)]
        return parts[:1]

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(error_response(code), str(code), direction=direction)
        return responses

    def _get_response_headers_for_code(self, status_code: Any, direction: Any = "response") -> dict[str, Any]:
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) == "429":
            headers = {**RETRY_AFTER, **headers}
        return headers
