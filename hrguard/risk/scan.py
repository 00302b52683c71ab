"""The scan: materialise the signals (set-based), evaluate every active rule over every current employee,
raise alerts with their explanation (no repeat while one is open); and the same evaluation over
history for the back-test and the share warning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from hrguard.evidence import services as evidence
from hrguard.people.models import Employee, EmployeeStatus

from . import registry
from .expressions import Parsed, compiled, display, parsed_ok, render
from .materialise import HISTORY_MONTHS, materialise
from .models import OPEN_STATES, Alert, Rule, RuleVersion
from .terms import compute, default
from .windows import add_months, month_end, month_of, month_starts

BATCH = 5000
MAX_IN = 20000  # ids bound in one IN (…) (SQLite allows 32,766 parameters per statement)


def _current(company_id: int) -> dict[int, int | None]:
    """Employees a rule is evaluated for (not left, started): ``{id: department_id}``."""
    return dict(Employee.objects.filter(company_id=company_id).exclude(
        status__in=(EmployeeStatus.LEFT, EmployeeStatus.PENDING)).values_list("pk", "department_id").order_by())


def _names(company_id: int, ids: list[int]) -> dict[int, str]:
    """Names for the explanations, one query (the whole company's when the list would be too long for
    one statement's parameters)."""
    rows = Employee.objects.filter(company_id=company_id)
    if len(ids) <= MAX_IN:
        rows = rows.filter(pk__in=ids)
    return dict(rows.values_list("pk", "name").order_by())


@dataclass
class Hit:
    employee_id: int
    values: dict[str, Any]


def evaluate(company_id: int, parsed: Parsed, purposes: Iterable[str], as_of: dt.date,
             people: dict[int, int | None]) -> list[Hit]:
    """The employees for whom the rule holds on ``as_of``. The terms are computed for the whole company
    (one query each); the compiled program runs once per distinct combination of term values, and only
    the employees with a value in some personal term are looked at: everyone else has the defaults
    (and their department's figure for ``dept_baseline``), decided once per department."""
    program = compiled(parsed.rewritten)
    values = compute(company_id, parsed.terms, as_of, purposes=purposes, dept_of=people)
    names = list(parsed.terms)
    defaults = [default(parsed.terms[v]) for v in names]
    maps = [values[v] for v in names]
    memo: dict[tuple[Any, ...], bool] = {}

    def fires(key: tuple[Any, ...]) -> bool:
        fired = memo.get(key)
        if fired is None:
            try:
                fired = program.execute(dict(zip(names, key, strict=True))) is True
            except (ValueError, RuntimeError, TypeError):
                fired = False
            memo[key] = fired
        return fired

    personal = [m for v, m in zip(names, maps, strict=True) if parsed.terms[v].fn != "dept_baseline"]
    candidates = set().union(*personal) & people.keys() if personal else set()
    hits = []
    for emp in sorted(candidates):
        key = tuple(m.get(emp, d) for m, d in zip(maps, defaults, strict=True))
        if fires(key):
            hits.append(Hit(emp, dict(zip(names, key, strict=True))))
    dept_terms = [i for i, v in enumerate(names) if parsed.terms[v].fn == "dept_baseline"]
    rest_by_dept: dict[int | None, tuple[Any, ...]] = {}
    for dept in set(people.values()):
        key = list(defaults)
        for i in dept_terms:
            key[i] = maps[i].of(dept)
        if fires(tuple(key)):
            rest_by_dept[dept] = tuple(key)
    if rest_by_dept:  # the rule holds for people without any value of their own (e.g. "x < 1")
        for emp, dept in people.items():
            if dept in rest_by_dept and emp not in candidates:
                hits.append(Hit(emp, dict(zip(names, rest_by_dept[dept], strict=True))))
        hits.sort(key=lambda h: h.employee_id)
    return hits


def facts_of(version: RuleVersion, parsed: Parsed) -> Any:
    """``values -> facts`` of one rule version: the terms' labels are looked up (and translated) once."""
    heads = []
    for var, term in parsed.terms.items():
        spec = registry.signal(term.signal)
        heads.append((var, term.source, str(spec.label) if spec else term.signal))
    expression, key, number = version.expression, version.rule.key, version.number

    def facts(values: dict[str, Any]) -> dict[str, Any]:
        terms = [{"term": source, "label": label, "value": values.get(var), "shown": display(values.get(var, 0))}
                 for var, source, label in heads]
        return {"expression": expression, "rule": key, "version": number, "terms": terms}

    return facts


@dataclass
class ScanResult:
    as_of: dt.date
    employees: int = 0
    signal_rows: int = 0
    raised: list[Alert] = field(default_factory=list)
    fired: dict[str, int] = field(default_factory=dict)  # rule key -> employees it holds for
    skipped_open: int = 0


def latest_versions(company_id: int, *, active_only: bool = True) -> list[RuleVersion]:
    rules = Rule.objects.filter(company_id=company_id)
    if active_only:
        rules = rules.filter(active=True)
    found = []
    for rule in rules.prefetch_related("versions").order_by("key"):
        versions = sorted(rule.versions.all(), key=lambda v: v.number)
        if versions:
            found.append(versions[-1])
    return found


def run(company: Any, *, as_of: dt.date | None = None, dry_run: bool = False,
        months: int = HISTORY_MONTHS) -> ScanResult:
    """One company's scan. ``dry_run``: compute and count, raise nothing."""
    as_of = as_of or timezone.localdate()
    result = ScanResult(as_of=as_of)
    result.signal_rows = materialise(company.pk, as_of, months=months)
    people = _current(company.pk)
    result.employees = len(people)
    for version in latest_versions(company.pk):
        parsed = parsed_ok(version.expression)
        hits = evaluate(company.pk, parsed, version.purposes, as_of, people)
        result.fired[version.rule.key] = len(hits)
        if dry_run or not hits:
            continue
        with transaction.atomic():
            open_for = set(Alert.objects.filter(rule_id=version.rule_id, status__in=OPEN_STATES)
                           .values_list("employee_id", flat=True))
            names = _names(company.pk, [h.employee_id for h in hits if h.employee_id not in open_for])
            facts = facts_of(version, parsed)
            new = [Alert(company_id=company.pk, employee_id=h.employee_id, rule_id=version.rule_id, version=version,
                         as_of=as_of, severity=version.severity,
                         explanation=render(version.explanation, parsed, h.values, names.get(h.employee_id, "")),
                         facts=facts(h.values))
                   for h in hits if h.employee_id not in open_for]
            result.skipped_open += len(hits) - len(new)
            created = Alert.objects.bulk_create(new, batch_size=BATCH)
            if not created or created[0].pk is None:  # backends without RETURNING ids
                created = list(Alert.objects.filter(rule_id=version.rule_id, as_of=as_of,
                                                    employee_id__in=[a.employee_id for a in new]))
            evidence.record_many(company, None, [
                evidence.PendingEvent("risk.alert_raised", evidence.Subject.of(a), {
                    "rule": version.rule.key, "version": version.number, "as_of": as_of, "facts": a.facts},
                    a.employee_id) for a in created])
            result.raised += created
    return result


@dataclass
class Backtest:
    first: dt.date
    last: dt.date
    fired: int = 0  # firings (consecutive months of one person count once, as an open alert would)
    people: int = 0
    outcome_people: int = 0  # of them, later left or had a case
    employees: int = 0
    by_month: list[tuple[dt.date, int]] = field(default_factory=list)


def backtest(company_id: int, expression: str, purposes: Iterable[str], *, today: dt.date | None = None,
             months: int = 3) -> Backtest:
    """Would the rule have fired over the last ``months`` full months (each evaluated at its last day)?"""
    today = today or timezone.localdate()
    last_month = add_months(month_of(today), -1)
    first_month = add_months(last_month, -(months - 1))
    materialise(company_id, month_end(last_month), months=HISTORY_MONTHS, redo=0)
    parsed = parsed_ok(expression)
    people = dict(Employee.objects.filter(company_id=company_id, hire_date__lte=month_end(last_month)).exclude(
        termination_date__lt=first_month).values_list("pk", "department_id").order_by())
    result = Backtest(first=first_month, last=month_end(last_month), employees=len(people))
    previous: set[int] = set()
    everyone: set[int] = set()
    for month in month_starts(first_month, add_months(last_month, 1)):
        hits = {h.employee_id for h in evaluate(company_id, parsed, purposes, month_end(month), people)}
        result.by_month.append((month, len(hits)))
        result.fired += len(hits - previous)
        everyone |= hits
        previous = hits
    result.people = len(everyone)
    later: set[int] = set()
    for fn in registry.outcomes().values():
        later |= fn(company_id, everyone, first_month)
    result.outcome_people = len(later & everyone)
    return result


def share(company_id: int, expression: str, purposes: Iterable[str], *,
          today: dt.date | None = None) -> tuple[int, int]:
    """(employees it holds for now, current employees) — the share warning before saving."""
    today = today or timezone.localdate()
    materialise(company_id, today, redo=1)
    people = _current(company_id)
    return len(evaluate(company_id, parsed_ok(expression), purposes, today, people)), len(people)
