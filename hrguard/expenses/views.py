"""Expense and travel pages: my trips and claims, approvals, finance overview, advances, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.people import queries_ui
from hrguard.people.pages import guard
from hrguard.records import excel
from hrguard.records.pages import apply_errors, employee_by_number

from . import selectors, services
from .forms import AdvanceForm, ClaimForm, RepaymentForm, TripForm
from .models import ExpenseClaim, Trip

MODELS = {"trip": Trip, "claim": ExpenseClaim}


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """员工自助: submit a trip or an expense claim (with receipts) and follow them."""
    user = request.user
    employee = queries_ui.own_employee(user)
    if employee is None:
        return render(request, "people/no_profile.html", status=404)
    trips = selectors.trips(user, employee_id=employee.pk).order_by("-start_date")
    trip_form = TripForm()
    claim_form = ClaimForm(trips=trips[:20])
    if request.method == "POST":
        try:
            if request.POST.get("kind") == "trip":
                trip_form = TripForm(request.POST)
                trip_form.is_valid()
                services.submit_trip(user, employee, trip_form.cleaned_data)
            else:
                claim_form = ClaimForm(request.POST, trips=trips[:20])
                claim_form.is_valid()
                services.submit_claim(user, employee, claim_form.cleaned_data, request.FILES.getlist("files"))
        except ValidationError as exc:
            apply_errors(trip_form if request.POST.get("kind") == "trip" else claim_form, exc)
        else:
            messages.success(request, _("Submitted for approval."))
            return redirect("activity:my_expenses")
    return render(request, "expenses/expenses_mine.html", {
        "trip_form": trip_form, "claim_form": claim_form, "trips": selectors.progress_of(list(trips[:50])),
        "claims": selectors.progress_of(
            list(selectors.claims(user, employee_id=employee.pk).order_by("-spent_on")[:50])),
        "advances": selectors.advances(user, employee_id=employee.pk)[:50],
    })


@login_required
@require_GET
@guard("activity:expense_approvals")
def approvals(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "expenses/expenses_approvals.html", {
        "trips": selectors.awaiting(user, Trip), "claims": selectors.awaiting(user, ExpenseClaim),
    })


@login_required
@require_POST
def decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = MODELS.get(kind)
    if model is None:
        raise Http404
    select = selectors.trips if kind == "trip" else selectors.claims
    obj = select(request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    try:
        services.decide(request.user, obj, request.POST.get("action") == "approve", request.POST.get("decision_note"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("You cannot decide this request."))
    else:
        messages.success(request, _("Decision saved."))
    return redirect("activity:expense_approvals")


@login_required
@require_http_methods(["GET", "POST"])
def finance(request: HttpRequest) -> HttpResponse:
    """Finance: what each employee still owes (advances and loans); record new ones and repayments."""
    user = request.user
    if not user.has_perm("expenses.view_finance_overview"):
        raise PermissionDenied
    form = AdvanceForm()
    employee_no = ""
    if request.method == "POST":
        form = AdvanceForm(request.POST)
        employee_no = request.POST.get("employee_no", "")
        employee = employee_by_number(request, employee_no)
        form.is_valid()
        try:
            if employee is None:
                raise ValidationError({"employee_no": _("No employee with this number in your scope.")})
            services.issue_advance(user, employee, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("activity:finance")
    return render(request, "expenses/finance.html", {
        "rows": list(selectors.outstanding_by_employee(user)[:200]), "form": form, "employee_no": employee_no,
        "open_advances": list(selectors.advances(user, outstanding_only=True)[:200]), "repay_form": RepaymentForm(),
        "can_manage": user.role in ("admin", "finance"),
    })


@login_required
@require_POST
def repay(request: HttpRequest, pk: int) -> HttpResponse:
    advance = selectors.advances(request.user).filter(pk=pk).first()
    if advance is None:
        raise Http404
    try:
        services.repay(request.user, advance, request.POST.dict())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Repayment recorded."))
    return redirect("activity:finance")


@login_required
@require_GET
def export(request: HttpRequest, kind: str) -> HttpResponse:
    user = request.user
    if kind == "claims":
        headers = [_("Employee number"), _("Name"), _("Category"), _("Date of expense"), _("Amount"),
                   _("Description"), _("Status")]
        rows = ((c.employee.employee_no, c.employee.name, c.get_category_display(), c.spent_on, c.amount,
                 c.description, c.get_status_display()) for c in selectors.claims(user).iterator(chunk_size=2000))
        return excel.response("expense-claims.xlsx", _("Expense claims"), headers, rows)
    if kind == "trips":
        headers = [_("Employee number"), _("Name"), _("Departure"), _("Return"), _("Destination"), _("Purpose"),
                   _("Cash advance requested"), _("Status")]
        rows = ((t.employee.employee_no, t.employee.name, t.start_date, t.end_date, t.destination, t.purpose,
                 t.advance_requested, t.get_status_display()) for t in selectors.trips(user).iterator(chunk_size=2000))
        return excel.response("trips.xlsx", _("Business trips"), headers, rows)
    if kind == "advances":
        headers = [_("Employee number"), _("Name"), _("Kind"), _("Amount"), _("Repaid"), _("Outstanding"),
                   _("Paid out on"), _("Due"), _("Purpose")]
        rows = ((a.employee.employee_no, a.employee.name, a.get_kind_display(), a.amount, a.repaid, a.outstanding,
                 a.issued_on, a.due_on, a.purpose) for a in selectors.advances(user).iterator(chunk_size=2000))
        return excel.response("advances.xlsx", _("Advances and loans"), headers, rows)
    raise Http404
