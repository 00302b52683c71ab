"""Read queries on performance records (the user's ordinary scope)."""

from __future__ import annotations

from django.db.models import QuerySet

from hrguard.core.models import User
from hrguard.records.access import people_q

from .models import ImprovementPlan, Review, ReviewCycle


def cycles(user: User) -> QuerySet[ReviewCycle]:
    return ReviewCycle.objects.filter(company_id=user.company_id)


def cycle_for(user: User, pk: int) -> ReviewCycle | None:
    return cycles(user).filter(pk=pk).first()


def reviews(user: User, *, cycle_id: int | None = None, employee_id: int | None = None) -> QuerySet[Review]:
    qs = Review.objects.filter(company_id=user.company_id).filter(people_q(user))
    if cycle_id:
        qs = qs.filter(cycle_id=cycle_id)
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    return qs.select_related("employee", "employee__department", "cycle").prefetch_related("kpis", "weight_changes")


def review_for(user: User, pk: int) -> Review | None:
    return reviews(user).filter(pk=pk).first()


def plans(user: User, *, employee_id: int | None = None, open_only: bool = False) -> QuerySet[ImprovementPlan]:
    qs = ImprovementPlan.objects.filter(company_id=user.company_id).filter(people_q(user))
    if employee_id:
        qs = qs.filter(employee_id=employee_id)
    if open_only:
        qs = qs.filter(status="open")
    return qs.select_related("employee", "review", "review__cycle")
