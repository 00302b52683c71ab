"""Read queries on the evidence log (tenant-scoped)."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet

from hrguard.platform.prepared import Prepared

from .models import EvidenceEvent


def for_subject(company_id: int, subject_type: str, subject_id: Any, limit: int = 200) -> QuerySet[EvidenceEvent]:
    return EvidenceEvent.objects.filter(
        company_id=company_id, subject_type=subject_type, subject_id=str(subject_id)
    ).order_by("-seq")[:limit]


def for_employee(company_id: int, employee_id: int, limit: int = 200) -> list[EvidenceEvent]:
    """The employee's newest ``limit`` events (on every profile page: compiled once, ``platform.prepared``)."""
    return _FOR_EMPLOYEE.rows(shape={"limit": limit}, company_id=company_id, employee_id=employee_id)


def _for_employee(*, limit: int, company_id: int, employee_id: int) -> QuerySet[EvidenceEvent]:
    return EvidenceEvent.objects.filter(company_id=company_id, employee_id=employee_id).order_by("-seq")[:limit]


_FOR_EMPLOYEE = Prepared(_for_employee)


def decoded(event: EvidenceEvent) -> dict[str, Any]:
    return json.loads(event.record)
