"""People pages: the roster (花名册), an employee's profile, audited reveal of sensitive fields, 我的档案.

Views are thin: parse, check permission, call a selector or service, render. Edit pages live in
``views_edit``, contract pages in ``views_contracts``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from hrguard.evidence import selectors as evidence_selectors
from hrguard.evidence.timeline import timeline_rows
from hrguard.people.pages import guard

from . import queries_ui, selectors, services
from .forms import EmployeeSearchForm
from .models import Employee, EmployeeStatus, LifecycleKind

PAGE_SIZE = 50
SENSITIVE_LABELS = {
    "id_number": _("ID number"),
    "phone": _("Mobile phone"),
    "bank_account": _("Bank account"),
    "address": _("Address"),
}
PROFILE_TIMELINE_LIMIT = 20


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 100000))
    except (TypeError, ValueError):
        return 1


def visible_employee_or_404(request: HttpRequest, pk: int) -> Employee:
    """Another company's employee, or one outside the user's scope, does not exist for this user."""
    employee = selectors.employee_detail(request.user, pk)
    if employee is None:
        raise Http404
    return employee


def cursor_param(request: HttpRequest, name: str) -> str | None:
    value = request.GET.get(name)
    return value.strip()[:64] if isinstance(value, str) and value.strip() else None


def paging_links(
    params: dict[str, Any], number: int, rows: list[Any], has_next: bool, has_prev: bool, keyset: bool
) -> tuple[str, str]:
    """(prev_query, next_query). Next always carries the cursor (``after`` = last employee number), so a
    deep page costs what the first does; ``page`` is kept for the label and for old links."""
    nxt = urlencode({**params, "page": number + 1, "after": rows[-1].employee_no}) if has_next and rows else ""
    prev = ""
    if number > 1 and has_prev:
        if number == 2:
            prev = urlencode({**params, "page": 1})  # the first page needs no cursor
        elif keyset and rows:
            prev = urlencode({**params, "page": number - 1, "before": rows[0].employee_no})
        else:
            prev = urlencode({**params, "page": number - 1})
    return prev, nxt


@login_required
@require_GET
@guard("people:employee_list")
def employee_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    flt = selectors.EmployeeFilter.from_params(request.GET)
    number = page_number(request)
    after, before = cursor_param(request, "after"), cursor_param(request, "before")
    keyset = after is not None or before is not None
    compiled = selectors.compiled_roster_page(user, flt, PAGE_SIZE, number=number, after=after, before=before)
    if compiled is not None:  # the unfiltered roster: the same rows from a statement compiled once
        rows, has_next, has_prev = compiled
        if not keyset:
            has_prev = number > 1
        elif before is not None and not has_prev:
            number = 1
    elif keyset:
        qs = selectors.roster_columns(selectors.employee_list(user, flt))
        rows, has_next, has_prev = selectors.keyset_page(qs, PAGE_SIZE, after=after, before=before)
        if before is not None and not has_prev:
            number = 1  # went back past the start (rows were added): this is the first page
    else:
        rows, has_next = selectors.page(selectors.roster_columns(selectors.employee_list(user, flt)), number, PAGE_SIZE)
        has_prev = number > 1
    params = {k: v for k, v in (("q", flt.q), ("department", flt.department or ""), ("status", flt.status)) if v}
    prev_query, next_query = paging_links(params, number, rows, has_next, has_prev, keyset)
    context: dict[str, Any] = {
        "rows": rows,
        "has_next": has_next,
        "page": number,
        "prev_query": prev_query,
        "next_query": next_query,
        "filtered": bool(params),
        "can_add": user.has_perm("people.add_employee"),
        "export_query": urlencode(params),
        "can_export_unmasked": user.has_perm("people.export_employees_unmasked"),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(request, "people/_employee_table.html", context)
    else:
        context["search_form"] = EmployeeSearchForm(
            request.GET or None,
            departments=selectors.department_list(user),
            url=reverse("people:employee_list"),
        )
        response = render(request, "people/employee_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def describe_change(field: str, change: Any) -> dict[str, str]:
    """One line of a lifecycle event's "what changed", with labels instead of codes."""
    try:
        label = capfirst(str(Employee._meta.get_field(field).verbose_name))
    except FieldDoesNotExist:  # keys of older events are shown as they are
        label = field

    def show(value: Any) -> str:
        if isinstance(value, dict):
            return str(value.get("name", ""))
        if field == "status" and value in EmployeeStatus.values:
            return str(EmployeeStatus(value).label)
        return "" if value is None else str(value)

    if isinstance(change, dict) and ("from" in change or "to" in change):
        return {"label": label, "before": show(change.get("from")), "after": show(change.get("to"))}
    return {"label": label, "before": "", "after": show(change)}


def profile_context(request: HttpRequest, employee: Employee) -> dict[str, Any]:
    user = request.user
    can = {
        "reveal": user.has_perm("people.view_employee_sensitive", employee),
        "edit": user.has_perm("people.change_employee", employee),
        "lifecycle": user.has_perm("people.record_lifecycle", employee),
        "contracts": user.has_perm("people.view_contracts", employee),
        "change_contracts": user.has_perm("people.change_contracts", employee),
        "timeline": user.has_perm("evidence.view_timeline", employee),
        "own_contact": user.has_perm("people.change_own_contact", employee),
    }
    sensitive = [
        {"field": f, "label": label, "masked": services.mask(getattr(employee, f), f)}
        for f, label in SENSITIVE_LABELS.items()
    ]
    lifecycle = [
        {"event": ev, "changes": [describe_change(k, v) for k, v in (ev.changes or {}).items() if v not in ("", None)]}
        for ev in selectors.lifecycle_of(employee)
    ]
    contracts = selectors.contracts_with_terms(employee) if can["contracts"] else []
    events: list[dict[str, Any]] = []
    if can["timeline"]:
        events = timeline_rows(
            evidence_selectors.for_employee(employee.company_id, employee.pk, limit=PROFILE_TIMELINE_LIMIT),
            {employee.pk: employee.name},
        )
    return {
        "employee": employee,
        "line_manager": employee.manager or employee.department.manager,
        "sensitive": sensitive,
        "lifecycle": lifecycle,
        "contracts": contracts,
        # the one a labor-contract signing request is built from (documents: the newest by start date)
        "newest_contract": max(contracts, key=lambda c: (c.start_date, c.pk), default=None),
        "events": events,
        "events_truncated": len(events) >= PROFILE_TIMELINE_LIMIT,
        "can": can,
        "is_self": employee.user_id == user.pk,
        "lifecycle_kinds": [(k, label) for k, label in LifecycleKind.choices if k != LifecycleKind.HIRE],
    }


@login_required
@require_GET
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = visible_employee_or_404(request, pk)
    return render(request, "people/employee_detail.html", profile_context(request, employee))


@login_required
@require_GET
def my_profile(request: HttpRequest) -> HttpResponse:
    """我的档案: the signed-in user's own employee record."""
    employee = queries_ui.own_employee(request.user)
    if employee is None:
        return render(request, "people/no_profile.html", status=404)
    return render(request, "people/employee_detail.html", profile_context(request, employee))


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    """Show one sensitive value unmasked; the service records the read in the evidence log."""
    if field not in SENSITIVE_LABELS:
        raise Http404
    employee = visible_employee_or_404(request, pk)
    if not request.user.has_perm("people.view_employee_sensitive", employee):
        raise PermissionDenied
    value = services.reveal_sensitive(request.user, employee, field)
    context = {"employee": employee, "field": field, "label": SENSITIVE_LABELS[field], "value": value}
    if getattr(request, "htmx", None):
        return render(request, "people/_revealed.html", context)
    return render(request, "people/revealed.html", context)
