"""Pieces of the records API that know about employees: the ``employee`` filter parameter and the
employee lookup for writes. The domain-free base (errors, ids, scoped viewset) is ``hrguard.platform.api``."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request

from hrguard.people import queries_ui
from hrguard.people import selectors as people
from hrguard.people.models import Employee
from hrguard.platform.api import ERRORS, MAX_ID, READ_ERRORS, ScopedViewSet, int_param, writes

__all__ = ["EMPLOYEE_PARAM", "ERRORS", "MAX_ID", "READ_ERRORS", "ScopedViewSet", "employee_for", "int_param", "writes"]

EMPLOYEE_PARAM = OpenApiParameter("employee", int, description="Only this employee's records")


def employee_for(request: Request, raw: Any, *, perm: str = "") -> Employee:
    """The employee a write concerns: the given id if visible to the user, else the user's own record.

    With ``perm``, an employee of the user's company the user holds that object permission for counts as
    visible too: finance issues advances to employees it does not otherwise see on the roster."""
    if raw in (None, ""):
        own = queries_ui.own_employee(request.user)
        if own is None:
            raise DRFValidationError({"employee": ["This field is required."]})
        return own
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise DRFValidationError({"employee": ["Not an integer."]}) from None
    if not 0 < pk <= MAX_ID:
        raise Http404
    employee = people.employee_detail(request.user, pk)
    if employee is None and perm:
        candidate = Employee.objects.filter(company_id=request.user.company_id, pk=pk).first()
        employee = candidate if candidate is not None and request.user.has_perm(perm, candidate) else None
    if employee is None:
        raise Http404
    return employee
