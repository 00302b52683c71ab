"""Employees: masked output, input parsing for create/update, list filters, reveal, lifecycle events."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hrguard.people.models import Employee, EmployeeStatus, LifecycleEvent
from hrguard.people.services import REVEALABLE, mask

from .common import Ref, id_field, text


class _Masked(serializers.Field):
    """A sensitive value, always masked (e.g. 138****5678). Use the reveal endpoint to read it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, source="*", **kwargs)

    def bind(self, field_name: str, parent: Any) -> None:
        super().bind(field_name, parent)
        self.sensitive_name = field_name

    def to_representation(self, employee: Employee) -> str:
        return mask(getattr(employee, self.sensitive_name) or "", self.sensitive_name)


extend_schema_field({"type": "string", "description": "Masked value"})(_Masked)


class EmployeeOut(serializers.ModelSerializer):
    id_number = _Masked()
    phone = _Masked()
    bank_account = _Masked()
    address = _Masked()
    department = Ref(read_only=True)
    position = Ref(read_only=True, allow_null=True)
    email = serializers.CharField(read_only=True, help_text="Email address, or empty")

    class Meta:
        model = Employee
        fields = (
            "id", "employee_no", "name", "gender", "birth_date", "id_type", "id_number", "phone", "bank_account",
            "email", "address", "emergency_contact", "department", "position", "manager", "status",
            "employment_form", "hire_date", "work_start_date", "termination_date", "work_location",
            "created_at", "updated_at",
        )
        read_only_fields = fields


class EmployeeIn(serializers.Serializer):
    """Employee data as given; only the keys sent are used on update (PATCH).
    Dates: YYYY-MM-DD. Department and position: id or name."""

    employee_no = text()
    name = text()
    gender = text("M, F or empty")
    birth_date = text("YYYY-MM-DD")
    id_type = text("resident, passport, …")
    id_number = text()
    phone = text("Mainland China mobile number")
    bank_account = text()
    email = text()
    address = text()
    emergency_contact = text()
    department = text("Department id or name")
    position = text("Position id or name")
    status = text("pending, probation, active, leaving, left")
    employment_form = text()
    hire_date = text("YYYY-MM-DD")
    work_start_date = text("YYYY-MM-DD")
    work_location = text()


class EmployeeQuery(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100,
        help_text="Name (contains), employee number (prefix), or an exact ID number / mobile number",
    )
    department = id_field(required=False, help_text="Department id: employees of it and its sub-departments")
    status = serializers.ChoiceField(choices=EmployeeStatus.choices, required=False, allow_blank=True)
    position = id_field(required=False)


class RevealIn(serializers.Serializer):
    field = serializers.ChoiceField(choices=list(REVEALABLE))


class RevealOut(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


class LifecycleOut(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True, default=None)

    class Meta:
        model = LifecycleEvent
        fields = ("id", "employee", "kind", "effective_date", "changes", "note", "created_by", "created_at")
        read_only_fields = fields


class LifecycleIn(serializers.Serializer):
    kind = text("probation_passed, transfer, promotion, status_change, termination")
    effective_date = serializers.DateField(help_text="YYYY-MM-DD")
    department = text("New department (transfer/promotion): id or name")
    position = text("New position (transfer/promotion): id or name")
    status = text("New status (status_change)")
    note = text()
