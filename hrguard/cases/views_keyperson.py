"""The key-person page of one employee: figures (missing shown as missing), successors, recommendation
and transition plan, the report download and "send supplementary agreement"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hrguard.people import selectors as people_selectors

from . import keyperson_services as kp
from . import selectors


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
