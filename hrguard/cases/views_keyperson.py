"""The key-person page of one employee: figures (missing shown as missing), successors, recommendation
and transition plan, the report download and "send supplementary agreement"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.people import selectors as people_selectors
from hrguard.people.pages import guard

from . import keyperson_services as kp
from . import selectors
from .keyperson import parameters as parameters_of
from .models import KeyPersonParameters


def _employee(request: HttpRequest, pk: int) -> object:
    employee = people_selectors.employee_detail(request.user, pk)
    if employee is None or not request.user.has_perm("cases.view_keyperson", employee):
        raise Http404(_("No such employee."))
    return employee


@login_required
@require_GET
def page(request: HttpRequest, employee_pk: int) -> HttpResponse:
    employee = _employee(request, employee_pk)
    a = kp.view(actor=request.user, employee=employee)
    cases = [c for c in selectors.case_list(request.user, case_type="keyperson", limit=50)
             if c.subject_employee_id == employee.pk]
    return render(request, "cases/keyperson.html", {
        "a": a, "e": employee, "cases": cases, "money": kp.money, "percent": kp.percent,
        "recruit": kp.money_range(a.recruit_low, a.recruit_high),
        "ramp": kp.money_range(a.ramp_risk_low, a.ramp_risk_high),
        "salary": kp.money(a.annual_salary), "share": kp.percent(a.company_share),
        "through": kp.money(a.revenue_through), "churn": kp.money(a.churn_loss),
        "client_rows": [(r, kp.money(r.annual_revenue), kp.percent(r.company_share), kp.percent(r.churn_pct),
                         kp.money(r.expected_loss), kp.ROLES.get(r.role, r.role)) for r in a.clients],
        "readiness": kp.READINESS,
        "can_send": request.user.has_perm("cases.send_keyperson_agreement", employee),
    })


@login_required
@require_GET
def report(request: HttpRequest, employee_pk: int) -> HttpResponse:
    employee = _employee(request, employee_pk)
    pdf = kp.report_pdf(actor=request.user, employee=employee)
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'attachment; filename="keyperson-{employee.employee_no}.pdf"'
    return resp


@login_required
@require_POST
def agreement(request: HttpRequest, employee_pk: int) -> HttpResponse:
    employee = _employee(request, employee_pk)
    try:
        req = kp.send_agreement(actor=request.user, employee=employee)
    except (ValidationError, PermissionDenied) as exc:
        msgs = exc.messages if isinstance(exc, ValidationError) else [str(exc) or _("You may not do this.")]
        for msg in msgs:
            messages.error(request, msg)
    else:
        messages.success(request, _("Supplementary agreement sent for signature (request #%(id)d).") % {"id": req.pk})
    return redirect("cases:keyperson", employee.pk)


PARAM_GROUPS = (
    (_lazy("Recruiting cost (× annual salary)"), (("recruit_multiple_low", _lazy("Lower bound")),
                                                  ("recruit_multiple_high", _lazy("Upper bound")))),
    (_lazy("Ramp-up of a successor (months)"), (("ramp_months_low", _lazy("Lower bound")),
                                                ("ramp_months_high", _lazy("Upper bound")))),
    (_lazy("Client churn if the employee leaves (share of the client's revenue lost, %)"), (
        ("churn_short", _lazy("Relationship under 3 years")), ("churn_medium", _lazy("3 to 10 years")),
        ("churn_long", _lazy("Over 10 years")))),
)


def _shown(value: Any) -> str:
    """A stored figure without trailing zeros (1.50 → 1.5); what the user typed, as typed."""
    if isinstance(value, str):
        return value
    return f"{Decimal(str(value)).normalize():f}"


def _groups(values: dict[str, Any], errors: dict[str, list[str]], defaults: KeyPersonParameters) -> list[Any]:
    return [{"label": label, "fields": [{"name": n, "label": flabel, "value": _shown(values[n]),
                                         "errors": errors.get(n, []), "default": _shown(getattr(defaults, n))}
                                        for n, flabel in fields]}
            for label, fields in PARAM_GROUPS]


@login_required
@guard("cases:keyperson_parameters")
@require_http_methods(["GET", "POST"])
def parameters(request: HttpRequest) -> HttpResponse:
    """The company's key-person assumptions (seed defaults until changed); HR and the administrator edit
    them with the basis of the figures; every change is in the evidence log and listed below."""
    can_edit = request.user.has_perm("cases.set_keyperson_parameters")
    errors: dict[str, list[str]] = {}
    data: dict[str, str] = {}
    basis = ""
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        data = {n: str(request.POST[n])[:20] for n in kp.PARAM_FIELDS if n in request.POST}
        basis = str(request.POST.get("basis", ""))[:500]
        try:
            kp.save_parameters(actor=request.user, basis=basis, **data)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Key-person parameters saved."))
            return redirect("cases:keyperson_parameters")
    params = parameters_of(request.user.company_id)
    values = {n: data.get(n, getattr(params, n)) for n in kp.PARAM_FIELDS}
    return render(request, "cases/keyperson_parameters.html", {
        "groups": _groups(values, errors, KeyPersonParameters(company_id=request.user.company_id)),
        "errors": errors, "can_edit": can_edit, "basis": basis, "saved": params.pk is not None,
        "history": kp.parameter_history(actor=request.user),
    }, status=400 if errors else 200)
