"""Early warning and key-person data for the demo (seed 001), after the year of records:

1. clients (客户) with who serves them: a core salesperson of 华东销售组 (高级客户经理, with a login) serves
   three clients that make 30% of the company's revenue, colleagues are secondary contacts (one ready to
   take over), other sales people serve the rest; her last 12 months of wages are recorded;
2. her travel rises in the last full month (2 days a month before, 5 days then: the seed's "travel
   frequency +30%"), submitted and approved through ``expenses.services``;
3. the shipped rules are switched on and the scan runs over the demo's history — at the end of each of
   the last six months, then today — so /risk/ lists the alerts the records really produce, each with its
   explanation;
4. HR opens a key-person case about her from her alert (which is thereby "acted on → case"); HR's talk
   and legal's assessment are done, and the business contingency plan is the open step, assigned by the
   template's rule to her department head — demo-manager, who sees that step alone.

Idempotent: skipped when the company has clients."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hrguard.calculators import services as wages
from hrguard.cases import services as cases
from hrguard.clients import services as clients
from hrguard.clients.models import Client
from hrguard.expenses import services as expenses
from hrguard.people.models import Employee, EmployeeStatus
from hrguard.risk import scan
from hrguard.risk.defaults import ensure_default_rules
from hrguard.risk.models import Alert
from hrguard.risk.windows import add_months, month_end, month_of
from hrguard.workflows import selectors as wf_selectors
from hrguard.workflows import services as workflows

from .base import Demo
from .expenses import _settle

COMPANY_REVENUE = Decimal(20_000_000)  # yuan a year
# (client, years of relationship, company share %, share of the core salesperson's book %)
CORE_CLIENTS = [("华东汽车集团", 12, 15, 50), ("星海电子", 6, 10, 33), ("远航物流", 2, 5, 17)]
OTHER_CLIENTS = [("恒通建材", 8, 12), ("蓝湾食品", 4, 9), ("北辰医疗器械", 3, 7), ("嘉禾纺织", 1, 4)]
MONTHLY_WAGE = Decimal(22_000)
HISTORY_SCANS = 6  # month ends scanned before today


def done(demo: Demo) -> bool:
    return Client.objects.filter(company=demo.company).exists()


def core_salesperson(demo: Demo) -> Employee | None:
    """The longest-serving 高级客户经理 (a core position) with a login in the demo manager's sales group."""
    boss = demo.user("manager")
    found = (Employee.objects.filter(company=demo.company, position__is_core=True, user__isnull=False,
                                     department__manager__user=boss)
             .exclude(status=EmployeeStatus.LEFT).select_related("user", "department").order_by("hire_date", "pk"))
    return found.first()


def _colleagues(demo: Demo, core: Employee) -> list[Employee]:
    sales = demo.sales_path()
    return [e for e in demo.current() if e.department_path.startswith(sales) and e.pk != core.pk
            and e.pk not in demo.managers and e.hire_date <= demo.today - dt.timedelta(days=365)]


def _clients(demo: Demo, core: Employee, others: list[Employee]) -> int:
    hr = demo.user("hr")
    made = 0
    same_group = [e for e in others if e.department_id == core.department_id] or others
    for i, (name, years, share, book) in enumerate(CORE_CLIENTS):
        client = clients.save_client(actor=hr, name=name, since=demo.today.replace(year=demo.today.year - years),
                                     annual_revenue=COMPANY_REVENUE * share / 100, revenue_share=share)
        clients.set_coverage(actor=hr, client_id=client.pk, employee=core, revenue_share=book,
                             since=client.since)
        if i < len(same_group):  # the first colleague is ready to take over the biggest client
            clients.set_coverage(actor=hr, client_id=client.pk, employee=same_group[i], role="secondary",
                                 readiness=("ready", "one_year", "later")[i])
        made += 1
    rest = [e for e in others if e not in same_group[:len(CORE_CLIENTS)]] or others
    # a small demo has few colleagues, each may serve several of these: their shares stay under 100% together
    per_person = -(-len(OTHER_CLIENTS) // max(1, len(rest)))
    book_share = min(40, 90 // per_person)
    for i, (name, years, share) in enumerate(OTHER_CLIENTS):
        client = clients.save_client(actor=hr, name=name, since=demo.today.replace(year=demo.today.year - years),
                                     annual_revenue=COMPANY_REVENUE * share / 100, revenue_share=share)
        if rest:
            clients.set_coverage(actor=hr, client_id=client.pk, employee=rest[i % len(rest)],
                                 revenue_share=book_share)
        made += 1
    return made


def _wages(demo: Demo, core: Employee) -> int:
    hr = demo.user("hr")
    month = month_of(demo.today)
    for n in range(1, 13):
        m = add_months(month, -n)
        wages.record_wage_month(actor=hr, employee=core, year=m.year, month=m.month, amount=MONTHLY_WAGE,
                                source="演示数据：工资表")
    return 12


def _travel(demo: Demo, core: Employee) -> int:
    """Two days a month for the six months before the last full month, five days in it."""
    last = add_months(month_of(demo.today), -1)
    plan = [(add_months(last, -n), 2) for n in range(6, 0, -1)] + [(last, 5)]
    count = 0
    for month, days in plan:
        start = month + dt.timedelta(days=19)  # the 20th: clear of the year's random trips' usual dates
        if start < core.hire_date:
            continue
        trip = expenses.submit_trip(core.user, core, {
            "start_date": start, "end_date": start + dt.timedelta(days=days - 1), "destination": "苏州",
            "purpose": "拜访华东汽车集团", "advance_requested": Decimal(0)})
        _settle(demo, trip, "approved")
        count += 1
    return count


def _scan(demo: Demo) -> list[Any]:
    ensure_default_rules(demo.company, active=True)
    month = month_of(demo.today)
    raised: list[Any] = []
    for n in range(HISTORY_SCANS, 0, -1):
        raised += scan.run(demo.company, as_of=month_end(add_months(month, -n))).raised
    raised += scan.run(demo.company, as_of=demo.today).raised
    return raised


def _case(demo: Demo, core: Employee) -> int:
    hr = demo.user("hr")
    alert = (Alert.objects.filter(company=demo.company, employee=core).select_related("version")
             .order_by("-as_of", "-pk").first())
    links = ([{"target_type": "risk.alert", "target_id": str(alert.pk), "label": alert.version.name,
               "url": f"/risk/alerts/{alert.pk}/"}] if alert else [])
    case = cases.open_case(
        actor=hr, case_type="keyperson", title=f"核心销售{core.name}离职风险评估", category="resignation_risk",
        subject_employee=core, links=links,
        description=f"{core.name}负责的客户占公司营收30%，预警显示出差明显增加，近期有竞争对手接触的传闻。")
    # opening the case from the alert marked the alert "acted on → case" (cases.services)
    first = wf_selectors.first_step(company_id=demo.company.pk, instance_id=case.process_id)
    if first is not None:
        workflows.act(actor=hr, step_id=first.pk, action="complete",
                      note="已与员工面谈：家庭负债压力大，有竞争对手接触，员工愿意继续沟通")
    _legal_assessment(demo, case.process_id)
    return 1


def _legal_assessment(demo: Demo, instance_id: int) -> None:
    """Legal finishes its assessment, so the process opens the business contingency step for the subject's
    department head (the template's ``department_head`` rule): demo-manager holds a step of a case they may
    not read, and sees that step alone (cases.view_own_step)."""
    legal = demo.user("legal")
    detail = wf_selectors.instance_detail(user=legal, instance_id=instance_id)
    step = next((s for s in detail.steps if s.key == "legal" and s.pk in detail.actionable), None)
    if step is not None:
        workflows.act(actor=legal, step_id=step.pk, action="complete",
                      note="竞业限制协议有效，客户资料保密条款完备；建议尽快落实客户交接预案")


def seed(demo: Demo) -> int:
    core = core_salesperson(demo)
    if core is None:
        return 0
    count = _clients(demo, core, _colleagues(demo, core))
    count += _wages(demo, core) + _travel(demo, core)
    count += len(_scan(demo))
    return count + _case(demo, core)
