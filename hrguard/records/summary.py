"""The records section of an employee's profile page, limited to what the viewer may see.

The record apps sit above this kernel, so they register their part (``register(part)`` in their
``AppConfig.ready``): a part fills in the fields of ``EmployeeActivitySummary`` it owns when the viewer may
see them. The exit-clearance money check is ``hrguard.expenses.selectors.outstanding_for``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hrguard.core.models import User
from hrguard.people.models import Employee

__all__ = ["EmployeeActivitySummary", "register", "summary_for_employee"]


@dataclass
class EmployeeActivitySummary:
    employee: Employee
    can_leave: bool = False
    balances: list[Any] = field(default_factory=list)
    pending_leave: int = 0
    can_violations: bool = False
    violations: int = 0
    violations_awaiting_ack: int = 0
    can_complaints: bool = False
    open_complaints: list[Any] = field(default_factory=list)
    can_expenses: bool = False
    outstanding: Decimal = Decimal(0)


SummaryPart = Callable[[User, Employee, EmployeeActivitySummary], None]
_PARTS: list[SummaryPart] = []


def register(part: SummaryPart) -> None:
    if part not in _PARTS:
        _PARTS.append(part)


def summary_for_employee(user: User, employee: Employee) -> EmployeeActivitySummary:
    """What the employee page shows about records — only the parts ``user`` may see: leave balances and
    pending requests, the number of decided violations, open client complaints, money still owed
    (advances and loans). A fixed number of queries."""
    summary = EmployeeActivitySummary(employee=employee)
    for part in _PARTS:
        part(user, employee, summary)
    return summary
