"""Trips, expense claims and advances over the year through ``expenses.services``: employees with an
account submit (with a receipt), the demo manager approves or rejects, then finance; trips with an
advance pay it out on approval; one loan is partly repaid, one advance offset against a claim (冲账).
Every state is present: awaiting the manager, awaiting finance, approved, rejected at either step,
withdrawn."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from hrguard.expenses import services
from hrguard.expenses.models import Advance, ApprovalStatus, ExpenseClaim, Trip
from hrguard.people.models import Employee

from .base import Demo, receipt

CITIES = ["北京", "广州", "深圳", "成都", "杭州", "武汉", "南京", "西安"]
PURPOSES = ["拜访重点客户", "参加行业展会", "客户项目验收", "区域销售会议", "新客户商务洽谈"]
CLAIMS = [
    ("transport", "往返高铁票", (300, 1200)),
    ("lodging", "出差住宿", (400, 2400)),
]
LOCAL = [
    ("client", "客户招待餐费", (300, 3000)),
    ("office", "办公用品采购", (50, 800)),
    ("transport", "市内打车", (30, 200)),
]
# outcome → share: approved, awaiting manager, awaiting finance, rejected by manager / finance, withdrawn
OUTCOMES = [("approved", 62), ("submitted", 10), ("manager_ok", 10), ("rejected_m", 7), ("rejected_f", 5),
            ("cancelled", 6)]


def done(demo: Demo) -> bool:
    return Trip.objects.filter(company=demo.company).exists() or ExpenseClaim.objects.filter(
        company=demo.company).exists()


def _settle(demo: Demo, obj: Trip | ExpenseClaim, outcome: str) -> None:
    """Walk the approval process (manager, then finance) to ``outcome``; each step by whoever it waits for."""
    if outcome == "submitted":
        return
    if outcome == "cancelled":
        services.cancel(obj.employee.user, obj)
        return
    if outcome == "rejected_m":
        services.decide(demo.approver(obj), obj, False, "超出差旅标准，请核实后重新提交")
        return
    services.decide(demo.approver(obj), obj, True, "同意")
    if outcome == "manager_ok":
        return
    if outcome == "rejected_f":
        services.decide(demo.approver(obj), obj, False, "发票抬头不符，请重新开具")
        return
    services.decide(demo.approver(obj), obj, True, "审核通过")


def _outcome(rng: random.Random, day: dt.date, today: dt.date) -> str:
    if (today - day).days > 45:  # old requests are all decided
        return rng.choices(["approved", "rejected_m", "rejected_f", "cancelled"], [80, 8, 6, 6])[0]
    return rng.choices([o for o, _w in OUTCOMES], [w for _o, w in OUTCOMES])[0]


def _claim(demo: Demo, emp: Employee, category: str, text: str, span: tuple[int, int], day: dt.date,
           rng: random.Random, trip: Trip | None = None) -> ExpenseClaim:
    return services.submit_claim(emp.user, emp, {
        "category": category, "spent_on": day, "amount": Decimal(rng.randint(*span)), "description": text,
        "trip": trip.pk if trip else "",
    }, [receipt(f"发票-{day:%Y%m%d}.png", 150 + rng.randint(0, 100))])


FORCED = {-1: "submitted", -2: "manager_ok", -3: "submitted", -4: "rejected_m", -5: "cancelled", 0: "rejected_f"}


def _outcomes(rng: random.Random, days: list[dt.date], today: dt.date) -> list[str]:
    """Random outcomes by age, with every state present: the newest wait, a few old ones failed."""
    out = [_outcome(rng, day, today) for day in days]
    if len(out) > len(FORCED):
        for index, outcome in FORCED.items():
            out[index] = outcome
    return out


def seed(demo: Demo) -> int:
    rng = demo.rng("expenses")
    sales = demo.sales_path()
    manager = demo.user("manager")
    people = [e for e in demo.with_login() if e.department_path.startswith(sales) and e.user_id != manager.pk]
    trips: list[tuple[Employee, dt.date, dt.date, Decimal]] = []
    for emp in people:
        for _n in range(rng.randint(1, 2)):
            start = demo.today - dt.timedelta(days=rng.randint(5, min(350, (demo.today - emp.hire_date).days + 5)))
            start = max(start, emp.hire_date)
            end = min(start + dt.timedelta(days=rng.randint(1, 4)), demo.today)
            trips.append((emp, start, end, Decimal(rng.choice([0, 0, 2000, 3000, 5000]))))
    trips.sort(key=lambda t: (t[1], t[0].pk))
    claims: list[tuple[Employee, str, str, tuple[int, int], dt.date, Trip | None]] = []
    for (emp, start, end, advance), outcome in zip(trips, _outcomes(rng, [t[1] for t in trips], demo.today),
                                                  strict=True):
        trip = services.submit_trip(emp.user, emp, {
            "start_date": start, "end_date": end, "destination": rng.choice(CITIES),
            "purpose": rng.choice(PURPOSES), "advance_requested": advance,
        })
        _settle(demo, trip, outcome)
        if outcome == "approved":
            claims += [(emp, category, text, span, end, trip) for category, text, span in CLAIMS]
    for emp in people:
        for _n in range(rng.randint(0, 1)):
            category, text, span = rng.choice(LOCAL)
            day = max(emp.hire_date, demo.today - dt.timedelta(days=rng.randint(1, 300)))
            claims.append((emp, category, text, span, day, None))
    claims.sort(key=lambda c: (c[4], c[0].pk))
    for (emp, category, text, span, day, trip), outcome in zip(
        claims, _outcomes(rng, [c[4] for c in claims], demo.today), strict=True
    ):
        _settle(demo, _claim(demo, emp, category, text, span, day, rng, trip), outcome)
    return len(trips) + len(claims) + _money_back(demo, people)


def _money_back(demo: Demo, people: list[Employee]) -> int:
    """A loan partly repaid, and one travel advance offset against an approved claim (冲账)."""
    if not people:
        return 0
    finance = demo.user("finance")
    borrower = people[0]
    loan = services.issue_advance(finance, borrower, {
        "kind": "loan", "amount": "20000", "issued_on": demo.today - dt.timedelta(days=150),
        "due_on": demo.today + dt.timedelta(days=210), "purpose": "员工借款（购房首付周转）",
    })
    services.repay(finance, loan, {"amount": "5000", "paid_on": demo.today - dt.timedelta(days=60),
                                   "note": "工资代扣"})
    advance = Advance.objects.filter(company=demo.company, trip__isnull=False, repaid=0).order_by("pk").first()
    claim = (
        ExpenseClaim.objects.filter(employee_id=advance.employee_id, status=ApprovalStatus.APPROVED)
        .order_by("pk").first() if advance else None
    )
    if advance is not None and claim is not None:
        services.repay(finance, advance, {"amount": min(advance.amount, claim.amount), "paid_on": claim.spent_on,
                                          "claim": claim.pk, "note": "差旅报销冲抵借款"})
        return 3
    return 2
