"""REST API of clients (/api/v1/clients/): list and retrieve with who serves them (admin, HR, legal,
compliance), create and update (HR), set coverage (HR; shares over 100% → 400 naming the field)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.people import selectors as people_selectors
from hrguard.platform import uploads
from hrguard.platform.api import ERRORS, MAX_ID, READ_ERRORS, ErrorSerializer
from hrguard.platform.api_limits import LimitedFormParser, LimitedJSONParser

from . import imports, selectors, services
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


class ClientFileIn(serializers.Serializer):
    file = serializers.FileField(help_text="客户导入 sheet (.xlsx or .csv) with the columns of the template "
                                           "(/clients/import/template.xlsx)")


class ImportErrorOut(serializers.Serializer):
    row = serializers.IntegerField(help_text="row of the sheet (1 = header; 0 = the file as a whole)")
    column = serializers.CharField()
    message = serializers.CharField()


class ClientImportOut(serializers.Serializer):
    ok = serializers.BooleanField()
    clients_created = serializers.IntegerField()
    clients_updated = serializers.IntegerField()
    coverage = serializers.IntegerField()
    errors = ImportErrorOut(many=True)


class ClientImportRejected(ErrorSerializer):
    """A 400: the API's error shape (a bad upload: ``fields``); for a sheet with bad rows also the report."""

    ok = serializers.BooleanField(required=False)
    clients_created = serializers.IntegerField(required=False)
    clients_updated = serializers.IntegerField(required=False)
    coverage = serializers.IntegerField(required=False)
    errors = ImportErrorOut(many=True, required=False)


class ClientViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ClientSerializer
    lookup_value_regex = "[0-9]{1,18}"

    parser_classes = [LimitedJSONParser, MultiPartParser, LimitedFormParser]

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

    @extend_schema(request={"multipart/form-data": ClientFileIn}, responses={200: ClientImportOut,
                                                                            400: ClientImportRejected, **READ_ERRORS},
                   description="Import clients and who serves them from a sheet (客户导入). Every row is checked "
                               "first; with any error nothing is saved and the errors are listed by row and column.")
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request: Request) -> Response:
        if not request.user.has_perm("clients.manage_clients"):
            raise PermissionDenied()
        body = ClientFileIn(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        content = uploads.read(upload)
        try:
            checked = uploads.check(upload.name, content, uploads.SPREADSHEETS)
        except uploads.UploadError as exc:
            raise DRFValidationError({"file": [str(exc)]}) from exc
        report = imports.import_clients(actor=request.user, content=content, source=checked.name)
        out = {"ok": report.ok, "clients_created": report.created, "clients_updated": report.updated,
               "coverage": report.saved_coverage,
               "errors": [{"row": r, "column": c, "message": m} for r, c, m in report.errors]}
        if report.ok:
            return Response(ClientImportOut(out).data, status=status.HTTP_200_OK)
        rejected = {"error": "invalid", "detail": str(_("The sheet has errors; nothing was saved.")), **out}
        return Response(ClientImportRejected(rejected).data, status=status.HTTP_400_BAD_REQUEST)
