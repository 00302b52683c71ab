"""REST API of the non-compete follow-up (/api/v1/noncompete/): list, detail with the schedule, and record a
month's payment. Thin: serializers parse, services act, selectors scope every query to the user's company."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.platform.api import ERRORS, MAX_ID, READ_ERRORS

from . import selectors, services
from .models import Agreement, Month


class AgreementListSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    months_paid = serializers.IntegerField(source="paid", read_only=True, default=0)
    months_unpaid = serializers.IntegerField(source="unpaid", read_only=True, default=0)
    next_due = serializers.DateField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Agreement
        fields = ["id", "employee", "employee_no", "employee_name", "exit", "state", "role", "term_months",
                  "start_date", "end_date", "region", "scope", "monthly_compensation", "compensation_is_default",
                  "liquidated_damages", "released_on", "release_payment", "months_paid", "months_unpaid", "next_due"]


class MonthSerializer(serializers.ModelSerializer):
    class Meta:
        model = Month
        fields = ["id", "seq", "period_start", "period_end", "due_date", "amount", "state", "paid_on", "paid_amount",
                  "proof_state", "proof_requested_at"]


class AgreementDetailSerializer(AgreementListSerializer):
    months = serializers.SerializerMethodField()
    employee_may_cancel = serializers.SerializerMethodField()

    class Meta(AgreementListSerializer.Meta):
        fields = [*AgreementListSerializer.Meta.fields, "eligibility_reason", "months", "employee_may_cancel"]

    def _detail(self, obj: Agreement) -> selectors.AgreementDetail:
        cache = self.context.setdefault("_details", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.agreement_detail(self.context["request"].user, obj.pk,
                                                       today=timezone.localdate())
        return cache[obj.pk]

    @extend_schema_field(MonthSerializer(many=True))
    def get_months(self, obj: Agreement) -> list[dict[str, Any]]:
        return MonthSerializer(self._detail(obj).months, many=True).data  # type: ignore[return-value]

    def get_employee_may_cancel(self, obj: Agreement) -> bool:
        return self._detail(obj).employee_may_cancel


class PaymentSerializer(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="id of the schedule row")
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = AgreementListSerializer

    def get_queryset(self) -> QuerySet[Agreement]:
        if getattr(self, "swagger_fake_view", False):
            return Agreement.objects.none()
        return selectors.agreements_for(self.request.user).select_related("employee").order_by("-pk")

    @extend_schema(responses={200: AgreementListSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = selectors.list_queryset(request.user, today=timezone.localdate())
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response(AgreementListSerializer(page, many=True).data)
        return Response(AgreementListSerializer(rows, many=True).data)

    @extend_schema(responses={200: AgreementDetailSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = selectors.agreement_for(request.user, kwargs.get("pk"))
        return Response(AgreementDetailSerializer(row, context=self.get_serializer_context()).data)

    @extend_schema(request=PaymentSerializer, responses={200: AgreementDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="payments")
    def payments(self, request: Request, pk: str | None = None) -> Response:
        row = selectors.agreement_for(request.user, pk)
        ser = PaymentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        if not row.months.filter(pk=d["month"]).exists():
            return Response({"error": "invalid", "fields": {"month": ["该月份不属于此竞业限制协议。"]}}, status=400)
        services.record_payment(actor=request.user, month_id=d["month"], paid_on=d["paid_on"], amount=d["amount"])
        return Response(AgreementDetailSerializer(selectors.agreement_for(request.user, pk),
                                                  context=self.get_serializer_context()).data)
