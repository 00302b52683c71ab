"""Tenant-scoped reads of clients and who serves them (constant queries whatever the count)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from .models import Client, ClientCoverage


def clients_for(user: Any) -> QuerySet[Client]:
    if not user.is_authenticated or not user.has_perm("clients.view_clients"):
        return Client.objects.none()
    return Client.objects.filter(company_id=user.company_id)


def client_list(user: Any, *, limit: int = 200) -> list[Client]:
    """Clients with their coverage and the covering employees: 2 queries."""
    coverage = ClientCoverage.objects.select_related("employee").order_by("role", "employee__employee_no")
    qs = clients_for(user).prefetch_related(Prefetch("coverage", queryset=coverage))
    return list(qs.order_by("name", "id")[:limit])


def coverage_of(employee: Any) -> list[ClientCoverage]:
    """The clients one employee serves (no permission: callers check theirs first), one query."""
    return list(ClientCoverage.objects.filter(company_id=employee.company_id, employee_id=employee.pk)
                .select_related("client").order_by("-revenue_share", "client__name"))


def others_serving(company_id: int, client_ids: Iterable[int], *, excluding: int) -> list[ClientCoverage]:
    """Who else serves these clients (possible successors), one query."""
    return list(ClientCoverage.objects.filter(company_id=company_id, client_id__in=list(client_ids))
                .exclude(employee_id=excluding).select_related("employee", "client")
                .order_by("employee__employee_no", "client__name"))
