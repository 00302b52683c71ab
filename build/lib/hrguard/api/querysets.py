"""Read querysets the API needs beyond ``people.selectors``: always tenant-scoped, and for contracts
narrowed to what ``people.view_contracts`` allows (HR: the company; HR partner: partnered subtrees;
everyone: their own)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from hrguard.core.models import Department, Position, User
from hrguard.core.scope import scope_of
from hrguard.people.models import ClauseTemplate, Contract, LifecycleEvent


def _contract_scope(user: User) -> Q:
    if user.is_hr:
        return Q()
    scope = scope_of(user)
    q = Q(employee_id=scope.employee_id) if scope.employee_id else Q(pk__in=[])
    for path in scope.partnered_paths:
        q |= Q(employee__department_path__startswith=path)
    return q


def contracts(user: User, employee_id: int | None = None) -> QuerySet[Contract]:
    if not user.is_authenticated or user.company_id is None:
        return Contract.objects.none()
    qs = Contract.objects.filter(company_id=user.company_id).filter(_contract_scope(user))
    if employee_id is not None:
        qs = qs.filter(employee_id=employee_id)
    return (
        qs.select_related("employee")
        .prefetch_related("clauses", "supplements")
        .order_by("-start_date", "-pk")
    )


def departments(user: User) -> QuerySet[Department]:
    return Department.objects.filter(company_id=user.company_id).select_related("manager").order_by("path")


def positions(user: User) -> QuerySet[Position]:
    return Position.objects.filter(company_id=user.company_id).order_by("name", "pk")


def clauses(user: User) -> QuerySet[ClauseTemplate]:
    return ClauseTemplate.objects.filter(company_id=user.company_id).order_by("code", "pk")


def lifecycle(employee_id: int, company_id: int) -> QuerySet[LifecycleEvent]:
    return (
        LifecycleEvent.objects.filter(company_id=company_id, employee_id=employee_id)
        .select_related("created_by")
        .order_by("-effective_date", "-pk")
    )
