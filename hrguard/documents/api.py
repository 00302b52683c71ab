"""REST API of the documents app (/api/v1/documents/): templates, signing requests and their progress.

Thin: serializers parse, ``services.send_request`` validates and acts, selectors in ``tracker`` scope every
query to the user's company (HR/admin/legal read; HR/admin send)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.platform.api import ERRORS, READ_ERRORS

from . import services, tracker
from .models import DocumentTemplate, Envelope, SigningRequest, TemplateVersion
from .variables import REQUEST_VARIABLES

MAX_BATCH = 20_000


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemplateVersion
        fields = ["id", "number", "title", "addressee", "body", "signer_label", "show_full_id", "seal_text",
                  "body_sha256", "created_at"]


class TemplateSerializer(serializers.ModelSerializer):
    latest = serializers.SerializerMethodField()

    class Meta:
        model = DocumentTemplate
        fields = ["id", "kind", "name", "active", "latest"]

    @extend_schema_field(VersionSerializer(allow_null=True))
    def get_latest(self, obj: DocumentTemplate) -> dict[str, Any] | None:
        v = obj.latest
        return VersionSerializer(v).data if v else None


class RequestSerializer(serializers.ModelSerializer):
    template = serializers.CharField(source="version.template.name", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = SigningRequest
        fields = ["id", "title", "template", "version", "version_number", "channels", "deadline_at", "created_at",
                  "size", "policy"]


class EnvelopeSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)

    class Meta:
        model = Envelope
        fields = ["id", "document_id", "employee", "employee_no", "employee_name", "status", "sent_at",
                  "delivered_at", "opened_at", "verified_at", "signed_at", "declined_at", "expired_at",
                  "decline_reason", "content_sha256", "original_sha256", "signed_sha256", "last_ip", "last_device",
                  "fallback_opened_at", "locked_at"]


class CreateRequestSerializer(serializers.Serializer):
    template = serializers.IntegerField(min_value=1, max_value=2**63 - 1,
                                        help_text="Template id; its latest version is pinned.")
    employees = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                      min_length=1, max_length=MAX_BATCH)
    channels = serializers.ListField(child=serializers.ChoiceField(choices=list(services.ALLOWED_CHANNELS)),
                                     min_length=1, max_length=6)
    deadline_at = serializers.DateTimeField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    extra = serializers.DictField(child=serializers.CharField(max_length=2000, allow_blank=True), required=False,
                                  help_text="Values for " + ", ".join(REQUEST_VARIABLES))
    skip_unreachable = serializers.BooleanField(required=False, default=False)


class TemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TemplateSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[DocumentTemplate]:
        if not tracker.can_track(self.request.user):
            return DocumentTemplate.objects.none()
        return DocumentTemplate.objects.filter(company_id=self.request.user.company_id).order_by("kind", "name")

    @extend_schema(responses={200: TemplateSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: TemplateSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RequestSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[SigningRequest]:
        return tracker.requests_for(self.request.user).order_by("-created_at", "-id")

    @extend_schema(responses={200: RequestSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: RequestSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=CreateRequestSerializer, responses={201: RequestSerializer, **ERRORS})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        if not services.can_send(user):
            raise PermissionDenied
        ser = CreateRequestSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        template = DocumentTemplate.objects.filter(company_id=user.company_id, pk=d["template"]).first()
        if template is None or template.latest is None:
            raise serializers.ValidationError({"template": ["Unknown template."]})
        result = services.send_request(
            user.company, actor=user, version=template.latest, employees=d["employees"], channels=d["channels"],
            deadline_at=d["deadline_at"], extra=d.get("extra") or {}, title=d.get("title", ""),
            skip_unreachable=d["skip_unreachable"],
        )
        return Response(RequestSerializer(result.request).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: EnvelopeSerializer(many=True), **READ_ERRORS})
    @action(detail=True, methods=["get"])
    def envelopes(self, request: Request, pk: str | None = None) -> Response:
        req = self.get_object()
        tracker.sync_delivery(req)
        qs = Envelope.objects.filter(request=req).select_related("employee").order_by("employee__employee_no", "id")
        page = self.paginate_queryset(qs)
        if page is not None:
            return self.get_paginated_response(EnvelopeSerializer(page, many=True).data)
        return Response(EnvelopeSerializer(qs, many=True).data)
