"""Evidence pages of an employee: their evidence timeline (证据时间线) and the search that leads to it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from hrguard.evidence import selectors
from hrguard.evidence.timeline import TIMELINE_LIMIT, timeline_rows

from . import selectors as people_selectors
from .permissions import reads_sensitive
from .scope import scope_of


def can_search_timelines(user: Any) -> bool:
    scope = scope_of(user)
    return bool(user.reads_roster or scope.is_manager or scope.partnered_paths)


@login_required
@require_GET
def employee_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    employee = people_selectors.employee_detail(request.user, pk)
    if employee is None:
        raise Http404
    if not request.user.has_perm("evidence.view_timeline", employee):
        raise PermissionDenied
    events = timeline_rows(selectors.for_employee(employee.company_id, employee.pk, limit=TIMELINE_LIMIT),
                           {employee.pk: employee.name})
    return render(
        request,
        "evidence/timeline.html",
        {"employee": employee, "events": events, "truncated": len(events) >= TIMELINE_LIMIT},
    )


@login_required
@require_GET
def timeline_search(request: HttpRequest) -> HttpResponse:
    """HR (or a manager / HR partner for their departments) finds an employee by number or name."""
    user = request.user
    if not can_search_timelines(user):
        raise PermissionDenied
    text = str(request.GET.get("q", "") or "").strip()[:100]
    matches: list[Any] = []
    if text:
        found = list(
            people_selectors.visible_employees(user)
            .filter(people_selectors.search_q(user.company_id, text, sensitive=reads_sensitive(user)))
            .select_related("department")
            .order_by("employee_no")[:21]
        )
        exact = [e for e in found if e.employee_no == text]
        if len(exact) == 1 and user.has_perm("evidence.view_timeline", exact[0]):
            return redirect("evidence:employee_timeline", pk=exact[0].pk)
        matches = [e for e in found if user.has_perm("evidence.view_timeline", e)]
    return render(
        request,
        "evidence/timeline_search.html",
        {"q": text, "matches": matches[:20], "more": len(matches) > 20},
    )
