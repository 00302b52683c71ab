"""The clients page: clients with who serves them; HR adds clients and coverage (shares over 100%
refused with the field named)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hrguard.people import selectors as people_selectors
from hrguard.people.pages import guard

from . import selectors, services
from .models import CoverageRole, Readiness


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"all": list(exc.messages)}


def _save(request: HttpRequest, data: dict[str, str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    user = request.user
    try:
        if data["op"] == "coverage":
            employee = people_selectors.employee_detail(user, int(data["employee"] or 0))
            if employee is None:
                raise ValidationError({"all": [_("Choose an employee.")]})
            services.set_coverage(actor=user, client_id=int(data["client"] or 0), employee=employee,
                                  role=data["role"] or "primary", revenue_share=data["revenue_share"],
                                  readiness=data["readiness"])
        else:
            services.save_client(actor=user, name=data["name"], since=data["since"],
                                 annual_revenue=data["annual_revenue"], revenue_share=data["revenue_share"])
    except ValueError:
        return {}, {"all": [_("Choose a client and an employee.")]}
    except ValidationError as exc:
        return ({}, _errors(exc)) if data["op"] == "coverage" else (_errors(exc), {})
    return {}, {}


@login_required
@guard("clients:list")
@require_http_methods(["GET", "POST"])
def client_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    can_manage = user.has_perm("clients.manage_clients")
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    cov_errors: dict[str, list[str]] = {}
    if request.method == "POST" and can_manage:
        data = {k: str(request.POST.get(k) or "")[:300] for k in (
            "op", "name", "since", "annual_revenue", "revenue_share", "client", "employee", "role", "readiness")}
        errors, cov_errors = _save(request, data)
        if not errors and not cov_errors:
            messages.success(request, _("Saved."))
            return redirect("clients:list")
    employees = (list(people_selectors.visible_employees(user).filter(status="active").order_by("employee_no")[:500])
                 if can_manage else [])
    return render(request, "clients/list.html", {
        "rows": selectors.client_list(user), "can_manage": can_manage, "data": data, "errors": errors,
        "cov_errors": cov_errors, "employees": employees, "roles": CoverageRole.choices,
        "readiness": Readiness.choices, "can_assess": user.has_perm("cases.view_stats"),
    }, status=400 if errors or cov_errors else 200)
