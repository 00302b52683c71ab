"""Read queries on violations and complaints (HR, legal, compliance; line managers; the employee
sees their own violations but not complaints)."""

from __future__ import annotations

from django.db.models import QuerySet

from hrguard.core.models import User

from ..access import DISCIPLINE_ROLES, complaints_q, violations_q
from ..models import ClientComplaint, DisciplineReview, EscalationRule, HandbookClause, Violation


def violations(user: User, *, employee_id: int | None = None, status: str = "") -> QuerySet[Violation]:
    qs = Violation.objects.filter(company_id=user.company_id).filter(violations_q(user))
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if status:
        qs = qs.filter(status=status)
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
        qs = qs.filter(is_open=True)
    return qs.select_related("employee", "rule")
