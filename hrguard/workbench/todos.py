"""My to-dos and the things I started outside the process engine: documents to sign, decisions to acknowledge,
my pending leave, trips and claims (their approvals are engine steps: ``processes``). Each source is one query
(or none), capped at ``LIMIT`` rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from hrguard.discipline import selectors as discipline
from hrguard.documents import tracker
from hrguard.expenses import selectors as expenses
from hrguard.expenses.models import ApprovalStatus
from hrguard.leave import selectors as leave
from hrguard.leave.models import LeaveStatus

from .items import Item

LIMIT = 20


def _documents_to_sign(user: Any, employee_id: int | None, today: dt.date) -> list[Item]:
    url = reverse("documents:mine")
    out = []
    for e in tracker.waiting_for_me(user, employee_id=employee_id, limit=LIMIT):
        due = localdate(e.request.deadline_at)
        out.append(Item("document_to_sign", _("Sign: %(title)s") % {"title": e.request.title}, url,
                        _("Open the link you received to sign."), due=due, overdue=due < today,
                        badge=e.get_status_display(), tone="warning"))
    return out


def _decisions_to_acknowledge(user: Any, employee_id: int | None) -> list[Item]:
    if employee_id is None:
        return []
    rows = discipline.violations(user, employee_id=employee_id, status="decided").filter(ack="").order_by("pk")
    return [
        Item("violation_ack", _("Acknowledge the decision on a violation of %(clause)s") % {"clause": v.clause.title},
             reverse("activity:violation_detail", args=[v.pk]), v.get_decision_display(), due=v.occurred_on,
             tone="danger")
        for v in rows[:LIMIT]
    ]


def my_todos(user: Any, *, employee_id: int | None, today: dt.date) -> list[Item]:
    """What waits for this user to act on besides the engine's steps."""
    return [
        *_documents_to_sign(user, employee_id, today),
        *_decisions_to_acknowledge(user, employee_id),
    ]


def started_by_me(user: Any, *, employee_id: int | None, known: frozenset[tuple[str, str]] = frozenset()) -> list[Item]:
    """What this user asked for that still waits for someone else (``known``: (subject type, id) of the records
    whose process the user started, listed from the engine already)."""
    if employee_id is None:
        return []
    out = [
        Item("leave_request", _("Leave: %(type)s, %(days)s days") % {"type": r.get_leave_type_display(),
                                                                    "days": r.days},
             reverse("activity:my_leave"), f"{r.start_date:%Y-%m-%d} – {r.end_date:%Y-%m-%d}", due=r.start_date,
             badge=r.get_status_display(), tone="info")
        for r in leave.requests(user, employee_id=employee_id, status=LeaveStatus.PENDING)
        .order_by("start_date")[:LIMIT] if ("leave.leaverequest", str(r.pk)) not in known
    ]
    waiting = [ApprovalStatus.SUBMITTED]
    mine = reverse("activity:my_expenses")
    for t in expenses.trips(user, employee_id=employee_id).filter(status__in=waiting).order_by("start_date")[:LIMIT]:
        if ("expenses.trip", str(t.pk)) in known:
            continue
        out.append(Item("trip_request", _("Trip to %(place)s") % {"place": t.destination}, mine,
                        f"{t.start_date:%Y-%m-%d}", due=t.start_date, badge=t.get_status_display(), tone="info"))
    for c in expenses.claims(user, employee_id=employee_id).filter(status__in=waiting).order_by("spent_on")[:LIMIT]:
        if ("expenses.expenseclaim", str(c.pk)) in known:
            continue
        out.append(Item("claim_request", _("Expense claim ¥%(amount)s") % {"amount": c.amount}, mine,
                        c.description, due=c.spent_on, badge=c.get_status_display(), tone="info"))
    return out
