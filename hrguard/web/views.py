from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from hrguard.people.scope import scope_of

TEAM_PREVIEW = 20


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Roster readers get the company dashboard, managers and HR partners their team; an employee
    lands on their own profile."""
    from hrguard.people import queries_ui, selectors

    user = request.user
    scope = scope_of(user)
    context: dict[str, Any] = {"scope": scope, "headcount": [], "team": [], "team_more": False}
    if user.reads_roster:
        context["headcount"] = queries_ui.headcount_by_status(user)
        context["total"] = sum(int(row["count"]) for row in context["headcount"])  # type: ignore[call-overload]
    elif scope.is_manager or scope.partnered_paths:
        rows, more = selectors.page(
            selectors.employee_list(user, selectors.EmployeeFilter()), 1, TEAM_PREVIEW
        )
        context["team"], context["team_more"] = rows, more
    elif scope.employee_id:
        return redirect("people:my_profile")
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"ok": True})
