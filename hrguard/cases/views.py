"""Case pages: the list (by state and type), a new case, one case (the engine steps with their clock,
parties, links, closing with the root cause and the review, reopening), statistics. Thin: parse, call
a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.core.roles import Role
from hrguard.people import selectors as people_selectors
from hrguard.people.pages import guard

from . import selectors, services, types
from .models import CaseState, Confidentiality, PartyKind, RootCause

# Records a case is linked to by hand (``app_label.model`` as ``services.link`` takes it), named for the form.
LINK_TYPES = (("risk.alert", gettext_lazy("Alert")), ("discipline.violation", gettext_lazy("Violation")),
              ("discipline.complaint", gettext_lazy("Client complaint")), ("offboarding.exit", gettext_lazy("Exit")))
TASK_ACTIONS = {"task": "complete", "signature": "complete", "approval": "approve"}


def _flash(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for msgs in (exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]):
            for msg in msgs:
                messages.error(request, msg)
    else:
        messages.error(request, str(exc) or _("You may not do this."))


@login_required
@guard("cases:list")
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    kind = request.GET.get("type", "")
    rows = selectors.case_list(request.user, state=state if state in CaseState.values else "",
                               case_type=kind if types.get(kind) else "")
    for c in rows:
        found = types.get(c.case_type)
        c.type_label = found.label if found else c.case_type  # type: ignore[attr-defined]
    return render(request, "cases/list.html", {
        "rows": rows, "state": state, "kind": kind, "types": types.all_types(), "states": CaseState.choices,
        "can_open": request.user.has_perm("cases.open_case"),
    })


def _employee(user: Any, value: Any) -> Any:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return people_selectors.employee_detail(user, pk)


@login_required
@guard("cases:new")
@require_http_methods(["GET", "POST"])
def new_case(request: HttpRequest) -> HttpResponse:
    data = {k: str(request.POST.get(k) or request.GET.get(k) or "")[:5000] for k in (
        "case_type", "title", "category", "confidentiality", "subject", "description", "link_type", "link_id",
        "link_label")}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        subject = _employee(request.user, data["subject"]) if data["subject"] else None
        witnesses = [e for e in (_employee(request.user, v) for v in request.POST.getlist("witnesses")) if e]
        complainants = [e for e in (_employee(request.user, v) for v in request.POST.getlist("complainants")) if e]
        links = ([{"target_type": data["link_type"], "target_id": data["link_id"], "label": data["link_label"]}]
                 if data["link_type"] and data["link_id"] else [])
        try:
            if data["subject"] and subject is None:
                raise ValidationError({"subject": _("Choose an employee.")})
            case = services.open_case(
                actor=request.user, case_type=data["case_type"], title=data["title"], category=data["category"],
                confidentiality=data["confidentiality"] or Confidentiality.NORMAL, subject_employee=subject,
                description=data["description"], complainants=complainants, witnesses=witnesses, links=links)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"all": exc.messages}
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("cases:detail", case.pk)
    employees = list(people_selectors.visible_employees(request.user).filter(status="active")
                     .select_related("department").order_by("employee_no")[:500])
    return render(request, "cases/new.html", {
        "data": data, "errors": errors, "types": types.all_types(), "levels": Confidentiality.choices,
        "employees": employees}, status=400 if errors else 200)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        d = selectors.case_detail(request.user, pk)
    except Http404:
        return _own_steps(request, pk)  # a step owner who may not read the case: their step only (or 404)
    services.record_view(actor=request.user, case=d.case)
    roles = dict(Role.choices)
    rows = [{"view": s, "actionable": s.step.pk in d.actionable, "role": roles.get(s.step.assignee_role, ""),
             "actions": [(TASK_ACTIONS.get(s.step.kind, "complete"), _("Done"))]} for s in d.steps]
    return render(request, "cases/detail.html", {
        "d": d, "c": d.case, "rows": rows,
        "category": d.case_type.category_label(d.case.category) if d.case_type else d.case.category,
        "root_causes": RootCause.choices,
        "link_types": LINK_TYPES,
        "party_kinds": [(k, v) for k, v in PartyKind.choices if k != PartyKind.SUBJECT],
        "hours": round(d.handling_seconds / 3600, 1),
        "employees": list(people_selectors.visible_employees(request.user).filter(status="active")
                          .order_by("employee_no")[:500]) if d.can_manage else [],
    })


def _own_steps(request: HttpRequest, pk: int) -> HttpResponse:
    own = selectors.own_steps(request.user, pk)
    services.record_step_view(actor=request.user, case=own.case, step_ids=[s.step.pk for s in own.steps])
    rows = [{"view": s, "actionable": s.step.pk in own.actionable,
             "actions": [(TASK_ACTIONS.get(s.step.kind, "complete"), _("Done"))]} for s in own.steps]
    return render(request, "cases/own_steps.html", {"own": own, "c": own.case, "rows": rows})


def _post(request: HttpRequest, pk: int, fn: Any, ok: str) -> HttpResponse:
    case = selectors.case_for(request.user, pk)  # 404 for what the user may not see
    if not request.user.has_perm("cases.manage_case", case):
        raise PermissionDenied
    try:
        fn()
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, ok)
    return redirect("cases:detail", pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, pk, lambda: services.close_case(
        actor=request.user, case_id=pk, root_cause=request.POST.get("root_cause", ""),
        review_notes=request.POST.get("review_notes", "")[:5000]), _("Case closed."))


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, pk, lambda: services.reopen_case(
        actor=request.user, case_id=pk, reason=request.POST.get("reason", "")[:300]), _("Case reopened."))


@login_required
@require_POST
def add_party(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.case_for(request.user, pk)
    employee = _employee(request.user, request.POST.get("employee"))
    if employee is None:
        messages.error(request, _("Choose an employee."))
        return redirect("cases:detail", pk)
    return _post(request, pk, lambda: services.add_party(
        actor=request.user, case_id=pk, employee=employee, kind=request.POST.get("kind", "")), _("Party added."))


@login_required
@require_POST
def add_link(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, pk, lambda: services.link(
        actor=request.user, case_id=pk, target_type=request.POST.get("target_type", ""),
        target_id=request.POST.get("target_id", ""), label=request.POST.get("label", ""),
        url=request.POST.get("url", "")), _("Record linked."))


@login_required
@guard("cases:stats")
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    s = selectors.case_stats(request.user)
    tables = [(_("By type"), s.by_type), (_("By category"), s.by_category), (_("By root cause"), s.by_root_cause)]
    return render(request, "cases/stats.html", {"s": s, "tables": tables})


def not_found() -> Http404:
    return Http404(_("No such case."))
