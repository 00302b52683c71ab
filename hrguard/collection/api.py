"""REST API of collection contacts (/api/v1/collection-contacts/): list and retrieve for readers of the
log (``collection.view_contacts``; a refused attempt is evidence), create for whoever may log
(``collection.log_contact``: HR and the granted front desk). The same call within the duplicate window
answers 409 with the earlier contact until ``merge_into`` or ``not_duplicate`` is sent."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.platform.api import ERRORS, MAX_ID, READ_ERRORS

from . import selectors, services
from .models import Channel, Contact


class ContactSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="file.case_id")
    case_number = serializers.CharField(source="file.case.number")

    class Meta:
        model = Contact
        fields = ["id", "case", "case_number", "employee", "occurred_at", "channel", "agency", "caller_name",
                  "caller_number", "employee_named", "amount_mentioned", "asked_to_collect", "threats", "night",
                  "received_by", "former_employee", "repeats", "notified_at", "response_due_at", "responded_at"]


class ContactDetailSerializer(ContactSerializer):
    class Meta(ContactSerializer.Meta):
        fields = [*ContactSerializer.Meta.fields, "said"]


class CreateContactSerializer(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    occurred_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.values)
    agency = serializers.CharField(max_length=200, allow_blank=True)
    caller_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    caller_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    said = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    employee_named = serializers.BooleanField(required=False, default=False)
    amount_mentioned = serializers.BooleanField(required=False, default=False)
    asked_to_collect = serializers.BooleanField(required=False, default=False)
    threats = serializers.BooleanField(required=False, default=False)
    received_by = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    merge_into = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                          default=None)
    not_duplicate = serializers.BooleanField(required=False, default=False)


class DuplicateSerializer(serializers.Serializer):
    error = serializers.CharField()
    detail = serializers.CharField()
    existing = serializers.IntegerField()


class ContactViewSet(viewsets.ViewSet):
    lookup_value_regex = "[0-9]{1,18}"

    @extend_schema(responses={200: ContactSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request) -> Response:
        rows = selectors.contact_log(request.user)
        return Response(ContactSerializer(rows, many=True).data)

    @extend_schema(responses={200: ContactDetailSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(ContactDetailSerializer(selectors.contact_for(request.user, pk)).data)

    @extend_schema(request=CreateContactSerializer, responses={
        201: ContactSerializer, 409: OpenApiResponse(DuplicateSerializer, description="Probably the same call."),
        **ERRORS})
    def create(self, request: Request) -> Response:
        ser = CreateContactSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d: dict[str, Any] = dict(ser.validated_data)
        found = services.employees_to_choose(request.user, [d.pop("employee")])
        try:
            contact = services.log_contact(actor=request.user, employee=found[0] if found else None, **d)
        except services.DuplicateContact as exc:
            return Response({"error": "duplicate", "detail": exc.message_dict["caller_number"][0],
                             "existing": exc.existing.pk}, status=status.HTTP_409_CONFLICT)
        contact = Contact.objects.select_related("file__case").get(pk=contact.pk)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)
