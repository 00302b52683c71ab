"""Violation and complaint pages: lists, record (with files), detail with the next step, employee
acknowledgement, handbook clauses and the escalation ladder, file download, exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.people import selectors as people
from hrguard.people.pages import guard
from hrguard.records import excel, files
from hrguard.records.access import sees_investigation
from hrguard.records.pages import PAGE_SIZE, apply_errors, employee_by_number, employee_or_404, page_number

from . import complaints, selectors, violations
from .forms import (
    AckForm,
    ClauseForm,
    ComplaintForm,
    InvestigationForm,
    ResolveForm,
    RuleForm,
    ViolationDecisionForm,
    ViolationForm,
)
from .models import ComplaintStatus, Violation, ViolationStatus


def _listing(request: HttpRequest, qs: Any) -> dict[str, Any]:
    number = page_number(request)
    rows, has_next = people.page(qs, number, PAGE_SIZE)
    status = str(request.GET.get("status", "") or "")
    params = {"status": status} if status else {}
    employee = str(request.GET.get("employee", "") or "")
    if employee.isdigit():
        params["employee"] = employee
    return {
        "rows": rows, "status": status, "has_next": has_next, "page": number,
        "prev_query": urlencode({**params, "page": number - 1}) if number > 1 else "",
        "next_query": urlencode({**params, "page": number + 1}) if has_next else "",
        "export_query": urlencode(params),
    }


@login_required
@require_GET
@guard("activity:violation_list")
def violation_list(request: HttpRequest) -> HttpResponse:
    raw = str(request.GET.get("employee", "") or "")
    employee_id = int(raw) if raw.isdigit() and len(raw) <= 18 else None
    qs = selectors.violations(request.user, status=str(request.GET.get("status", "") or ""),
                              employee_id=employee_id).order_by("-occurred_on", "-id")
    context = _listing(request, qs) | {"statuses": ViolationStatus.choices,
                                       "reviews": list(selectors.reviews(request.user)[:20])}
    return render(request, "discipline/violation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@guard("activity:violation_create")
def violation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    clauses = selectors.clauses(user, active_only=True)
    employee = None
    if request.method == "POST":
        form = ViolationForm(request.POST, clauses=clauses)
        employee = employee_by_number(request, request.POST.get("employee_no"))
        if form.is_valid():
            try:
                if employee is None:
                    raise ValidationError({"employee_no": _("No employee with this number in your scope.")})
                if not user.has_perm("discipline.record_violation", employee):
                    raise PermissionDenied
                violation = violations.record_violation(user, employee, form.cleaned_data,
                                                        request.FILES.getlist("files"))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Violation recorded."))
                return redirect("activity:violation_detail", pk=violation.pk)
    else:
        if request.GET.get("employee"):
            employee = employee_or_404(request, request.GET["employee"])
        form = ViolationForm(clauses=clauses)
    return render(request, "discipline/violation_form.html", {
        "form": form, "employee": employee, "employee_no": employee.employee_no if employee else
        request.POST.get("employee_no", ""), "no_clauses": not clauses.exists(),
    })


def _violation(request: HttpRequest, pk: int) -> Any:
    violation = selectors.violation_for(request.user, pk)
    if violation is None:
        raise Http404
    return violation


@login_required
@require_GET
def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    v = _violation(request, pk)
    user = request.user
    return render(request, "discipline/violation_detail.html", {
        "v": v, "files": files.of("violation", v), "complaints": list(v.complaints.all()),
        "can_decide": user.has_perm("discipline.decide_violation", v.employee),
        "sees_investigation": sees_investigation(user, v.employee),
        "can_add_files": user.has_perm("discipline.record_violation", v.employee),
        "can_ack": user.has_perm("discipline.acknowledge_violation", v.employee) and v.ack_state == "pending",
        "investigation_form": InvestigationForm(initial={"investigation": v.investigation}),
        "decision_form": ViolationDecisionForm(), "ack_form": AckForm(),
    })


def _violation_field(name: str) -> str:
    """The translated name of a violation field for an error message ("" when unknown: message alone)."""
    try:
        return str(capfirst(Violation._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return ""


@login_required
@require_POST
def violation_action(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    v = _violation(request, pk)
    user = request.user
    post = request.POST
    try:
        if step == "investigate":
            violations.investigate(user, v, post.get("investigation"))
        elif step == "decide":
            violations.decide(user, v, post.dict())
        elif step == "acknowledge":
            violations.acknowledge(user, v, post.get("accept") == "yes", post.get("ack_note"))
        elif step == "refusal":
            violations.record_refusal(user, v, post.get("ack_note"))
        elif step == "files":
            violations.add_files(user, v, request.FILES.getlist("files"))
        else:
            raise Http404
    except ValidationError as exc:
        for field, msgs in exc.message_dict.items():
            for msg in msgs:
                label = _violation_field(field)
                messages.error(request, _("%(field)s: %(message)s") % {"field": label, "message": msg}
                               if label else msg)
    else:
        messages.success(request, _("Saved."))
    return redirect("activity:violation_detail", pk=v.pk)


@login_required
@require_GET
@guard("activity:complaint_list")
def complaint_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.complaints(request.user, status=str(request.GET.get("status", "") or "")).order_by(
        "-received_on", "-id")
    return render(request, "discipline/complaint_list.html", _listing(request, qs) | {
        "statuses": ComplaintStatus.choices})


@login_required
@require_http_methods(["GET", "POST"])
@guard("activity:complaint_create")
def complaint_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    employee = None
    if request.method == "POST":
        form = ComplaintForm(request.POST)
        employee = employee_by_number(request, request.POST.get("employee_no"))
        if form.is_valid():
            try:
                if employee is None:
                    raise ValidationError({"employee_no": _("No employee with this number in your scope.")})
                if not user.has_perm("discipline.record_complaint", employee):
                    raise PermissionDenied
                complaint = complaints.record_complaint(user, employee, form.cleaned_data,
                                                        request.FILES.getlist("files"))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Complaint recorded."))
                if user.has_perm("discipline.view_complaints", employee):
                    return redirect("activity:complaint_detail", pk=complaint.pk)
                return redirect("activity:complaint_create")
    else:
        if request.GET.get("employee"):
            employee = employee_or_404(request, request.GET["employee"])
        form = ComplaintForm()
    return render(request, "discipline/complaint_form.html", {
        "form": form, "employee": employee,
        "employee_no": employee.employee_no if employee else request.POST.get("employee_no", ""),
    })


def _complaint(request: HttpRequest, pk: int) -> Any:
    complaint = selectors.complaint_for(request.user, pk)
    if complaint is None:
        raise Http404
    return complaint


@login_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = _complaint(request, pk)
    user = request.user
    form = ResolveForm()
    if request.method == "POST":
        form = ResolveForm(request.POST)
        if form.is_valid():
            try:
                if request.POST.get("link"):
                    complaints.link_violations(user, c, request.POST.getlist("link"))
                else:
                    complaints.resolve(user, c, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("activity:complaint_detail", pk=c.pk)
    linkable = selectors.violations(user, employee_id=c.employee_id).exclude(pk__in=c.violations.all())
    return render(request, "discipline/complaint_detail.html", {
        "c": c, "form": form, "files": files.of("complaint", c), "linked": list(c.violations.all()),
        "linkable": list(linkable[:50]), "can_resolve": user.has_perm("discipline.resolve_complaint", c.employee),
    })


@login_required
@require_http_methods(["GET", "POST"])
def handbook(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("discipline.manage_handbook"):
        raise PermissionDenied
    clause_form, rule_form = ClauseForm(), RuleForm(initial={"window_days": 365})
    if request.method == "POST":
        try:
            if request.POST.get("kind") == "rule":
                rule_form = RuleForm(request.POST)
                rule_form.is_valid()
                violations.save_rule(user, user.company, rule_form.cleaned_data)
            else:
                clause_form = ClauseForm(request.POST)
                clause_form.is_valid()
                violations.save_clause(user, user.company, clause_form.cleaned_data)
        except ValidationError as exc:
            apply_errors(rule_form if request.POST.get("kind") == "rule" else clause_form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("activity:handbook")
    return render(request, "discipline/handbook.html", {
        "clauses": selectors.clauses(user), "rules": selectors.rules(user),
        "clause_form": clause_form, "rule_form": rule_form,
    })


@login_required
@require_GET
@guard("activity:violation_export")
def export_violations(request: HttpRequest) -> HttpResponse:
    qs = selectors.violations(request.user, status=str(request.GET.get("status", "") or "")).order_by("-occurred_on")
    headers = [_("Employee number"), _("Name"), _("Department"), _("Date of the incident"), _("Handbook clause"),
               _("Facts"), _("Status"), _("Decision"), _("Reasons for the decision"), _("Acknowledgement")]
    rows = ((v.employee.employee_no, v.employee.name, v.employee.department.name, v.occurred_on, str(v.clause),
             v.facts, v.get_status_display(), v.get_decision_display(), v.decision_note, v.get_ack_display())
            for v in qs.iterator(chunk_size=2000))
    return excel.response("violations.xlsx", _("Violations"), headers, rows)


@login_required
@require_GET
@guard("activity:complaint_export")
def export_complaints(request: HttpRequest) -> HttpResponse:
    qs = selectors.complaints(request.user, status=str(request.GET.get("status", "") or "")).order_by("-received_on")
    headers = [_("Employee number"), _("Name"), _("Client"), _("Date received"), _("Claimed loss"), _("Facts"),
               _("Status"), _("Resolution"), _("Settlement amount")]
    rows = ((c.employee.employee_no, c.employee.name, c.client, c.received_on, c.claimed_loss, c.facts,
             c.get_status_display(), c.resolution, c.settled_amount) for c in qs.iterator(chunk_size=2000))
    return excel.response("complaints.xlsx", _("Client complaints"), headers, rows)
