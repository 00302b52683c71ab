"""A year of history for the demo company (``hrguard demo``), relative to today and deterministic
(seeded RNG per section). Every record goes through its app's services — or, for punches, the
importer's bulk path — so permissions, validation, evidence events and notifications are the real ones
and ``hrguard verify`` passes.

Each section runs in one transaction and is skipped when its records exist, so re-running adds nothing
and an interrupted run resumes where it stopped. Sections, in order: 入转调离 (``movements``), logins
for a dozen employees, attendance, leave, trips and expenses, performance, discipline, documents (then
the due deadlines run, as the worker would), notifications, process instances (``processes``), and early
warning (``risk``: clients of a core salesperson, the default rules on, the scan over the history, a
key-person case in progress)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from hrguard.core.models import Company, Department
from hrguard.people.models import Employee, EmployeeStatus
from hrguard.people.synthetic import employee_logins

from . import (
    attendance,
    discipline,
    documents,
    expenses,
    leave,
    movements,
    notifications,
    performance,
    processes,
    risk,
)
from .base import Demo

LOGINS = 12  # employees (besides the demo manager and employee) who get an account: they self-serve


@dataclass
class Section:
    name: str
    done: Callable[[Demo], bool]
    seed: Callable[[Demo], int]


def _logins_done(demo: Demo) -> bool:
    return Employee.objects.filter(company=demo.company, user__isnull=False).count() > len(demo.managers) + 2


def _logins(demo: Demo) -> int:
    """Accounts for every department manager (approvals reach the nearest manager with an account) and
    for a dozen employees: first those the demo manager manages directly (their requests reach the demo
    manager), then other sales people (they travel and claim expenses), then anyone."""
    sales = demo.sales_path()
    boss = demo.user("manager")
    own = set(Department.objects.filter(company=demo.company, manager__user=boss).values_list("pk", flat=True))
    staff = list(
        Employee.objects.filter(company=demo.company, user__isnull=True).exclude(status=EmployeeStatus.LEFT)
        .select_related("department").order_by("pk")
    )
    managers = [e for e in staff if e.pk in demo.managers]
    others = [e for e in staff if e.pk not in demo.managers]
    others.sort(key=lambda e: (e.department_id not in own, not e.department_path.startswith(sales)))
    return len(employee_logins(demo.company, managers + others[:LOGINS]))


def _processes(demo: Demo) -> int:
    return processes.seed_process_instances(demo.company, demo.rng("processes"))


SECTIONS = [
    Section("movements", movements.done, movements.seed),
    Section("logins", _logins_done, _logins),
    Section("attendance", attendance.done, attendance.seed),
    Section("leave", leave.done, leave.seed),
    Section("expenses", expenses.done, expenses.seed),
    Section("performance", performance.done, performance.seed),
    Section("discipline", discipline.done, discipline.seed),
    Section("documents", documents.done, documents.seed),
    Section("deadlines", lambda demo: False, lambda demo: documents.run_deadlines()),
    Section("notifications", notifications.done, notifications.seed),
    Section("processes", lambda demo: False, _processes),  # the hook is idempotent itself
    Section("escalations", lambda demo: False, lambda demo: documents.run_deadlines()),
    Section("risk", risk.done, risk.seed),
]


def seed_history(
    company: Company, *, today: dt.date | None = None, seed: int = 2026, write: Callable[[str], None] | None = None,
) -> dict[str, tuple[int, float]]:
    """Seed what is missing; returns {section: (records, seconds)} for the sections that ran."""
    from django.utils import timezone

    demo = Demo.load(company, today or timezone.localdate(), seed)
    report: dict[str, tuple[int, float]] = {}
    for section in SECTIONS:
        if section.done(demo):
            continue
        started = time.perf_counter()
        if section.name == "attendance":  # the importer commits in short batches itself
            count = section.seed(demo)
        else:
            with transaction.atomic():
                count = section.seed(demo)
        report[section.name] = (count, time.perf_counter() - started)
        if write is not None and count:
            write(f"  {section.name:<14} {count:>7}  {report[section.name][1]:6.1f} s")
    return report
