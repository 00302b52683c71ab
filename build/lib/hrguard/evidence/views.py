"""Evidence pages: an employee's evidence timeline (证据时间线) and the search that leads to it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from hrguard.core.rules import reads_sensitive
from hrguard.core.scope import scope_of

from . import labels, selectors
from .models import EvidenceEvent

TIMELINE_LIMIT = 200

CHANNEL_LABELS: dict[str, Any] = {
    "web": _("Web"),
    "api": _("API"),
    "cli": _("Command line"),
    "worker": _("Background task"),
    "import": _("Import"),
    "system": _("System"),
}
FIELD_LABELS: dict[str, Any] = {
    "id_number": _("ID number"),
    "phone": _("Mobile phone"),
    "bank_account": _("Bank account"),
    "email": _("Email"),
    "address": _("Address"),
    "emergency_contact": _("Emergency contact"),
    "department": _("Department"),
    "position": _("Position"),
    "status": _("Status"),
    "name": _("Name"),
}


def action_label(action: str) -> str:
    return labels.label(action)


def _summary(action: str, data: dict[str, Any]) -> str:
    """A short plain-language detail line for the timeline."""
    if action == "sensitive.read" and data.get("field"):
        return str(FIELD_LABELS.get(data["field"], data["field"]))
    changes = data.get("changes")
    if isinstance(changes, dict) and changes:
        return "、".join(str(FIELD_LABELS.get(k, k)) for k in changes)
    for key in ("contract_no", "title", "employee_no"):
        if data.get(key):
            return str(data[key])
    return ""


def timeline_rows(events: Iterable[EvidenceEvent]) -> list[dict[str, Any]]:
    """Events as rows for the timeline table: time, actor, action, detail, IP, channel, seq, hash."""
    rows = []
    for event in events:
        record = selectors.decoded(event)
        ctx = record.get("ctx") or {}
        data = record.get("data") or {}
        channel = str(ctx.get("channel") or "")
        rows.append(
            {
                "seq": event.seq,
                "at": event.at,
                "actor": event.actor_name or _("System"),
                "action": action_label(event.action),
                "code": event.action,
                "summary": _summary(event.action, data if isinstance(data, dict) else {}),
                "ip": ctx.get("ip") or "",
                "channel": str(CHANNEL_LABELS.get(channel, channel)),
                "hash": event.hash,
            }
        )
    return rows


def can_search_timelines(user: Any) -> bool:
    scope = scope_of(user)
    return bool(user.reads_roster or scope.is_manager or scope.partnered_paths)


@login_required
@require_GET
def employee_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    from hrguard.people import selectors as people_selectors

    employee = people_selectors.employee_detail(request.user, pk)
    if employee is None:
        raise Http404
    if not request.user.has_perm("evidence.view_timeline", employee):
        raise PermissionDenied
    events = timeline_rows(selectors.for_employee(employee.company_id, employee.pk, limit=TIMELINE_LIMIT))
    return render(
        request,
        "evidence/timeline.html",
        {"employee": employee, "events": events, "truncated": len(events) >= TIMELINE_LIMIT},
    )


@login_required
@require_GET
def timeline_search(request: HttpRequest) -> HttpResponse:
    """HR (or a manager / HR partner for their departments) finds an employee by number or name."""
    from hrguard.people import selectors as people_selectors

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
