"""The registries of the early-warning app.

* Signals: ``register_signal(SignalSpec(...))``. A provider computes, set-based (one aggregate query per
  call, never a loop per employee), the monthly values of one company between two month starts:
  ``monthly(company_id, first, stop) -> iterable of (employee_id, month_start, value)``; a provider that
  can also answer day windows (``late_arrivals("14d")``) gives ``days(company_id, first_day, last_day) ->
  iterable of (employee_id, value)``. Higher layers (cases: collection contacts) register theirs in their
  ``AppConfig.ready``. A signal that is one aggregate over a record table names the table's ``Table`` (its
  base rows and month column), its aggregate and its row filter: the scan computes all signals of one
  table in one pass (one ``GROUP BY employee, month`` with a filtered aggregate per signal) and inserts
  them with one ``INSERT … SELECT``. Care data is never a signal (PIPL Art. 6; the issue's rule).
* Outcomes: ``register_outcome(name, fn)`` — ``fn(company_id, employee_ids, after) -> set(employee_id)``:
  which of these people later "left or had a case" (the back-test's third figure). People termination is
  registered here; the cases app registers its own.
* Alert follow-ups: ``register_alert_action(AlertAction(key, label, url, allowed))`` — a button on the
  alert page leading to a higher app's page (cases: "open a case" prefilled with the employee and the
  alert as linked record), shown when ``allowed(user, alert)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MonthlyFn = Callable[[int, dt.date, dt.date], Iterable[tuple[int, dt.date, float]]]
DaysFn = Callable[[int, dt.date, dt.date], Iterable[tuple[int, float]]]
OutcomeFn = Callable[[int, set[int], dt.date], set[int]]


@dataclass(frozen=True)
class Table:
    """A record table read in one pass: ``rows(company_id, first, stop)`` is the queryset of its rows in
    the period (company and date range), ``date_field`` the date whose month a row counts in."""

    key: str
    rows: Callable[[int, dt.date, dt.date], Any]
    date_field: str


@dataclass(frozen=True)
class SignalSpec:
    name: str
    label: Any  # lazy translation
    unit: Any
    source: str  # the app it reads
    monthly: MonthlyFn
    days: DaysFn | None = None
    # how months combine into a window: "sum" (counts, amounts) or "mean" (scores)
    combine: str = "sum"
    # signals fed by consented checks are stored per purpose ("name@purpose") and seen only by rules
    # serving that purpose
    per_purpose: bool = False
    # optional: the same aggregate as a queryset of (employee_id, m, v) rows, so that the scan inserts it
    # with one INSERT … SELECT (no rows through Python)
    query: Callable[[int, dt.date, dt.date], Any] | None = None
    # optional: computed in the one pass over ``table``: ``agg`` is the value per employee and month of
    # the table's rows matching ``where`` (a Q, or None for all of them); ``agg(None)`` aggregates
    # unfiltered rows, ``agg(q)`` only the rows matching q (Django's ``filter=`` on aggregates)
    table: Table | None = None
    agg: Callable[[Any], Any] | None = None
    where: Any = None


@dataclass(frozen=True)
class AlertAction:
    key: str
    label: Any  # lazy translation
    url: Callable[[Any], str]  # alert -> address inside HRGuard
    allowed: Callable[[Any, Any], bool]  # (user, alert) -> shown or not


_SIGNALS: dict[str, SignalSpec] = {}
_OUTCOMES: dict[str, OutcomeFn] = {}
_ALERT_ACTIONS: dict[str, AlertAction] = {}
CARE_SOURCES = frozenset({"care"})


def register_signal(spec: SignalSpec) -> None:
    if spec.source in CARE_SOURCES:
        raise ValueError("Care data never feeds an early-warning rule.")
    _SIGNALS[spec.name] = spec


def signal(name: str) -> SignalSpec | None:
    return _SIGNALS.get(name)


def signals() -> list[SignalSpec]:
    return sorted(_SIGNALS.values(), key=lambda s: s.name)


def register_outcome(name: str, fn: OutcomeFn) -> None:
    _OUTCOMES[name] = fn


def outcomes() -> dict[str, OutcomeFn]:
    return dict(_OUTCOMES)


def register_alert_action(action: AlertAction) -> None:
    _ALERT_ACTIONS[action.key] = action


def alert_actions(user: Any, alert: Any) -> list[tuple[str, Any, str]]:
    """``(key, label, url)`` of the follow-ups this user may take from this alert."""
    return [(a.key, a.label, a.url(alert)) for a in _ALERT_ACTIONS.values() if a.allowed(user, alert)]
