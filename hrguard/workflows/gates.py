"""Gates: CEL expressions over registered facts, evaluated server-side at the moment of a transition.

``check(expr, template_key) -> [problem]`` (when a template is saved): the expression compiles and names
only facts registered for the template. ``evaluate(expr, ctx) -> GateResult``: computes the facts it
names (each once), runs it; a gate that does not hold carries the facts' reasons in words with links."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import cel
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import registry
from .registry import InstanceContext, Reason


@dataclass
class GateResult:
    passed: bool
    reasons: list[Reason] = field(default_factory=list)

    def message(self) -> str:
        return "；".join(r.text for r in self.reasons)


@lru_cache(maxsize=512)
def _compiled(expr: str) -> Any:
    return cel.compile(expr)


def check(expr: str, template_key: str = "") -> list[str]:
    try:
        program = _compiled(expr)
    except (ValueError, RuntimeError) as exc:
        return [_("The gate “%(expr)s” does not compile: %(error)s") % {"expr": expr, "error": str(exc)[:300]}]
    problems = []
    for name in program.variables():
        spec = registry.get_fact(name)
        if spec is None:
            problems.append(_("The gate names an unknown fact “%(name)s”.") % {"name": name})
        elif template_key and not spec.applies_to(template_key):
            problems.append(_("The fact “%(name)s” does not apply to this process.") % {"name": name})
    return problems


def evaluate(expr: str, ctx: InstanceContext) -> GateResult:
    """Run the gate now. A fact that vanished since the template was saved, or an expression that fails
    at run time, blocks (with the reason) rather than letting the transition through."""
    try:
        program = _compiled(expr)
    except (ValueError, RuntimeError) as exc:
        return GateResult(False, [Reason(_("The gate does not compile: %(error)s") % {"error": str(exc)[:300]})])
    values: dict[str, Any] = {}
    reasons: list[Reason] = []
    for name in program.variables():
        spec = registry.get_fact(name)
        if spec is None:
            return GateResult(False, [Reason(_("The gate names an unknown fact “%(name)s”.") % {"name": name})])
        fv = spec.fn(ctx)
        values[name] = fv.value
        reasons.extend(fv.reasons)
    try:
        passed = program.execute(values)
    except (ValueError, RuntimeError, TypeError) as exc:
        return GateResult(False, [Reason(_("The gate could not be evaluated: %(error)s") % {"error": str(exc)[:300]})])
    if passed is True:
        return GateResult(True)
    if not reasons:
        reasons = [Reason(_("The condition “%(expr)s” does not hold.") % {"expr": expr})]
    return GateResult(False, reasons)


class GateBlocked(ValidationError):
    """A transition refused by a gate; ``reasons`` keep the links for the API."""

    def __init__(self, result: GateResult) -> None:
        self.reasons = list(result.reasons)
        super().__init__(_("Blocked: %(reasons)s") % {"reasons": result.message()}, code="gate_blocked")


def require(expr: str | None, ctx: InstanceContext) -> None:
    if not expr:
        return
    result = evaluate(expr, ctx)
    if not result.passed:
        raise GateBlocked(result)
