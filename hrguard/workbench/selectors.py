"""The 工作台 of one user: what waits for them, what they started, and — for HR — the warnings and the charts.

``workbench_for(user, today=…)`` is the public read; every part is a fixed number of queries whatever the
company's size (each list capped), and tenant- and permission-scoped by the owning apps' selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hrguard.people.scope import scope_of

from . import alerts, charts, processes, todos
from .items import Item, due_first


@dataclass
class Workbench:
    todos: list[Item] = field(default_factory=list)
    started: list[Item] = field(default_factory=list)
    alerts: dict[str, list[Item]] = field(default_factory=dict)
    charts: dict[str, Any] | None = None
    headcount: list[dict[str, Any]] = field(default_factory=list)
    shows_alerts: bool = False
    alert_titles: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(int(row["count"]) for row in self.headcount)

    @property
    def alert_count(self) -> int:
        return sum(len(rows) for rows in self.alerts.values())


def sees_alerts(user: Any) -> bool:
    """HR (company-wide) and HR business partners (their departments) work from the warnings."""
    return bool(user.is_hr or scope_of(user).partnered_paths)


def workbench_for(user: Any, *, today: dt.date) -> Workbench:
    scope = scope_of(user)
    mine, known = processes.started(user)
    bench = Workbench(
        todos=due_first(processes.my_tasks(user) + todos.my_todos(user, employee_id=scope.employee_id, today=today)),
        started=due_first(mine + todos.started_by_me(user, employee_id=scope.employee_id, known=known)),
    )
    if sees_alerts(user):
        bench.shows_alerts = True
        bench.alerts = alerts.hr_alerts(user, today=today)
        bench.alert_titles = alerts.alert_titles()
        if user.is_hr:
            bench.alerts["overdue"] = processes.overdue(user)
    if user.reads_roster:
        bench.charts = charts.chart_data(user.company_id, today=today)
        bench.headcount = charts.status_tiles(user.company_id, today=today)
    return bench
