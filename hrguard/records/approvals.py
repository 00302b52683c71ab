"""Approvals of the record apps run on the process engine (``hrguard.workflows``), which sits above them.
The engine registers itself here at start-up (``workflows.hooks.records``), so leave and expenses start
and decide their approvals without importing it — the arrow still points down.

* ``start(actor=, company=, template_key=, subject=, subject_employee=, title=)`` — in the record's
  transaction: the record and its process exist together or not at all;
* ``decide(actor=, subject=, approve=, note=)`` — acts on the open step of the record's process that
  is the actor's (PermissionDenied when none is; ValidationError when the process is over);
* ``cancel(actor=, subject=, reason=)``; ``pending_ids(user=, subject_type=, limit=)`` — the records
  whose open step is the user's, due first; ``status(subject_type=, ids=)`` — per record, where its
  process stands (``Progress``), in one or two queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Progress:
    """Where a record's process stands: its state, who decided last (and when, with what note), and
    who it waits for now (names or a role)."""

    state: str  # running | completed | rejected | cancelled
    decided_by: str = ""
    decided_at: dt.datetime | None = None
    note: str = ""
    waiting_for: list[str] = field(default_factory=list)
    step_names: list[str] = field(default_factory=list)  # the open steps' names
    instance_id: int | None = None


class Engine(Protocol):
    def start(self, *, actor: Any, company: Any, template_key: str, subject: Any, subject_employee: Any,
              title: str) -> Any: ...

    def decide(self, *, actor: Any, subject: Any, approve: bool, note: str) -> None: ...

    def cancel(self, *, actor: Any, subject: Any, reason: str) -> None: ...

    def pending_ids(self, *, user: Any, subject_type: str, limit: int) -> list[int]: ...

    def status(self, *, subject_type: str, company_id: int, ids: list[int]) -> dict[int, Progress]: ...


_ENGINE: list[Engine] = []


def register(engine: Engine) -> None:
    _ENGINE[:] = [engine]


def engine() -> Engine:
    if not _ENGINE:
        raise RuntimeError("no process engine registered (hrguard.workflows must be installed)")
    return _ENGINE[0]


def start(*, actor: Any, company: Any, template_key: str, subject: Any, subject_employee: Any, title: str) -> Any:
    return engine().start(actor=actor, company=company, template_key=template_key, subject=subject,
                          subject_employee=subject_employee, title=title)


def decide(*, actor: Any, subject: Any, approve: bool, note: str) -> None:
    engine().decide(actor=actor, subject=subject, approve=approve, note=note)


def cancel(*, actor: Any, subject: Any, reason: str) -> None:
    engine().cancel(actor=actor, subject=subject, reason=reason)


def pending_ids(*, user: Any, subject_type: str, limit: int = 200) -> list[int]:
    return engine().pending_ids(user=user, subject_type=subject_type, limit=limit)


def status(*, subject_type: str, company_id: int, ids: list[int]) -> dict[int, Progress]:
    return engine().status(subject_type=subject_type, company_id=company_id, ids=ids) if ids else {}
