"""Key-person figures for one employee (seed 001), read-only: client concentration, replacement cost as
a low–high range, estimated client churn, successors, a recommendation and a transition plan. A figure
whose inputs are missing (no wage history, no clients, a client without revenue) is ``None`` and named in
``missing`` — never shown as zero. Parameters per company (``KeyPersonParameters``, seed defaults)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.calculators import selectors as wages
from hrguard.clients import selectors as clients
from hrguard.people import selectors as people_selectors

from .models import KeyPersonParameters

CONCENTRATION_ALERT = Decimal(20)  # % of company revenue through one person that calls for a plan
READINESS_ORDER = {"ready": 0, "one_year": 1, "later": 2, "": 3}
KPI_RETENTION_FROM, KPI_RETENTION_TO = 20, 50  # seed 001: client-retention weight in the successor's KPI


@dataclass
class ClientRow:
    name: str
    role: str
    years: int | None
    annual_revenue: Decimal | None
    company_share: Decimal | None
    churn_pct: Decimal
    expected_loss: Decimal | None


@dataclass
class Successor:
    name: str
    employee_no: str
    clients: list[str]
    readiness: str


@dataclass
class Assessment:
    employee: Any
    core: bool
    params: KeyPersonParameters
    clients: list[ClientRow]
    annual_salary: Decimal | None
    salary_months: int
    company_share: Decimal | None
    revenue_through: Decimal | None
    recruit_low: Decimal | None
    recruit_high: Decimal | None
    ramp_risk_low: Decimal | None
    ramp_risk_high: Decimal | None
    churn_loss: Decimal | None
    successors: list[Successor]
    recommendation: str  # keep | transition | let_go
    plan: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def recommendation_label(self) -> str:
        return {"keep": _("Keep: retain the employee and secure the clients"),
                "transition": _("Transition: hand the clients over to a successor in a planned way"),
                "let_go": _("Let go: the departure can follow the normal exit process")}[self.recommendation]


def parameters(company_id: int) -> KeyPersonParameters:
    return KeyPersonParameters.objects.filter(company_id=company_id).first() or KeyPersonParameters(
        company_id=company_id)


def annual_salary(employee: Any, today: dt.date) -> tuple[Decimal | None, int]:
    """Wages paid in the last 12 months before ``today`` (scaled to 12 when fewer are recorded) and how
    many months; without a wage history, 12 × the monthly wage of the newest labor contract (0 months)."""
    history = wages.wage_history(employee)
    months = [(y, m) for y, m in history if (y, m) < (today.year, today.month)]
    recent = sorted(months)[-12:]
    if not recent:
        contract = people_selectors.contracts_of(employee).order_by("-start_date", "-id").first()
        if contract is None or not contract.wage:
            return None, 0
        return (contract.wage * 12).quantize(Decimal("0.01")), 0
    total = sum((history[k] for k in recent), Decimal(0))
    return (total * 12 / len(recent)).quantize(Decimal("0.01")), len(recent)


def _years(since: dt.date | None, today: dt.date) -> int | None:
    return None if since is None else max(0, today.year - since.year - ((today.month, today.day) < (since.month,
                                                                                                    since.day)))


def churn_pct(params: KeyPersonParameters, years: int | None) -> Decimal:
    if years is None or years < 3:
        return Decimal(params.churn_short)
    return Decimal(params.churn_medium) if years <= 10 else Decimal(params.churn_long)


def _client_rows(employee: Any, params: KeyPersonParameters, today: dt.date) -> tuple[list[ClientRow], list[Any]]:
    coverage = clients.coverage_of(employee)
    rows = []
    for c in coverage:
        years = _years(c.client.since, today)
        pct = churn_pct(params, years)
        revenue = c.client.annual_revenue
        rows.append(ClientRow(c.client.name, c.role, years, revenue, c.client.revenue_share, pct,
                              None if revenue is None else (revenue * pct / 100).quantize(Decimal("0.01"))))
    return rows, coverage


def _sum(values: list[Decimal | None]) -> Decimal | None:
    return None if not values or any(v is None for v in values) else sum(values, Decimal(0))  # type: ignore[arg-type]


def _successors(employee: Any, coverage: list[Any]) -> list[Successor]:
    by_emp: dict[int, Successor] = {}
    for c in clients.others_serving(employee.company_id, [c.client_id for c in coverage], excluding=employee.pk):
        s = by_emp.setdefault(c.employee_id, Successor(c.employee.name, c.employee.employee_no, [], c.readiness))
        s.clients.append(c.client.name)
        if READINESS_ORDER.get(c.readiness, 3) < READINESS_ORDER.get(s.readiness, 3):
            s.readiness = c.readiness
    return sorted(by_emp.values(), key=lambda s: (READINESS_ORDER.get(s.readiness, 3), -len(s.clients)))


def _recommend(a: Assessment) -> str:
    exposed = a.company_share is None or a.company_share >= CONCENTRATION_ALERT or not a.clients
    if not a.clients and not a.core:
        return "let_go"
    if not exposed:
        return "let_go"
    return "transition" if any(s.readiness == "ready" for s in a.successors) else "keep"


def _plan(a: Assessment) -> list[str]:
    lead = a.successors[0] if a.successors else None
    months = a.params.ramp_months_low
    out = []
    for row in a.clients[:5]:
        who = lead.name if lead else _("a successor to be named")
        out.append(_("%(client)s: monthly joint client visits by %(who)s with %(name)s for %(months)d months") % {
            "client": row.name, "who": who, "name": a.employee.name, "months": months})
    out.append(_("KPI re-weighting for the successor: client retention from %(a)d%% to %(b)d%%") % {
        "a": KPI_RETENTION_FROM, "b": KPI_RETENTION_TO})
    if not a.successors:
        out.append(_("No one else serves these clients: name a secondary contact for each one now."))
    out.append(_("Supplementary agreement with %(name)s: client handover duties, confidentiality, notice "
                 "period cooperation") % {"name": a.employee.name})
    return out


def assess(employee: Any, *, today: dt.date | None = None) -> Assessment:
    """The key-person figures of ``employee`` (the caller checks permission). A few queries, fixed."""
    today = today or timezone.localdate()
    params = parameters(employee.company_id)
    rows, coverage = _client_rows(employee, params, today)
    salary, months = annual_salary(employee, today)
    primary = [r for r in rows if r.role == "primary"]
    share = _sum([r.company_share for r in primary]) if primary else None
    through = _sum([r.annual_revenue for r in primary]) if primary else None
    missing = []
    if salary is None:
        missing.append(_("Salary: no monthly wage recorded for the last 12 months and no labor contract wage"))
    if not rows:
        missing.append(_("Clients: no client is recorded as served by this employee"))
    missing += [_("Annual revenue of %(client)s") % {"client": r.name} for r in rows if r.annual_revenue is None]
    missing += [_("Revenue share of %(client)s") % {"client": r.name} for r in primary if r.company_share is None]
    low, high = Decimal(params.recruit_multiple_low), Decimal(params.recruit_multiple_high)
    a = Assessment(
        employee=employee, core=bool(employee.position and employee.position.is_core), params=params, clients=rows,
        annual_salary=salary, salary_months=months, company_share=share, revenue_through=through,
        recruit_low=None if salary is None else (salary * low).quantize(Decimal("0.01")),
        recruit_high=None if salary is None else (salary * high).quantize(Decimal("0.01")),
        ramp_risk_low=None if through is None else (through * params.ramp_months_low / 12).quantize(Decimal("0.01")),
        ramp_risk_high=None if through is None else (through * params.ramp_months_high / 12).quantize(Decimal("0.01")),
        churn_loss=_sum([r.expected_loss for r in rows]) if rows else None,
        successors=_successors(employee, coverage), recommendation="keep", missing=missing,
    )
    a.recommendation = _recommend(a)
    a.plan = _plan(a)
    return a
