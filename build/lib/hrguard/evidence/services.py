"""Writing to the evidence log. Call inside the transaction of the change being recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from hrguard.core import context as request_context

from .canonical import GENESIS, canonical_bytes, record_hash
from .models import ChainHead, EvidenceEvent


@dataclass(frozen=True)
class Subject:
    type: str
    id: str

    @classmethod
    def of(cls, obj: Any) -> Subject:
        return cls(f"{obj._meta.app_label}.{obj._meta.model_name}", str(obj.pk))

    def __str__(self) -> str:
        return f"{self.type}:{self.id}"


@dataclass(frozen=True)
class PendingEvent:
    action: str
    subject: Subject | None
    data: Mapping[str, Any]
    employee_id: int | None = None


def _json_safe(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)  # Decimal, UUID, lazy strings…


def _lock_head(company_id: int) -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(company_id=company_id).first()
    if head is None:
        ChainHead.objects.get_or_create(company_id=company_id, defaults={"size": 0, "last_hash": GENESIS})
        head = ChainHead.objects.select_for_update().get(company_id=company_id)
    return head


def record_many(company: Any, actor: Any, events: Iterable[PendingEvent]) -> list[EvidenceEvent]:
    """Append events in order, in the caller's transaction (required)."""
    if not connection.in_atomic_block:
        raise RuntimeError("evidence must be written inside the transaction of the change it records")
    company_id = company if isinstance(company, int) else company.pk
    ctx = request_context.current()
    ctx_json = {"ip": ctx.ip, "ua": ctx.user_agent, "channel": ctx.channel}
    actor_id = getattr(actor, "pk", None)
    actor_name = getattr(actor, "username", "") if actor is not None else "system"
    head = _lock_head(company_id)
    now = dt.datetime.now(dt.UTC)
    at_text = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    rows: list[EvidenceEvent] = []
    seq, prev = head.size, head.last_hash
    for ev in events:
        record = {
            "seq": seq,
            "company": company_id,
            "at": at_text,
            "actor": {"id": actor_id, "name": actor_name},
            "action": ev.action,
            "subject": str(ev.subject) if ev.subject else "",
            "employee": ev.employee_id,
            "ctx": ctx_json,
            "data": _json_safe(dict(ev.data)),
            "prev": prev,
        }
        raw = canonical_bytes(record)
        digest = record_hash(raw)
        rows.append(
            EvidenceEvent(
                company_id=company_id, seq=seq, at=now, actor_id=actor_id, actor_name=actor_name,
                action=ev.action, subject_type=ev.subject.type if ev.subject else "",
                subject_id=ev.subject.id if ev.subject else "", employee_id=ev.employee_id, record=raw.decode("utf-8"),
                hash=digest, prev_hash=prev,
            )
        )
        seq, prev = seq + 1, digest
    if rows:
        EvidenceEvent.objects.bulk_create(rows, batch_size=1000)
        ChainHead.objects.filter(pk=head.pk).update(size=seq, last_hash=prev)
    return rows


def record(
    company: Any,
    actor: Any,
    action: str,
    subject: Any = None,
    data: Mapping[str, Any] | None = None,
    *,
    employee: Any = None,
) -> EvidenceEvent:
    """Append one event. ``subject`` is a model instance or a Subject; ``employee`` (instance or id) is
    the person the event concerns, for their timeline."""
    subj = subject if isinstance(subject, Subject) or subject is None else Subject.of(subject)
    emp_id = getattr(employee, "pk", employee)
    return record_many(company, actor, [PendingEvent(action, subj, data or {}, emp_id)])[0]


@transaction.atomic
def record_standalone(
    company: Any, actor: Any, action: str, subject: Any = None, data: Any = None, *, employee: Any = None
) -> EvidenceEvent:
    """For reads (e.g. a sensitive field revealed) that have no surrounding state change."""
    return record(company, actor, action, subject, data, employee=employee)
