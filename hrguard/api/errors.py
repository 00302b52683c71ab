"""One error format for the whole API: {"error": code, "detail": message, "fields": {field: [messages]}}.

Status codes: 400 invalid input (messages by field), 401 no/bad token, 403 not allowed, 404 not found or not
visible, 409 conflicting concurrent change (a uniqueness race the service's own checks could not see),
413 body too large, 429 throttled (with ``Retry-After``), 500 server error.

Every answer under /api/ is in this format, also the ones Django gives before or outside a view: an
unknown path or malformed id (404), a body Django refuses while reading it (over 1,000 fields or too big
for ``DATA_UPLOAD_MAX_MEMORY_SIZE``), and a server error. The project URL conf routes Django's error
views here (``handler400`` … ``handler500``); elsewhere they render the site's error pages as before."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from hrguard.platform.api_limits import PayloadTooLarge

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


class TooManyFields(exceptions.ParseError):
    default_detail = gettext_lazy("The request has too many fields or files.")


def _refused_body(exc: Exception) -> exceptions.APIException | None:
    """What Django raises while reading a body it will not accept, as an API error."""
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return TooManyFields()
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _refused_body(exc) or exc
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
    _render_as_json(context.get("request"))
    return response


def _render_as_json(request: Any) -> None:
    """Errors are JSON whatever the view renders otherwise (the schema's YAML, the docs page's HTML) and
    whatever the client accepts (so a 406 is JSON too)."""
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type


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


# Django's error views (``handler400`` … ``handler500`` in the project URL conf): JSON under /api/.

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _json_error(status_code: int, code: str, detail: Any) -> JsonResponse:
    return JsonResponse({"error": code, "detail": str(detail)}, status=status_code,
                        json_dumps_params={"ensure_ascii": False})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    refused = _refused_body(exception)
    if refused is not None:
        return _json_error(refused.status_code, refused.default_code, refused.default_detail)
    detail = _("The request could not be read.") if isinstance(exception, SuspiciousOperation) else exception
    return _json_error(400, "parse_error", detail or _("The request could not be read."))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _is_api(request):
        return defaults.permission_denied(request, exception)
    return _json_error(403, "permission_denied", exceptions.PermissionDenied.default_detail)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return _json_error(404, "not_found", exceptions.NotFound.default_detail)


def server_error(request: HttpRequest) -> HttpResponse:
    if not _is_api(request):
        return defaults.server_error(request)
    return _json_error(500, "server_error", _("Server error. It has been logged; please try again later."))
