"""REST API of clients (/api/v1/clients/): list and retrieve with who serves them (admin, HR, legal,
compliance), create and update (HR), set coverage (HR; shares over 100% → 400 naming the field)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.people import selectors as people_selectors
from hrguard.platform.api import ERRORS, MAX_ID, READ_ERRORS

from . import selectors, services
from .models import Client, ClientCoverage, CoverageRole, Readiness


class CoverageSerializer(serializers.ModelSerializer):
    employee_name = serializers.CharField(source="employee.name", read_only=True)

    class Meta:
        model = ClientCoverage
        fields = ["id", "employee", "employee_name", "role", "since", "revenue_share", "readiness"]


class ClientSerializer(serializers.ModelSerializer):
    coverage = CoverageSerializer(many=True, read_only=True)

    class Meta:
        model = Client
        fields = ["id", "name", "since", "annual_revenue", "revenue_share", "note", "is_active", "coverage"]


class ClientInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    since = serializers.DateField(required=False, allow_null=True)
    annual_revenue = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    revenue_share = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CoverageInput(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    role = serializers.ChoiceField(choices=CoverageRole.values, required=False, default=CoverageRole.PRIMARY)
    since = serializers.DateField(required=False, allow_null=True)
    revenue_share = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    readiness = serializers.ChoiceField(choices=["", *Readiness.values], required=False, default="")


class ClientViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ClientSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[Client]:
        if getattr(self, "swagger_fake_view", False):
            return Client.objects.none()
        return selectors.clients_for(self.request.user).prefetch_related("coverage__employee").order_by("name", "id")

    @extend_schema(responses={200: ClientSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ClientSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    def _out(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        client = self.get_queryset().filter(pk=pk).first()
        if client is None:
            raise NotFound()
        return Response(ClientSerializer(client).data, status=code)

    @extend_schema(request=ClientInput, responses={201: ClientSerializer, **ERRORS})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = ClientInput(data=request.data)
        ser.is_valid(raise_exception=True)
        client = services.save_client(actor=request.user, **ser.validated_data)
        return self._out(client.pk, status.HTTP_201_CREATED)

    @extend_schema(request=ClientInput, responses={200: ClientSerializer, **ERRORS})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        current = self.get_object()
        ser = ClientInput(data={**ClientInput(current).data, **request.data})
        ser.is_valid(raise_exception=True)
        services.save_client(actor=request.user, client_id=current.pk, **ser.validated_data)
        return self._out(current.pk)

    @extend_schema(request=CoverageInput, responses={200: ClientSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def coverage(self, request: Request, pk: str | None = None) -> Response:
        client = self.get_object()
        ser = CoverageInput(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        employee = people_selectors.employee_detail(request.user, d.pop("employee"))
        if employee is None:
            raise NotFound()
        services.set_coverage(actor=request.user, client_id=client.pk, employee=employee, **d)
        return self._out(client.pk)
