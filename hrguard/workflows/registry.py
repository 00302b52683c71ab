"""Facts and actions apps contribute to the engine (the arrow points down: apps above the engine
register in their ``process_hooks.py``; the record apps below it have theirs in ``workflows/hooks``).

* ``@fact(name, *, label, kinds=())`` registers ``fn(ctx: InstanceContext) -> FactValue``. A fact is a
  value a CEL gate can name (``advances_outstanding == 0``); its ``reasons`` say in words which records
  make it what it is, each with a link, and are shown when a gate that names the fact blocks.
  ``kinds``: the subject types (``"leave.leaverequest"``) or template keys it applies to; empty = all.
* ``@action(name)`` registers ``fn(*, instance, step, actor) -> None``, run inside the transaction of
  the transition when a template names it on ``on_complete`` / ``on_approved`` / ``on_rejected`` /
  ``on_cancelled`` (of a step or of the whole process; ``step`` is None for process events)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

FACT_NAME = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
ACTION_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


@dataclass(frozen=True)
class Reason:
    text: str
    url: str = ""


@dataclass(frozen=True)
class FactValue:
    value: Any
    reasons: Sequence[Reason] = ()


@dataclass
class InstanceContext:
    """What a fact sees: the company, the process, its subject (type "leave.leaverequest" and primary
    key), the subject employee (or None), the instance and its context."""

    company_id: int
    template_key: str
    subject_type: str
    subject_id: str
    subject_employee: Any = None
    instance: Any = None
    context: dict[str, Any] = field(default_factory=dict)


FactFn = Callable[[InstanceContext], FactValue]
ActionFn = Callable[..., None]


@dataclass(frozen=True)
class FactSpec:
    name: str
    label: str
    kinds: tuple[str, ...]
    fn: FactFn

    def applies_to(self, template_key: str, subject_type: str = "") -> bool:
        return not self.kinds or template_key in self.kinds or (bool(subject_type) and subject_type in self.kinds)


_FACTS: dict[str, FactSpec] = {}
_ACTIONS: dict[str, ActionFn] = {}


def fact(name: str, *, label: str, kinds: Sequence[str] = ()) -> Callable[[FactFn], FactFn]:
    if not FACT_NAME.match(name):
        raise ValueError(f"fact name {name!r}: lower case letters, digits and _ (a CEL identifier)")

    def register(fn: FactFn) -> FactFn:
        _FACTS[name] = FactSpec(name, label, tuple(kinds), fn)
        return fn

    return register


def action(name: str) -> Callable[[ActionFn], ActionFn]:
    if not ACTION_NAME.match(name):
        raise ValueError(f"action name {name!r}: dotted lower-case words, e.g. 'leave.apply_outcome'")

    def register(fn: ActionFn) -> ActionFn:
        _ACTIONS[name] = fn
        return fn

    return register


def facts() -> dict[str, FactSpec]:
    return dict(_FACTS)


def get_fact(name: str) -> FactSpec | None:
    return _FACTS.get(name)


def actions() -> dict[str, ActionFn]:
    return dict(_ACTIONS)


def get_action(name: str) -> ActionFn | None:
    return _ACTIONS.get(name)
