"""Computing a rule's terms for a whole company at once: one aggregate query over the materialised
``SignalValue`` table per term (``GROUP BY employee``), or the provider's day-window query."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, FloatField, Sum
from django.db.models.expressions import ExpressionWrapper, F

from . import registry
from .expressions import BASELINE_MONTHS, Term
from .models import SignalValue
from .windows import add_months, month_of

Values = dict[int, Any]


def signal_names(signal: str, purposes: Iterable[str]) -> list[str]:
    spec = registry.signal(signal)
    if spec is not None and spec.per_purpose:
        return [f"{signal}@{p}" for p in sorted(purposes)]
    return [signal]


def _rows(company_id: int, names: list[str], first: dt.date, last: dt.date) -> Any:
    return (SignalValue.objects.filter(company_id=company_id, signal__in=names, month__gte=first, month__lte=last)
            .values("employee_id").order_by())


def _window(company_id: int, term: Term, as_of: dt.date, names: list[str]) -> Values:
    spec = registry.signal(term.signal)
    assert spec is not None
    n, unit = term.window
    if unit == "d":
        assert spec.days is not None
        return dict(spec.days(company_id, as_of - dt.timedelta(days=n - 1), as_of))
    month = month_of(as_of)
    rows = _rows(company_id, names, add_months(month, -(n - 1)), month)
    if spec.combine == "mean":
        rows = rows.annotate(v=Sum("value"), c=Count("value")).values_list("employee_id", "v", "c")
        return {e: v / c for e, v, c in rows}
    return dict(rows.annotate(v=Sum("value")).values_list("employee_id", "v"))


def _baselines(company_id: int, term: Term, as_of: dt.date, names: list[str]) -> tuple[Values, Values]:
    """The own mean and population standard deviation over the 6 months before the scan's month (a month
    without a value is 0 for counts; scores average over the months that have one)."""
    spec = registry.signal(term.signal)
    assert spec is not None
    month = month_of(as_of)
    square = ExpressionWrapper(F("value") * F("value"), output_field=FloatField())
    rows = _rows(company_id, names, add_months(month, -BASELINE_MONTHS), add_months(month, -1)).annotate(
        s=Sum("value"), ss=Sum(square), c=Count("value")).values_list("employee_id", "s", "ss", "c")
    means: Values = {}
    spreads: Values = {}
    for emp, s, ss, c in rows:
        n = c if spec.combine == "mean" else BASELINE_MONTHS
        mean = s / n
        means[emp] = mean
        spreads[emp] = math.sqrt(max(ss / n - mean * mean, 0.0))
    return means, spreads


def _runs(company_id: int, term: Term, as_of: dt.date, names: list[str]) -> Values:
    months = int(term.numbers[-1])
    threshold = term.numbers[0] if term.fn == "months_above" else 0.0
    month = month_of(as_of)
    rows = (_rows(company_id, names, add_months(month, -(months - 1)), month).filter(value__gt=threshold)
            .annotate(c=Count("month", distinct=True)).values_list("employee_id", "c"))
    return {e: True for e, c in rows if c >= months}


def compute(company_id: int, terms: dict[str, Term], as_of: dt.date, *, purposes: Iterable[str],
            dept_of: dict[int, int | None]) -> dict[str, Values]:
    """``{variable: {employee_id: value}}`` (absent employee: 0 / false)."""
    purposes = list(purposes)
    out: dict[str, Values] = {}
    cache: dict[tuple[str, str], tuple[Values, Values]] = {}
    for var, term in terms.items():
        names = signal_names(term.signal, purposes)
        if term.fn in ("baseline", "spread", "dept_baseline"):
            key = (term.signal, ",".join(names))
            if key not in cache:
                cache[key] = _baselines(company_id, term, as_of, names)
            means, spreads = cache[key]
            if term.fn == "baseline":
                out[var] = means
            elif term.fn == "spread":
                out[var] = spreads
            else:
                out[var] = _department_means(means, dept_of)
        elif term.fn in ("months_running", "months_above"):
            out[var] = _runs(company_id, term, as_of, names)
        else:
            out[var] = _window(company_id, term, as_of, names)
    return out


class ByDepartment(dict):  # type: ignore[type-arg]
    """``dept_baseline``: the mean of the own baselines over each department, looked up by employee
    (``get``) or by department (``of``) without a row per employee."""

    def __init__(self, per_dept: dict[int | None, float], dept_of: dict[int, int | None]) -> None:
        super().__init__()
        self.per_dept, self.dept_of = per_dept, dept_of

    def of(self, dept: int | None) -> float:
        return self.per_dept.get(dept, 0)

    def get(self, emp: Any, fallback: Any = None) -> Any:
        value = self.per_dept.get(self.dept_of.get(emp, -1), 0) if emp in self.dept_of else 0
        return value or fallback


def _department_means(means: Values, dept_of: dict[int, int | None]) -> ByDepartment:
    heads = Counter(dept_of.values())
    totals: dict[int | None, float] = {}
    for emp, mean in means.items():
        if emp in dept_of:
            dept = dept_of[emp]
            totals[dept] = totals.get(dept, 0.0) + mean
    return ByDepartment({d: totals[d] / heads[d] for d in totals if totals[d]}, dept_of)


def default(term: Term) -> Any:
    return False if term.fn in ("months_running", "months_above") else 0
