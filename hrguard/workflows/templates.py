"""Template definitions: the JSON schema, its validation and its flattening into steps.

A definition::

    {"stages": [STEP | {"name": "…", "parallel": [STEP, …]}, …],
     "gate": "CEL over facts",            # optional: checked before the process completes
     "on_approved": ["leave.apply_outcome"], "on_rejected": […], "on_cancelled": […], "on_complete": […]}

    STEP = {"key": "manager", "name": "直属上级审批", "kind": "approval" | "task" | "signature" | "wait",
            "assignee": {"rule": "role", "role": "finance"} | {"rule": "manager"} | {"rule": "department_head"}
                        | {"rule": "hrbp"} | {"rule": "user", "user": "<username>"} | {"rule": "subject"},
                        (+ "fallback_role": "admin" — who takes it when the rule finds no one; default HR)
            "due": {"days": 2, "unit": "working" | "calendar"},
            "until": "<context key holding a date>",          # wait steps: wait until that date
            "escalation": [{"after_days": 0, "action": "remind"},
                           {"after_days": 1, "action": "notify_superior"},
                           {"after_days": 3, "action": "reassign", "role": "hr"}],
            "gate": "CEL", "restricted": false, "after": ["<step key>", …],
            "on_complete": […], "on_approved": […], "on_rejected": […]}

Stages run in order; the steps of a parallel group open together. ``after`` replaces the default
dependency (every step of the previous stage) — which is how a cycle could be written, and is refused.
``validate(definition, company) -> (errors, warnings)``: errors refuse the save; warnings are shown."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.attendance.calendar import calendar_warning, ensure_calendar
from hrguard.core.models import Department, User
from hrguard.core.roles import Role
from hrguard.people.models import Employee, EmployeeStatus

from . import gates, registry
from .models import StepKind

KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
RULES = ("role", "manager", "department_head", "hrbp", "user", "subject")
ESCALATIONS = ("remind", "notify_superior", "reassign")
EVENTS = ("on_complete", "on_approved", "on_rejected", "on_cancelled")
MAX_STEPS = 50
MAX_DAYS = 365


@dataclass
class StepDef:
    key: str
    name: str
    kind: str
    group: int
    order: int
    after: list[str]
    raw: dict[str, Any] = field(default_factory=dict)


def flatten(definition: dict[str, Any]) -> list[StepDef]:
    """The steps of a (valid) definition in order, each with the keys it waits for."""
    out: list[StepDef] = []
    previous: list[str] = []
    for group, stage in enumerate(definition.get("stages") or []):
        members = stage.get("parallel") if isinstance(stage, dict) and "parallel" in stage else [stage]
        keys = []
        for order, raw in enumerate(members or []):
            if not isinstance(raw, dict):
                continue
            after = raw.get("after")
            deps = list(after) if isinstance(after, list) else list(previous)
            out.append(StepDef(str(raw.get("key", "")), str(raw.get("name", "")), str(raw.get("kind", "")),
                               group, order, deps, raw))
            keys.append(str(raw.get("key", "")))
        previous = keys
    return out


def _cycle(steps: list[StepDef]) -> list[str]:
    """The keys of a dependency cycle, or [] when there is none (depth-first search)."""
    deps = {s.key: [d for d in s.after if isinstance(d, str)] for s in steps}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(key: str) -> list[str]:
        state[key] = 1
        path.append(key)
        for dep in deps.get(key, []):
            if state.get(dep) == 1:
                return [*path[path.index(dep):], dep]
            if dep in deps and not state.get(dep):
                found = visit(dep)
                if found:
                    return found
        path.pop()
        state[key] = 2
        return []

    for key in deps:
        if not state.get(key):
            found = visit(key)
            if found:
                return found
    return []


class _Check:
    def __init__(self, company: Any) -> None:
        self.company = company
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def err(self, where: str, text: str) -> None:
        self.errors.append(f"{where}: {text}" if where else text)

    def warn(self, where: str, text: str) -> None:
        self.warnings.append(f"{where}: {text}" if where else text)


def _names(value: Any) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _check_events(c: _Check, where: str, raw: dict[str, Any]) -> None:
    for event in EVENTS:
        names = _names(raw.get(event))
        if names is None:
            c.err(where, _("%(event)s must be a list of action names.") % {"event": event})
            continue
        for name in names:
            if registry.get_action(name) is None:
                c.err(where, _("Unknown action “%(name)s” in %(event)s.") % {"name": name, "event": event})


def _check_gate(c: _Check, where: str, expr: Any, template_key: str) -> None:
    if expr in (None, ""):
        return
    if not isinstance(expr, str) or len(expr) > 2000:
        c.err(where, _("A gate is a CEL expression of at most 2,000 characters."))
        return
    for problem in gates.check(expr, template_key):
        c.err(where, problem)


def _check_assignee(c: _Check, where: str, kind: str, assignee: Any, usernames: set[str]) -> None:
    if kind == StepKind.WAIT:
        return
    if not isinstance(assignee, dict) or assignee.get("rule") not in RULES:
        c.err(where, _("Choose who acts on this step (a role, the manager, the department head, the HR "
                       "partner, a named person or the subject); otherwise no one can act on it."))
        return
    rule = assignee["rule"]
    if assignee.get("fallback_role") not in (None, "") and assignee["fallback_role"] not in Role.values:
        c.err(where, _("Unknown role “%(role)s”.") % {"role": assignee.get("fallback_role")})
    if rule == "role" and assignee.get("role") not in Role.values:
        c.err(where, _("Unknown role “%(role)s”.") % {"role": assignee.get("role")})
    if rule == "user":
        if not isinstance(assignee.get("user"), str) or assignee["user"] not in usernames:
            c.err(where, _("No active user “%(user)s” in this company: no one could act on this step.")
                  % {"user": assignee.get("user")})


def _check_due(c: _Check, where: str, raw: dict[str, Any]) -> None:
    due = raw.get("due")
    if due is not None:
        if not isinstance(due, dict) or due.get("unit", "calendar") not in ("working", "calendar") or not (
            isinstance(due.get("days"), int) and 0 <= due["days"] <= MAX_DAYS
        ):
            c.err(where, _("The due offset is a number of days from 0 to 365, in working or calendar days."))
    if raw.get("kind") == StepKind.WAIT and due is None and not isinstance(raw.get("until"), str):
        c.err(where, _("A wait step needs a date to wait for (“until”) or a number of days (“due”)."))
    ladder = raw.get("escalation")
    if ladder is None:
        return
    if not isinstance(ladder, list) or len(ladder) > 5:
        c.err(where, _("The escalation is a list of at most 5 levels."))
        return
    for level in ladder:
        if not isinstance(level, dict) or level.get("action") not in ESCALATIONS or not (
            isinstance(level.get("after_days", 0), int) and 0 <= level.get("after_days", 0) <= MAX_DAYS
        ):
            c.err(where, _("Each escalation level is remind, notify_superior or reassign, after 0–365 days."))
        elif level["action"] == "reassign" and level.get("role") not in Role.values and not level.get("user"):
            c.err(where, _("A reassignment names the role (or the person) who takes the step over."))


def _check_step(c: _Check, step: StepDef, seen: set[str], usernames: set[str], template_key: str) -> None:
    where = _("Step “%(name)s”") % {"name": step.name or step.key}
    raw = step.raw
    if not KEY.match(step.key):
        c.err(where, _("The key is lower-case letters, digits and _ (up to 60)."))
    elif step.key in seen:
        c.err(where, _("Two steps have the key “%(key)s”.") % {"key": step.key})
    seen.add(step.key)
    if not step.name.strip() or len(step.name) > 100:
        c.err(where, _("Give the step a name (at most 100 characters)."))
    if step.kind not in StepKind.values:
        c.err(where, _("Unknown kind “%(kind)s”.") % {"kind": step.kind})
    _check_assignee(c, where, step.kind, raw.get("assignee"), usernames)
    _check_due(c, where, raw)
    _check_gate(c, where, raw.get("gate"), template_key)
    _check_events(c, where, raw)
    if raw.get("after") is not None and _names(raw.get("after")) is None:
        c.err(where, _("“after” is a list of step keys."))


def _without_line_manager(company_id: int, active: Any) -> int:
    """Employees with neither a direct manager nor a department head above them (other than
    themselves): two queries, the department tree walked in memory."""
    tree = {d: (p, m) for d, p, m in Department.objects.filter(company_id=company_id)
            .values_list("id", "parent_id", "manager_id")}

    def heads(dept: int | None) -> list[int]:
        found, hops = [], 0
        while dept is not None and dept in tree and hops < 20:
            parent, manager = tree[dept]
            if manager:
                found.append(manager)
            dept, hops = parent, hops + 1
        return found

    chains = {d: heads(d) for d in tree}
    lonely = 0
    for pk, dept in active.filter(manager__isnull=True).values_list("id", "department_id"):
        if not [h for h in chains.get(dept, []) if h != pk]:
            lonely += 1
    return lonely


def _coverage_warnings(c: _Check, steps: list[StepDef]) -> None:
    """Assignee rules that resolve to nobody for some employees (the step then goes to HR)."""
    rules = {s.raw.get("assignee", {}).get("rule") for s in steps if isinstance(s.raw.get("assignee"), dict)}
    company_id = c.company.pk
    active = Employee.objects.filter(company_id=company_id).exclude(status=EmployeeStatus.LEFT)
    if "manager" in rules:
        lonely = _without_line_manager(company_id, active)
        if lonely:
            c.warn("", _("%(n)d employees have no line manager: their manager steps go to HR.") % {"n": lonely})
    if "department_head" in rules:
        n = Department.objects.filter(company_id=company_id, manager__isnull=True).count()
        if n:
            c.warn("", _("%(n)d departments have no head: steps for their employees go to HR.") % {"n": n})
    if "hrbp" in rules:
        n = Department.objects.filter(company_id=company_id, hrbp__isnull=True).count()
        if n:
            c.warn("", _("%(n)d departments have no HR partner: steps for their employees go to HR.") % {"n": n})
    roles = {s.raw["assignee"].get("role") for s in steps
             if isinstance(s.raw.get("assignee"), dict) and s.raw["assignee"].get("rule") == "role"}
    staffed = set(User.objects.filter(company_id=company_id, is_active=True, role__in=roles)
                  .values_list("role", flat=True).distinct())
    for role in sorted(r for r in roles if r in Role.values and r not in staffed):
        c.warn("", _("No one has the role “%(role)s” yet: its steps wait until someone does.")
               % {"role": Role(role).label})


def validate(definition: Any, company: Any, template_key: str = "") -> tuple[list[str], list[str]]:
    """(errors, warnings) of a definition for this company, in words."""
    c = _Check(company)
    if not isinstance(definition, dict) or not isinstance(definition.get("stages"), list):
        return [_("A definition is an object with a list of stages.")], []
    stages = definition["stages"]
    if not stages:
        c.err("", _("A process needs at least one step."))
    for n, stage in enumerate(stages, start=1):
        if not isinstance(stage, dict):
            c.err("", _("Stage %(n)d is not a step.") % {"n": n})
        elif "parallel" in stage and (not isinstance(stage["parallel"], list) or not stage["parallel"]):
            c.err("", _("Parallel group %(n)d is empty.") % {"n": n})
    steps = flatten(definition)
    if len(steps) > MAX_STEPS:
        c.err("", _("At most %(n)d steps.") % {"n": MAX_STEPS})
    usernames = set(User.objects.filter(company_id=company.pk, is_active=True).values_list("username", flat=True))
    seen: set[str] = set()
    for step in steps:
        _check_step(c, step, seen, usernames, template_key)
    for step in steps:
        for dep in step.after:
            if dep not in seen:
                c.err(_("Step “%(name)s”") % {"name": step.name or step.key},
                      _("It waits for an unknown step “%(key)s”.") % {"key": dep})
    loop = _cycle(steps)
    if loop:
        c.err("", _("The steps wait for each other in a cycle: %(path)s.") % {"path": " → ".join(loop)})
    _check_gate(c, _("Process"), definition.get("gate"), template_key)
    _check_events(c, _("Process"), definition)
    if any((s.raw.get("due") or {}).get("unit") == "working" for s in steps):
        today = timezone.localdate()
        ensure_calendar(company.pk, today, today + dt.timedelta(days=60))
        text = calendar_warning(company.pk, today, today + dt.timedelta(days=60))
        if text:
            c.warn("", text)
    if not c.errors:
        _coverage_warnings(c, steps)
    return c.errors, c.warnings
