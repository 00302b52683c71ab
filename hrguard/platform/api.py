"""Shared pieces of the API, below every domain: the error schema, bigint id parameters, and a read-only
list/retrieve viewset base whose queryset always comes from a scoped selector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response

MAX_ID = 2**63 - 1  # bigint primary keys


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Validation failed; messages by field. Nothing was saved."),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed for this user."),
    404: OpenApiResponse(ErrorSerializer, description="Not found (or not visible to this user)."),
}
READ_ERRORS = {403: ERRORS[403], 404: ERRORS[404]}


def writes(request_serializer: Any, response_serializer: Any, status: int = 200, **kw: Any) -> Any:
    return extend_schema(request=request_serializer, responses={status: response_serializer, **ERRORS}, **kw)


def int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        number = int(raw)
    except ValueError:
        raise DRFValidationError({name: ["Not an integer."]}) from None
    if not 0 <= number <= MAX_ID:
        raise DRFValidationError({name: ["Out of range."]})
    return number


class ScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve from a scoped selector; subclasses add ``create`` and actions that call services."""

    selector: Callable[..., QuerySet[Any]]
    # Ids are bigints: anything else (text, 19+ digits) is not a route at all (404, never a 500).
    lookup_value_regex = "[0-9]{1,18}"

    def filters(self) -> dict[str, Any]:
        return {}

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()  # type: ignore[union-attr]
        return type(self).selector(self.request.user, **self.filters()).order_by("-pk")

    def reply(self, obj: Any, status: int = 200) -> Response:
        return Response(self.get_serializer(obj).data, status=status)
