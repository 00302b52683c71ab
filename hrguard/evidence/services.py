"""Writing to the evidence log. Call inside the transaction of the change being recorded."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
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


_local = threading.local()


@contextmanager
def batched() -> Iterator[None]:
    """Inside the caller's transaction: collect the events recorded in the block, in order, and append them
    when the block ends with one chain-head lock and one insert per run of events of the same company
    and actor (a state change that records several events — a process step closed, the next one opened,
    their notices queued — takes 3 queries for its evidence instead of 3 per event). If the block raises,
    nothing is written (the transaction rolls back anyway); an event recorded inside a savepoint that was
    rolled back is dropped with it. Inside the block ``record``/``record_many`` return the events unsaved
    (no ``pk``/``seq``/``hash`` yet). Nested blocks write at the outermost end."""
    if not connection.in_atomic_block:
        raise RuntimeError("evidence must be written inside the transaction of the change it records")
    outer = getattr(_local, "pending", None) is None
    if outer:
        _local.pending = []
    try:
        yield
        if outer:
            _flush(_local.pending)
    finally:
        if outer:
            _local.pending = None


def _noop() -> None:
    """Marker registered with ``on_commit`` for each batched entry: Django forgets the ``on_commit``
    callbacks of a savepoint that is rolled back, which tells ``_flush`` which entries were undone."""


Pending = tuple[int, tuple[Any, str], Any, list[PendingEvent], Any]


def _flush(pending: list[Pending]) -> None:
    live = {id(entry[1]) for entry in connection.run_on_commit}
    runs: list[tuple[int, tuple[Any, str], Any, list[PendingEvent]]] = []
    for company_id, who, actor, events, marker in pending:
        if id(marker) not in live:  # recorded inside a savepoint that was rolled back
            continue
        if runs and runs[-1][0] == company_id and runs[-1][1] == who:
            runs[-1][3].extend(events)
        else:
            runs.append((company_id, who, actor, list(events)))
    for company_id, _who, actor, events in runs:
        _append(company_id, actor, events)


def _defer(pending: list[Pending], company_id: int, actor: Any, events: Iterable[PendingEvent]) -> list[EvidenceEvent]:
    frozen = [PendingEvent(ev.action, ev.subject, _json_safe(dict(ev.data)), ev.employee_id) for ev in events]
    marker = functools.partial(_noop)  # a distinct object per entry
    transaction.on_commit(marker)
    pending.append((company_id, (getattr(actor, "pk", None), getattr(actor, "username", "")), actor, frozen, marker))
    return [EvidenceEvent(company_id=company_id, action=ev.action, actor_id=getattr(actor, "pk", None),
                          subject_type=ev.subject.type if ev.subject else "",
                          subject_id=ev.subject.id if ev.subject else "", employee_id=ev.employee_id)
            for ev in frozen]


def record_many(company: Any, actor: Any, events: Iterable[PendingEvent]) -> list[EvidenceEvent]:
    """Append events in order, in the caller's transaction (required)."""
    if not connection.in_atomic_block:
        raise RuntimeError("evidence must be written inside the transaction of the change it records")
    company_id = company if isinstance(company, int) else company.pk
    pending = getattr(_local, "pending", None)
    if pending is not None:
        return _defer(pending, company_id, actor, events)
    return _append(company_id, actor, events)


def _append(company_id: int, actor: Any, events: Iterable[PendingEvent]) -> list[EvidenceEvent]:
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
