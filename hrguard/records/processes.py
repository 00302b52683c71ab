"""The one port through which the record apps (leave, expenses, discipline…) run their flows on the
process engine (``hrguard.workflows``), which sits above them. The engine registers its implementation
at start-up (``workflows.hooks.records``), so the record apps start, decide and read their processes
without importing it — the arrow still points down.

Starting, in the record's transaction (the record and its process exist together or not at all):
* ``start(actor=, company=, template_key=, subject=, subject_employee=, title=)`` — the engine checks that
  the actor may start processes (requests, claims);
* ``start_checked(...)`` — the same, when the record app has checked the actor's permission on the record
  itself (e.g. a compliance officer recording a violation).

Acting:
* ``decide(actor=, subject=, approve=, note=)`` — the open step of the record's process that is the
  actor's (PermissionDenied when none is; ValidationError when the process is over): single decisions;
* ``act(actor=, subject=, step_key=, action=, note=, data=)`` — complete / approve / reject the open step
  ``step_key`` (ValidationError when it is not open); a party never acts except on the subject's own step;
* ``cancel(actor=, subject=, reason=)``.

Reading (one or two queries whatever the number of records):
* ``pending_ids(user=, subject_type=, limit=)`` — records whose open step is the user's, due first;
* ``status(subject_type=, company_id=, ids=)`` — per record, where its process stands (``Progress``);
* ``flows(subject_type=, company_id=, ids=)`` / ``steps(subject=)`` — per record, its latest process and
  all its steps (``Flow``)."""

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


@dataclass(frozen=True)
class StepInfo:
    id: int
    key: str
    name: str
    state: str  # waiting | open | paused | done | rejected | skipped | cancelled
    assignee: str = ""  # a name or a role label
    due_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    acted_by: str = ""
    note: str = ""


@dataclass(frozen=True)
class Flow:
    instance_id: int | None = None
    state: str = ""  # running | completed | rejected | cancelled; "" when the record has no process
    steps: list[StepInfo] = field(default_factory=list)

    def step(self, key: str) -> StepInfo | None:
        return next((s for s in self.steps if s.key == key), None)

    def is_open(self, key: str) -> bool:
        found = self.step(key)
        return found is not None and found.state in ("open", "paused")

    @property
    def open_steps(self) -> list[StepInfo]:
        return [s for s in self.steps if s.state in ("open", "paused")]


class Engine(Protocol):
    def start(self, *, actor: Any, company: Any, template_key: str, subject: Any, subject_employee: Any,
              title: str, checked: bool) -> Any: ...

    def decide(self, *, actor: Any, subject: Any, approve: bool, note: str) -> None: ...

    def act(self, *, actor: Any, subject: Any, step_key: str, action: str, note: str,
            data: dict[str, Any]) -> None: ...

    def cancel(self, *, actor: Any, subject: Any, reason: str) -> None: ...

    def pending_ids(self, *, user: Any, subject_type: str, limit: int) -> list[int]: ...

    def status(self, *, subject_type: str, company_id: int, ids: list[int]) -> dict[int, Progress]: ...

    def flows(self, *, subject_type: str, company_id: int, ids: list[int]) -> dict[int, Flow]: ...


_ENGINE: list[Engine] = []


def register(engine: Engine) -> None:
    _ENGINE[:] = [engine]


def engine() -> Engine:
    if not _ENGINE:
        raise RuntimeError("no process engine registered (hrguard.workflows must be installed)")
    return _ENGINE[0]


def subject_type(model_or_obj: Any) -> str:
    return f"{model_or_obj._meta.app_label}.{model_or_obj._meta.model_name}"


def start(*, actor: Any, company: Any, template_key: str, subject: Any, subject_employee: Any = None,
          title: str = "") -> Any:
    return engine().start(actor=actor, company=company, template_key=template_key, subject=subject,
                          subject_employee=subject_employee, title=title, checked=False)


def start_checked(*, actor: Any, company: Any, template_key: str, subject: Any, subject_employee: Any = None,
                  title: str = "") -> Any:
    return engine().start(actor=actor, company=company, template_key=template_key, subject=subject,
                          subject_employee=subject_employee, title=title, checked=True)


def decide(*, actor: Any, subject: Any, approve: bool, note: str) -> None:
    engine().decide(actor=actor, subject=subject, approve=approve, note=note)


def act(*, actor: Any, subject: Any, step_key: str, action: str, note: str = "",
        data: dict[str, Any] | None = None) -> None:
    engine().act(actor=actor, subject=subject, step_key=step_key, action=action, note=note, data=dict(data or {}))


def cancel(*, actor: Any, subject: Any, reason: str) -> None:
    engine().cancel(actor=actor, subject=subject, reason=reason)


def pending_ids(*, user: Any, subject_type: str, limit: int = 200) -> list[int]:
    return engine().pending_ids(user=user, subject_type=subject_type, limit=limit)


def status(*, subject_type: str, company_id: int, ids: list[int]) -> dict[int, Progress]:
    return engine().status(subject_type=subject_type, company_id=company_id, ids=ids) if ids else {}


def flows(*, subject_type: str, company_id: int, ids: list[int]) -> dict[int, Flow]:
    return engine().flows(subject_type=subject_type, company_id=company_id, ids=ids) if ids else {}


def steps(*, subject: Any) -> Flow:
    return flows(subject_type=subject_type(subject), company_id=subject.company_id, ids=[subject.pk]).get(
        subject.pk, Flow())
