"""Pages of the non-compete follow-up: the list (status, months paid/unpaid, next due), one agreement (start
form for an offer, the schedule with payments and proofs, findings, release), starting by hand for a former
employee, and the exit page's link. Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.evidence import services as evidence
from hrguard.law import noncompete as noncompete_law
from hrguard.offboarding.threads import LINK_CHANNELS
from hrguard.people import selectors as people_selectors

from . import actions, selectors, services
from .forms import date_field, text
from .models import AgreementState, EligibleRole


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": list(exc.messages)}


def _flash(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for msgs in _errors(exc).values():
            for msg in msgs:
                messages.error(request, msg)
    else:
        messages.error(request, _("You may not do this."))


def _list_guard(request: HttpRequest) -> None:
    if not request.user.has_perm("noncompete.view_list"):
        raise PermissionDenied


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _list_guard(request)
    state = str(request.GET.get("state") or "")
    if state not in AgreementState.values:
        state = ""
    rows = selectors.list_rows(request.user, today=timezone.localdate(), state=state)
    return render(request, "noncompete/list.html", {"rows": rows, "state": state, "states": AgreementState.choices,
                                                    "can_start": request.user.is_hr})


def _start_data(post: Any) -> dict[str, str]:
    return {k: text(post, k, 500) for k in ("term_months", "region", "scope", "monthly_compensation", "role",
                                              "eligibility_reason", "liquidated_damages")}


def _start_context(extra: dict[str, Any]) -> dict[str, Any]:
    return {"roles": EligibleRole.choices, "link_channels": LINK_CHANNELS, **extra}


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.agreement_detail(request.user, pk, today=timezone.localdate())
    evidence.record_standalone(request.user.company_id, request.user, "noncompete.viewed", d.agreement,
                               employee=d.agreement.employee_id, data={"agreement": d.agreement.pk})
    return render(request, "noncompete/detail.html", _start_context({
        "d": d, "a": d.agreement, "today": timezone.localdate(),
        "data": {"term_months": str(noncompete_law.MAX_MONTHS)}, "errors": {},
        "can_manage": request.user.has_perm("noncompete.manage", d.agreement),
        "can_pay": request.user.has_perm("noncompete.record_payment", d.agreement)}))


@login_required
@require_POST
def start_offer(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("noncompete.manage", selectors.agreement_for(request.user, pk)):
        raise PermissionDenied
    data = _start_data(request.POST)
    try:
        services.start_agreement(actor=request.user, agreement_id=pk, **data)
    except ValidationError as exc:
        d = selectors.agreement_detail(request.user, pk, today=timezone.localdate())
        return render(request, "noncompete/detail.html", _start_context({
            "d": d, "a": d.agreement, "today": timezone.localdate(), "data": data, "errors": _errors(exc),
            "can_manage": True, "can_pay": True}), status=400)
    messages.success(request, _("Non-compete follow-up started."))
    return redirect("noncompete:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def start_manual(request: HttpRequest, employee_pk: int) -> HttpResponse:
    """HR starts the follow-up by hand for a former employee."""
    employee = people_selectors.employee_detail(request.user, employee_pk)
    if employee is None or not request.user.has_perm("noncompete.manage", employee):
        raise Http404(_("No such employee."))
    data: dict[str, str] = {"term_months": str(noncompete_law.MAX_MONTHS)}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data = _start_data(request.POST)
        try:
            agreement = services.start_agreement(actor=request.user, employee=employee, **data)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Non-compete follow-up started."))
            return redirect("noncompete:detail", pk=agreement.pk)
    return render(request, "noncompete/start.html", _start_context({"employee": employee, "data": data,
                                                                    "errors": errors}),
                  status=400 if errors else 200)


@login_required
@require_GET
def find_employee(request: HttpRequest) -> HttpResponse:
    """The list page's "start by hand": a former employee by 工号."""
    _list_guard(request)
    number = text(request.GET, "employee_no", 32).strip()
    employee = people_selectors.visible_employees(request.user).filter(employee_no=number).first() if number else None
    if employee is None:
        messages.error(request, _("No employee with this number."))
        return redirect("noncompete:index")
    return redirect("noncompete:start", employee_pk=employee.pk)


@login_required
@require_GET
def for_exit(request: HttpRequest, exit_pk: int) -> HttpResponse:
    """The exit page's link: the exit's offer or agreement, or the manual start for its employee."""
    _list_guard(request)
    found = selectors.offer_for_exit(request.user, exit_pk)
    if found is not None:
        return redirect("noncompete:detail", pk=found.pk)
    messages.info(request, _("The contract of this exit has no non-compete clause; you may still start one by hand."))
    return redirect("noncompete:index")


def _act(request: HttpRequest, pk: int, perm: str, fn: Any, success: str) -> HttpResponse:
    """Refuse before reading the form: 404 for who may not see the agreement, 403 for who may not act."""
    agreement = selectors.agreement_for(request.user, pk)
    if not request.user.has_perm(perm, agreement):
        raise PermissionDenied
    try:
        fn()
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, success)
    return redirect(reverse("noncompete:detail", args=[pk]))


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "noncompete.manage", lambda: services.decline_offer(actor=request.user, agreement_id=pk,
                                                            reason=text(request.POST, "reason", 300)),
                _("Recorded: the follow-up is not pursued."))


@login_required
@require_POST
def pay(request: HttpRequest, pk: int, month_pk: int) -> HttpResponse:
    return _act(request, pk, "noncompete.record_payment", lambda: services.record_payment(
        actor=request.user, month_id=month_pk, paid_on=date_field(request.POST.get("paid_on"), "paid_on"),
        amount=text(request.POST, "amount", 30)), _("Payment recorded."))


@login_required
@require_POST
def finding(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "noncompete.manage", lambda: actions.record_finding(
        actor=request.user, agreement_id=pk, found_on=date_field(request.POST.get("found_on"), "found_on"),
        employer=text(request.POST, "employer", 200), source=text(request.POST, "source", 300),
        note=text(request.POST, "note"), attachment=request.FILES.get("attachment")), _("Finding recorded."))


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "noncompete.manage", lambda: actions.release(
        actor=request.user, agreement_id=pk, released_on=date_field(request.POST.get("released_on"), "released_on"),
        reason=text(request.POST, "reason", 300), channels=request.POST.getlist("channels")[:6]),
        _("Released; the release notice was sent for signature."))


def _download(request: HttpRequest, row: Any, what: str) -> HttpResponse:
    evidence.record_standalone(request.user.company_id, request.user, "noncompete.viewed", row,
                               data={"file": what, "sha256": row.sha256})
    resp = HttpResponse(bytes(row.content or b""), content_type=row.mime or "application/octet-stream")
    resp["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(row.file_name or "file")
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


@login_required
@require_GET
def proof_download(request: HttpRequest, pk: int, proof_pk: int) -> HttpResponse:
    proof = selectors.proof_file(request.user, proof_pk)
    if proof.month.agreement_id != pk:
        raise Http404
    return _download(request, proof, "proof")


@login_required
@require_GET
def finding_download(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    row = selectors.finding_file(request.user, finding_pk)
    if row.agreement_id != pk:
        raise Http404
    return _download(request, row, "finding")
