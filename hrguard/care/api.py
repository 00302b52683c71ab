"""REST API of care: /api/v1/care/aid-loans/ (list, create, detail). An employee sees and applies for
their own loans only; HR and finance see the company's (never their own through the list of others)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.people import selectors as people_selectors
from hrguard.people.scope import scope_of
from hrguard.platform.api import ERRORS, MAX_ID, READ_ERRORS

from . import aid, selectors
from .models import AidInstallment, AidLoan, AidRepayment


class InstallmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = AidInstallment
        fields = ["due_on", "amount"]


class RepaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = AidRepayment
        fields = ["amount", "paid_on", "note"]


class AidLoanSerializer(serializers.ModelSerializer):
    employee_no = serializers.CharField(source="employee.employee_no", read_only=True)
    employee_name = serializers.CharField(source="employee.name", read_only=True)
    balance = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = AidLoan
        fields = ["id", "employee", "employee_no", "employee_name", "principal", "status", "by_employee", "repaid",
                  "balance", "disbursed_on", "created_at"]


class AidLoanDetailSerializer(AidLoanSerializer):
    installments = InstallmentSerializer(many=True, read_only=True)
    repayments = RepaymentSerializer(many=True, read_only=True)

    class Meta(AidLoanSerializer.Meta):
        fields = [*AidLoanSerializer.Meta.fields, "reason", "installments", "repayments"]


class ApplySerializer(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                        help_text="Empty: yourself (employee self-service).")
    amount = serializers.CharField(max_length=20)
    reason = serializers.CharField(max_length=2000)


class AidLoanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = "[0-9]{1,18}"

    def get_serializer_class(self) -> Any:
        return AidLoanDetailSerializer if self.action == "retrieve" else AidLoanSerializer

    def get_queryset(self) -> QuerySet[AidLoan]:
        if getattr(self, "swagger_fake_view", False):
            return AidLoan.objects.none()
        return selectors.loans_for(self.request.user).order_by("-pk")

    @extend_schema(responses={200: AidLoanSerializer(many=True), **READ_ERRORS})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: AidLoanDetailSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        loan = selectors.loan_for(request.user, kwargs.get("pk"))
        return Response(AidLoanDetailSerializer(loan).data)

    @extend_schema(request=ApplySerializer, responses={201: AidLoanDetailSerializer, **ERRORS})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = ApplySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        pk = d.get("employee") or scope_of(request.user).employee_id
        employee = people_selectors.employee_detail(request.user, pk) if pk else None
        if employee is None:
            raise NotFound()
        loan = aid.apply(actor=request.user, employee=employee, amount=d["amount"], reason=d["reason"])
        return Response(AidLoanDetailSerializer(loan).data, status=status.HTTP_201_CREATED)
