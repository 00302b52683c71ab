"""One error format for the whole API: {"error": code, "detail": message, "fields": {field: [messages]}}.

Status codes: 400 invalid input (messages by field), 401 no/bad token, 403 not allowed, 404 not found or not
visible, 409 conflicting concurrent change (a uniqueness race the service's own checks could not see),
413 body too large, 429 throttled (with ``Retry-After``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

# SQLSTATE unique_violation (PostgreSQL); SQLite says so in the message.
_UNIQUE_SQLSTATE = "23505"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The data changed meanwhile (e.g. the same number was just taken). Reload and retry.")
    default_code = "conflict"


def is_unique_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return state == _UNIQUE_SQLSTATE or "UNIQUE constraint failed" in str(exc)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(
            {"error": "invalid", "detail": _("Validation failed."), "fields": fields},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, IntegrityError) and is_unique_violation(exc):
        exc = Conflict()
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        fields = flatten(data if isinstance(data, dict) else {"non_field_errors": data})
        response.data = {"error": "invalid", "detail": _("Validation failed."), "fields": fields}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"error": code, "detail": str(detail)}
    return response


def flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """Nested serializer errors as one level: {"clauses": [{"template": ["…"]}]} → {"clauses[0].template": ["…"]},
    so every error body has the documented shape {field: [message, …]}."""
    out: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            if isinstance(key, int) or (isinstance(key, str) and key.isdigit() and prefix):
                out.update(flatten(value, f"{prefix}[{key}]"))
            else:
                out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(errors, list) and any(isinstance(item, dict | list) for item in errors):
        for index, value in enumerate(errors):
            if value:
                out.update(flatten(value, f"{prefix}[{index}]"))
    elif isinstance(errors, list):
        out[prefix or "non_field_errors"] = [str(item) for item in errors]
    else:
        out[prefix or "non_field_errors"] = [str(errors)]
    return out
