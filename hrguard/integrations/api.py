"""REST API of the webhooks (/api/v1/webhooks/…), the company administrator's alone. Thin: serializers
parse, services act (their refusals come back as 400 by field, in Chinese by default)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.platform.api import ERRORS, READ_ERRORS, ScopedViewSet, int_param

from . import selectors, services
from .models import DeliveryState, EventType, WebhookDelivery, WebhookEndpoint


class EndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "description", "events", "active", "include_id_number", "created_at", "updated_at"]


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown once, in this answer only.")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class EndpointInput(serializers.Serializer):
    # Shapes only: the service checks the URL (https, SSRF) and the events and names the field in Chinese.
    url = serializers.CharField(max_length=500, allow_blank=True)
    events = serializers.ListField(child=serializers.CharField(max_length=40), max_length=10, allow_empty=True,
                                   help_text=f"Event types: {', '.join(EventType.values)}")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    active = serializers.BooleanField(required=False, default=True)
    include_id_number = serializers.BooleanField(required=False, default=False)


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = ["id", "delivery_id", "event_id", "event_type", "endpoint", "employee", "state", "attempts",
                  "next_attempt_at", "last_status", "last_response", "last_error", "id_number_included",
                  "created_at", "delivered_at"]


def _with_secret(issued: services.IssuedSecret) -> dict[str, Any]:
    return {**EndpointSerializer(issued.endpoint).data, "secret": issued.secret}


class EndpointViewSet(ScopedViewSet):
    serializer_class = EndpointSerializer
    selector = selectors.endpoints

    @extend_schema(responses={200: EndpointSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: EndpointSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.reply(services.endpoint_for(request.user, kwargs.get("pk")))

    @extend_schema(request=EndpointInput, responses={201: EndpointWithSecretSerializer, **ERRORS})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = EndpointInput(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(_with_secret(services.create_endpoint(actor=request.user, **ser.validated_data)), status=201)

    @extend_schema(request=EndpointInput, responses={200: EndpointSerializer, **ERRORS})
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = EndpointInput(data=request.data)
        ser.is_valid(raise_exception=True)
        return self.reply(services.update_endpoint(actor=request.user, endpoint_id=kwargs.get("pk"),
                                                   **ser.validated_data))

    @extend_schema(request=None, responses={200: EndpointWithSecretSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str | None = None) -> Response:
        return Response(_with_secret(services.rotate_secret(actor=request.user, endpoint_id=pk)))


class DeliveryViewSet(ScopedViewSet):
    serializer_class = DeliverySerializer
    selector = selectors.deliveries

    def filters(self) -> dict[str, Any]:
        state = self.request.query_params.get("state", "")
        return {"state": state if state in ("problems", *DeliveryState.values) else "",
                "endpoint_id": int_param(self.request, "endpoint")}

    @extend_schema(responses={200: DeliverySerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: DeliverySerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: DeliverySerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def resend(self, request: Request, pk: str | None = None) -> Response:
        return self.reply(services.resend(actor=request.user, delivery_id=pk))
