"""入转调离 over the last twelve months, through ``people.services.record_lifecycle``: probation passed for
the year's hires, about one transfer and one departure a month, a few promotions, two people leaving."""

from __future__ import annotations

import datetime as dt

from hrguard.core.models import Department, Position
from hrguard.law.contracts import add_months
from hrguard.people.models import Contract, Employee, EmployeeStatus, LifecycleEvent, LifecycleKind
from hrguard.people.services import record_lifecycle

from .base import Demo

PROMOTIONS = {"客户经理": "高级客户经理", "工程师": "高级工程师"}
DEPARTURE_NOTES = ["个人原因辞职", "合同到期不续签", "协商一致解除", "家庭原因辞职", "另有发展"]


def done(demo: Demo) -> bool:
    return LifecycleEvent.objects.filter(company=demo.company).exclude(kind=LifecycleKind.HIRE).exists()


def seed(demo: Demo) -> int:
    hr = demo.user("hr")
    count = _probation_passed(demo)
    rng = demo.rng("movements")
    leaves = [d for d in Department.objects.filter(company=demo.company).order_by("path") if not d.children.exists()]
    positions = {p.name: p for p in Position.objects.filter(company=demo.company)}
    logins = set(Employee.objects.filter(company=demo.company, user__isnull=False).values_list("pk", flat=True))
    year_ago = demo.today - dt.timedelta(days=365)
    pool = [
        e for e in demo.current()
        if e.pk not in demo.managers and e.pk not in logins and e.status == EmployeeStatus.ACTIVE
        and e.hire_date < year_ago
    ]
    rng.shuffle(pool)
    leaving = pool[: len(pool) // 3]  # departures (and two 待离职) come from here, transfers from the rest
    staying = pool[len(pool) // 3 :] or pool
    for months_back in range(12, 0, -1):
        first = add_months(demo.today, -months_back)
        if staying:
            emp = rng.choice(staying)
            target = rng.choice([d for d in leaves if d.pk != emp.department_id])
            record_lifecycle(hr, emp, LifecycleKind.TRANSFER, first + dt.timedelta(days=rng.randint(0, 25)),
                             department=target, note="业务调整，调岗")
            count += 1
        if months_back % 4 == 0:
            emp = next((e for e in staying if e.position and e.position.name in PROMOTIONS), None)
            if emp is not None:
                staying.remove(emp)
                record_lifecycle(hr, emp, LifecycleKind.PROMOTION, first + dt.timedelta(days=rng.randint(0, 25)),
                                 position=positions[PROMOTIONS[emp.position.name]], note="年度晋升")
                count += 1
        for _n in range(rng.choice((1, 1, 2))):
            if len(leaving) <= 2:
                break
            record_lifecycle(hr, leaving.pop(), LifecycleKind.TERMINATION,
                             first + dt.timedelta(days=rng.randint(0, 25)), note=rng.choice(DEPARTURE_NOTES))
            count += 1
    for emp in leaving[:2]:  # 待离职: resigned, working their notice period
        record_lifecycle(hr, emp, LifecycleKind.STATUS_CHANGE, demo.days_ago(5), status=EmployeeStatus.LEAVING,
                         note="已提交辞职申请，30日后离职")
        count += 1
    return count


def _probation_passed(demo: Demo) -> int:
    """转正 for everyone on probation whose probation ended before today."""
    ended = (
        Contract.objects.filter(
            company=demo.company, employee__status=EmployeeStatus.PROBATION, probation_end_date__lt=demo.today
        ).select_related("employee").order_by("probation_end_date", "pk")
    )
    count = 0
    for contract in ended:
        assert contract.probation_end_date is not None
        record_lifecycle(demo.user("hr"), contract.employee, LifecycleKind.PROBATION_PASSED,
                         contract.probation_end_date + dt.timedelta(days=1), note="试用期考核合格，转正")
        count += 1
    return count
