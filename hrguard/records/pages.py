"""Helpers shared by the record apps' pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone

from hrguard.people import selectors as people
from hrguard.people.inputs import normalize_employee_no
from hrguard.people.models import Employee

from .forms import apply_errors

PAGE_SIZE = 50

__all__ = ["PAGE_SIZE", "apply_errors", "date_param", "employee_or_404", "month_param", "need", "page_number"]


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 100000))
    except (TypeError, ValueError):
        return 1


def date_param(request: HttpRequest, name: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(str(request.GET.get(name, "")))
    except ValueError:
        return default


def month_param(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    raw = str(request.GET.get("month", ""))
    try:
        year, month = (int(p) for p in raw.split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def employee_or_404(request: HttpRequest, pk: Any) -> Employee:
    """An employee the user may see; another company's or one outside the scope does not exist."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    employee = people.employee_detail(request.user, number)
    if employee is None:
        raise Http404
    return employee


def employee_by_number(request: HttpRequest, number: Any) -> Employee | None:
    text = str(number or "").strip()
    if not text:
        return None
    numbers = {text, normalize_employee_no(text)}  # typed "e0001" or "Ｅ0001" finds E0001
    return people.visible_employees(request.user).filter(employee_no__in=numbers).select_related("department").first()


def need(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def service_errors(form: Any, exc: ValidationError) -> None:
    apply_errors(form, exc)
