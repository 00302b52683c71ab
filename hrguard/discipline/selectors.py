"""Read queries on violations and complaints (HR, legal, compliance; line managers; the employee
sees their own violations but not complaints)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from hrguard.core.models import User
from hrguard.platform.prepared import Prepared
from hrguard.records.access import DISCIPLINE_ROLES, complaints_q, violations_q

from .models import (
    ClientComplaint,
    ComplaintStatus,
    DisciplineReview,
    EscalationRule,
    HandbookClause,
    Violation,
    ViolationStatus,
    status_q,
)


def violations(user: User, *, employee_id: int | None = None, status: str = "") -> QuerySet[Violation]:
    qs = Violation.objects.filter(company_id=user.company_id).filter(violations_q(user))
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if status:
        qs = qs.filter(status_q(status))
    return qs.select_related("employee", "employee__department", "clause", "reporter")


def violation_for(user: User, pk: int) -> Violation | None:
    return violations(user).filter(pk=pk).first()


def complaints(user: User, *, employee_id: int | None = None, status: str = "") -> QuerySet[ClientComplaint]:
    qs = ClientComplaint.objects.filter(company_id=user.company_id).filter(complaints_q(user))
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("employee", "employee__department", "created_by")


def complaint_for(user: User, pk: int) -> ClientComplaint | None:
    return complaints(user).filter(pk=pk).first()


def clauses(user: User, *, active_only: bool = False) -> QuerySet[HandbookClause]:
    qs = HandbookClause.objects.filter(company_id=user.company_id)
    return qs.filter(active=True) if active_only else qs


def rules(user: User) -> QuerySet[EscalationRule]:
    return EscalationRule.objects.filter(company_id=user.company_id).order_by("threshold")


def reviews(user: User, *, employee_id: int | None = None, open_only: bool = True) -> QuerySet[DisciplineReview]:
    if user.role not in DISCIPLINE_ROLES:  # the review itself is for HR / legal / compliance
        return DisciplineReview.objects.none()
    qs = DisciplineReview.objects.filter(company_id=user.company_id)
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if open_only:
        qs = qs.filter(outcome="")
    return qs.select_related("employee", "rule")


COMPLAINT_SUMMARY_FIELDS = ("id", "received_on", "client", "claimed_loss")


def summary_part(user: User, employee: Any, summary: Any) -> None:
    """Decided violations and open client complaints on the employee's profile
    (``hrguard.records.summary``)."""
    if user.has_perm("discipline.view_violations", employee):
        summary.can_violations = True
        counts = _DECIDED_COUNTS.rows(shape={"scope": violations_q(user)}, company_id=user.company_id,
                                      employee_id=employee.pk)
        summary.violations, summary.violations_awaiting_ack = counts[0] if counts else (0, 0)
    if user.has_perm("discipline.view_complaints", employee):
        summary.can_complaints = True
        summary.open_complaints = _OPEN_COMPLAINTS.rows(shape={"scope": complaints_q(user)},
                                                        company_id=user.company_id, employee_id=employee.pk)


# The profile's two reads, each compiled once per viewer's scope (``platform.prepared``): the decided
# violations of ``violations(user, employee_id=…, status=DECIDED)`` counted, all and those awaiting the
# acknowledgement, in one query; the open complaints of ``complaints(…, status=OPEN)``, first 20, with the
# fields the section shows (date, client, claimed loss; linked by id) and not the joined people.
_DECIDED_COUNTS = Prepared(lambda *, scope, company_id, employee_id: Violation.objects.filter(
    company_id=company_id).filter(scope).filter(employee_id=employee_id).filter(status_q(ViolationStatus.DECIDED))
    .order_by().values("employee_id").annotate(decided=Count("pk"), awaiting=Count("pk", filter=Q(ack="")))
    .values_list("decided", "awaiting"))
_OPEN_COMPLAINTS = Prepared(lambda *, scope, company_id, employee_id: ClientComplaint.objects.filter(
    company_id=company_id).filter(scope).filter(employee_id=employee_id, status=ComplaintStatus.OPEN)
    .only(*COMPLAINT_SUMMARY_FIELDS)[:20])


# ---- facts for process gates (not scoped to a viewer: the gate decides who sees them) ------------

def open_complaints_of(employee: Any, *, limit: int = 20) -> tuple[int, list[ClientComplaint]]:
    """How many client complaints against the employee are open, and the first ``limit`` of them."""
    qs = ClientComplaint.objects.filter(company_id=employee.company_id, employee_id=employee.pk,
                                        status=ComplaintStatus.OPEN).order_by("received_on", "id")
    rows = list(qs[:limit])
    return (len(rows) if len(rows) < limit else qs.count()), rows


def open_violations_of(employee: Any, *, limit: int = 20) -> tuple[int, list[Violation]]:
    """Violations of the employee still being handled (not yet decided), and the first ``limit``."""
    qs = Violation.objects.filter(company_id=employee.company_id, employee_id=employee.pk, decision="") \
        .select_related("clause").order_by("occurred_on", "id")
    rows = list(qs[:limit])
    return (len(rows) if len(rows) < limit else qs.count()), rows
