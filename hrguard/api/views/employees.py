"""Employees (花名册): scoped list with search and filters, detail, create, partial update, audited reveal
of a sensitive field, and the employee's lifecycle events (入转调离)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hrguard.people import selectors, services
from hrguard.people.models import Employee

from ..serializers.employees import (
    EmployeeIn,
    EmployeeOut,
    EmployeeQuery,
    LifecycleIn,
    LifecycleOut,
    RevealIn,
    RevealOut,
)
from .base import ApiViewSet, visible_employee


@extend_schema(tags=["employees"])
class EmployeeViewSet(ApiViewSet):
    serializer_class = EmployeeOut
    model = Employee

    def scoped_queryset(self) -> Any:
        flt = selectors.EmployeeFilter.from_params(self.parse(EmployeeQuery, self.request.query_params))
        return selectors.employee_list(self.request.user, flt)

    def _out(self, pk: Any, status: int = 200) -> Response:
        return Response(EmployeeOut(visible_employee(self.request, pk)).data, status=status)

    @extend_schema(
        parameters=[EmployeeQuery],
        description="Employees the user may see (HR: the company; manager: their department subtrees; "
        "employee: themselves). Sensitive fields are masked. No total count: follow `next`.",
    )
    def list(self, request: Request) -> Response:
        rows = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(EmployeeOut(rows, many=True).data)

    @extend_schema(description="One employee (sensitive fields masked).")
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._out(pk)

    @extend_schema(request=EmployeeIn, responses={201: EmployeeOut}, description="HR adds an employee.")
    def create(self, request: Request) -> Response:
        employee = services.create_employee(request.user, request.user.company, self.parse(EmployeeIn))
        return self._out(employee.pk, 201)

    @extend_schema(
        request=EmployeeIn, responses={200: EmployeeOut},
        description="Change the fields sent. HR may change any field; an employee may change only their "
        "own contact details (phone, email, address, emergency_contact).",
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        employee = visible_employee(request, pk)
        data = self.parse(EmployeeIn)
        user = request.user
        if not user.has_perm("people.change_employee", employee) and user.has_perm(
            "people.change_own_contact", employee
        ):
            services.update_own_contact(user, employee, data)
        else:
            services.update_employee(user, employee, data)
        return self._out(pk)

    @extend_schema(
        request=RevealIn, responses={200: RevealOut},
        description="Read one sensitive field unmasked. Every read is written to the evidence log.",
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: Any = None) -> Response:
        employee = visible_employee(request, pk)
        field = self.parse(RevealIn)["field"]
        value = services.reveal_sensitive(request.user, employee, field)
        return Response({"field": field, "value": value})

    @extend_schema(
        methods=["GET"], responses={200: LifecycleOut(many=True)},
        description="The employee's personnel changes (入转调离), newest first.",
    )
    @extend_schema(
        methods=["POST"], request=LifecycleIn, responses={201: LifecycleOut},
        description="Record a personnel change (probation passed, transfer, promotion, status change, "
        "termination); the employee record is updated accordingly.",
    )
    @action(detail=True, methods=["get", "post"], serializer_class=LifecycleOut)
    def lifecycle(self, request: Request, pk: Any = None) -> Response:
        employee = visible_employee(request, pk)
        if request.method == "POST":
            data = self.parse(LifecycleIn)
            event = services.record_lifecycle(
                request.user, employee, data.get("kind"), data["effective_date"],
                department=data.get("department"), position=data.get("position"), status=data.get("status"),
                note=data.get("note") or "",
            )
            return Response(LifecycleOut(event).data, status=201)
        rows = self.paginate_queryset(selectors.lifecycle(employee.pk, employee.company_id))
        return self.get_paginated_response(LifecycleOut(rows, many=True).data)
