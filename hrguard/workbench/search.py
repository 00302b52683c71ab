"""Global search (navigation box → ``/search/``): people by name or employee number through the roster's
search (blind indexes and name pieces included), records by number — leave requests, trips, expense claims,
violations, client complaints (``#12`` or ``12``), signing requests and document numbers, contract numbers.

Only what the user may see: every source is the owning app's scoped selector, so an employee finds themselves
and their own records, a manager their team's, HR the company's; never another company's. A fixed number of
queries whatever the data size (one per source, each capped)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hrguard.discipline import selectors as discipline
from hrguard.documents import tracker
from hrguard.expenses import selectors as expenses
from hrguard.leave import selectors as leave
from hrguard.people import selectors as people
from hrguard.people.pages import may_open
from hrguard.people.scope import scope_of

from .items import Item

MAX_LENGTH = 100
PEOPLE_LIMIT = 20
RECORD_LIMIT = 5
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUMBER = re.compile(r"^#?\s*(\d{1,12})$")


@dataclass
class Results:
    query: str
    error: str = ""
    people: list[Item] = field(default_factory=list)
    people_more: bool = False
    records: list[Item] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.people and not self.records


def clean_query(raw: Any) -> tuple[str, str]:
    """(text, error): the search text trimmed, or a message saying why it cannot be searched."""
    text = str(raw or "").strip()
    if _CONTROL.search(text):
        return "", _("The search text contains control characters.")
    if len(text) > MAX_LENGTH:
        return "", _("The search text is too long (at most %(n)s characters).") % {"n": MAX_LENGTH}
    return text, ""


def _people(user: Any, text: str) -> tuple[list[Item], bool]:
    rows, more = people.page(
        people.roster_columns(people.employee_list(user, people.EmployeeFilter(q=text))), 1, PEOPLE_LIMIT
    )
    items = [
        Item("employee", r.name, reverse("people:employee_detail", args=[r.pk]),
             " · ".join(x for x in (r.department__name, r.position__name or "") if x), who=r.employee_no)
        for r in rows
    ]
    return items, more


def _own_or(user: Any, employee_id: int, own_url: str, other_url: str) -> str:
    return own_url if employee_id == scope_of(user).employee_id else other_url


def _leave(user: Any, n: int) -> list[Item]:
    mine, others = reverse("activity:my_leave"), reverse("activity:leave_list")
    return [
        Item("leave", _("Leave request #%(n)s") % {"n": r.pk}, _own_or(user, r.employee_id, mine, others),
             f"{r.get_leave_type_display()} {r.start_date:%Y-%m-%d} – {r.end_date:%Y-%m-%d}", who=r.employee.name,
             badge=r.get_status_display())
        for r in leave.requests(user).filter(pk=n)[:RECORD_LIMIT]
    ]


def _expenses(user: Any, n: int) -> list[Item]:
    mine = reverse("activity:my_expenses")
    others = reverse("activity:expense_approvals") if may_open(user, "activity:expense_approvals") else mine
    out = [
        Item("trip", _("Trip #%(n)s") % {"n": t.pk}, _own_or(user, t.employee_id, mine, others),
             f"{t.destination} {t.start_date:%Y-%m-%d}", who=t.employee.name, badge=t.get_status_display())
        for t in expenses.trips(user).filter(pk=n)[:RECORD_LIMIT]
    ]
    out += [
        Item("claim", _("Expense claim #%(n)s") % {"n": c.pk}, _own_or(user, c.employee_id, mine, others),
             f"¥{c.amount} {c.description}", who=c.employee.name, badge=c.get_status_display())
        for c in expenses.claims(user).filter(pk=n)[:RECORD_LIMIT]
    ]
    return out


def _discipline(user: Any, n: int) -> list[Item]:
    out = [
        Item("violation", _("Violation #%(n)s") % {"n": v.pk}, reverse("activity:violation_detail", args=[v.pk]),
             f"{v.occurred_on:%Y-%m-%d} {v.clause.title}", who=v.employee.name, badge=v.get_status_display())
        for v in discipline.violations(user).filter(pk=n)[:RECORD_LIMIT]
    ]
    out += [
        Item("complaint", _("Client complaint #%(n)s") % {"n": c.pk},
             reverse("activity:complaint_detail", args=[c.pk]), f"{c.received_on:%Y-%m-%d} {c.client}",
             who=c.employee.name, badge=c.get_status_display())
        for c in discipline.complaints(user).filter(pk=n)[:RECORD_LIMIT]
    ]
    return out


def _documents(user: Any, text: str) -> list[Item]:
    tracks = tracker.can_track(user)
    return [
        Item("document", f"{e.request.title} · {e.document_id}",
             reverse("documents:envelope_detail", args=[e.pk]) if tracks else reverse("documents:mine"),
             _("Signing request #%(n)s") % {"n": e.request_id}, who=e.employee.name, badge=e.get_status_display())
        for e in tracker.find_by_number(user, text, employee_id=scope_of(user).employee_id, limit=RECORD_LIMIT)
    ]


def _contracts(user: Any, text: str) -> list[Item]:
    rows = people.visible_contracts(user).filter(contract_no=text).prefetch_related(None)[:RECORD_LIMIT]
    return [
        Item("contract", _("Labor contract %(no)s") % {"no": c.contract_no},
             reverse("people:employee_detail", args=[c.employee_id]) + "#contracts",
             f"{c.get_contract_type_display()} {c.start_date:%Y-%m-%d} – "
             f"{c.end_date:%Y-%m-%d}" if c.end_date else c.get_contract_type_display(),
             who=c.employee.name, badge=c.get_status_display())
        for c in rows
    ]


def search(user: Any, raw: Any) -> Results:
    text, error = clean_query(raw)
    results = Results(query=text, error=error)
    if not text or error:
        return results
    results.people, results.people_more = _people(user, text)
    number = _NUMBER.match(text)
    if number:
        n = int(number.group(1))
        results.records += _leave(user, n) + _expenses(user, n) + _discipline(user, n)
    results.records += _documents(user, number.group(1) if number else text) + _contracts(user, text)
    return results
