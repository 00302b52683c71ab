"""Step-level access to a record's process on the engine (``hrguard.workflows``, above the record apps),
for the record apps whose flows have several steps of their own (discipline: investigate → decide →
acknowledge; the dismissal review). The engine registers its implementation at start-up
(``workflows.hooks.discipline``), so those apps drive their steps without importing it.

* ``start(actor=, company=, template_key=, subject=, subject_employee=, title=)`` — in the record's
  transaction. The record app has checked the actor's permission on the record (``actor`` is recorded
  as the starter);
* ``act(actor=, subject=, step_key=, action=, note=, data=)`` — complete / approve / reject the open step
  ``step_key`` of the record's running process (ValidationError when that step is not open). The record
  app has checked the actor's permission on the record; a party to the process never acts on it except
  on a step the template gives to the subject themself;
* ``steps(subject=)`` — the record's latest process and its steps (``Flow``), one or two queries;
  ``flows(subject_type=, company_id=, ids=)`` — the same for many records, in two queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol


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
              title: str) -> Any: ...

    def act(self, *, actor: Any, subject: Any, step_key: str, action: str, note: str,
            data: dict[str, Any]) -> None: ...

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
                          subject_employee=subject_employee, title=title)


def act(*, actor: Any, subject: Any, step_key: str, action: str, note: str = "",
        data: dict[str, Any] | None = None) -> None:
    engine().act(actor=actor, subject=subject, step_key=step_key, action=action, note=note, data=dict(data or {}))


def flows(*, subject_type: str, company_id: int, ids: list[int]) -> dict[int, Flow]:
    return engine().flows(subject_type=subject_type, company_id=company_id, ids=ids) if ids else {}


def steps(*, subject: Any) -> Flow:
    return flows(subject_type=subject_type(subject), company_id=subject.company_id, ids=[subject.pk]).get(
        subject.pk, Flow())
