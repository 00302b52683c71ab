"""Leave pages: my leave (balance, request, history), team approvals, the HR list, export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.people import queries_ui
from hrguard.people import selectors as people
from hrguard.people.pages import guard
from hrguard.records import excel
from hrguard.records.pages import PAGE_SIZE, apply_errors, page_number

from . import selectors, services
from .forms import DecisionForm, LeaveRequestForm
from .models import LeaveStatus


@login_required
@require_http_methods(["GET", "POST"])
def my_leave(request: HttpRequest) -> HttpResponse:
    """员工自助: balance, a request form and the employee's own requests."""
    employee = queries_ui.own_employee(request.user)
    if employee is None:
        return render(request, "people/no_profile.html", status=404)
    if request.method == "POST":
        form = LeaveRequestForm(request.POST)
        if form.is_valid():
            try:
                services.request_leave(request.user, employee, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Leave request sent to your manager."))
                return redirect("activity:my_leave")
    else:
        form = LeaveRequestForm()
    year = timezone.localdate().year
    return render(request, "leave/leave_mine.html", {
        "form": form, "employee": employee, "balances": selectors.balances(employee, year), "year": year,
        "requests": selectors.progress_of(list(
            selectors.requests(request.user, employee_id=employee.pk).order_by("-start_date")[:50])),
    })


@login_required
@require_GET
@guard("activity:leave_approvals")
def approvals(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.pending_approvals(request.user)[:200])
    return render(request, "leave/leave_approvals.html", {"rows": rows, "form": DecisionForm()})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    leave = selectors.pending_approvals(request.user).filter(pk=pk).first()
    if leave is None:
        raise Http404
    approve = request.POST.get("action") == "approve"
    try:
        services.decide_leave(request.user, leave, approve, request.POST.get("decision_note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if approve:
            messages.success(request, _("Leave of %(name)s approved.") % {"name": leave.employee.name})
        else:
            messages.success(request, _("Leave of %(name)s rejected.") % {"name": leave.employee.name})
    return redirect("activity:leave_approvals")


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    leave = selectors.request_for(request.user, pk)
    if leave is None:
        raise Http404
    try:
        services.cancel_leave(request.user, leave, request.POST.get("decision_note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Leave request cancelled."))
    return redirect("activity:my_leave")


@login_required
@require_GET
@guard("activity:leave_list")
def leave_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = str(request.GET.get("status", "") or "")
    number = page_number(request)
    qs = selectors.requests(user, status=status).order_by("-start_date", "-id")
    rows, has_next = people.page(qs, number, PAGE_SIZE)
    params = {"status": status} if status else {}
    return render(request, "leave/leave_list.html", {
        "rows": rows, "status": status, "statuses": LeaveStatus.choices, "has_next": has_next, "page": number,
        "prev_query": urlencode({**params, "page": number - 1}) if number > 1 else "",
        "next_query": urlencode({**params, "page": number + 1}) if has_next else "",
        "export_query": urlencode(params),
    })


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    qs = selectors.requests(request.user, status=str(request.GET.get("status", "") or "")).order_by("-start_date")
    headers = [_("Employee number"), _("Name"), _("Department"), _("Leave type"), _("First day"), _("Last day"),
               _("Days"), _("Reason"), _("Status"), _("Decided by"), _("Decision note")]

    def rows() -> Iterator[tuple[Any, ...]]:
        for chunk in _chunks(qs.iterator(chunk_size=2000), 2000):
            for r in selectors.progress_of(chunk):
                p = r.progress
                yield (r.employee.employee_no, r.employee.name, r.employee.department.name,
                       r.get_leave_type_display(), r.start_date, r.end_date, r.days, r.reason, r.get_status_display(),
                       p.decided_by if p else "", p.note if p else "")

    return excel.response("leave.xlsx", _("Leave requests"), headers, rows())


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
