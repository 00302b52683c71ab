"""Leave over the year through ``leave.services``: annual, sick, personal, time off in lieu, marriage,
maternity, paternity and bereavement leave — approved, rejected, cancelled in the past; pending and
approved ahead. People with an account ask for themselves, HR files for the others; the line manager
(the demo manager for 销售部) or HR decides."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.exceptions import ValidationError

from hrguard.leave import services
from hrguard.leave.models import LeaveRequest, LeaveType
from hrguard.people.models import Employee

from .base import Demo

TYPES = [
    (LeaveType.ANNUAL, 45, (1, 5), "年假，外出旅游"),
    (LeaveType.SICK, 20, (1, 3), "感冒发烧，附医院证明"),
    (LeaveType.PERSONAL, 20, (1, 2), "家中有事"),
    (LeaveType.COMPENSATORY, 6, (1, 2), "周末加班调休"),
    (LeaveType.BEREAVEMENT, 3, (3, 3), "直系亲属丧事"),
    (LeaveType.MARRIAGE, 3, (3, 10), "婚假"),
]
REJECT_NOTES = ["项目上线期间，请调整时间", "部门同期请假人数过多，请改期", "未提前申请，请补充说明"]


def done(demo: Demo) -> bool:
    return LeaveRequest.objects.filter(company=demo.company).exists()


def _request(demo: Demo, employee: Employee, leave_type: str, start: dt.date, end: dt.date, reason: str
             ) -> LeaveRequest | None:
    actor = employee.user if employee.user_id else demo.user("hr")
    try:
        return services.request_leave(actor, employee, {
            "leave_type": leave_type, "start_date": start, "end_date": end, "reason": reason,
        })
    except ValidationError:  # overlaps earlier leave, or the balance is used up: a real refusal, skipped
        return None


def _settle(demo: Demo, rng: random.Random, leave: LeaveRequest, mode: str) -> None:
    """Decide (or withdraw) a request: past requests are mostly approved, future ones mostly wait."""
    roll = rng.random()
    employee = leave.employee
    if mode == "pending":
        return
    if mode == "future":
        if roll < 0.35:
            services.decide_leave(demo.approver(leave), leave, True, "同意")
        return
    if roll < 0.08:
        actor = employee.user if employee.user_id else demo.user("hr")
        services.cancel_leave(actor, leave, "行程取消")
    elif roll < 0.18:
        services.decide_leave(demo.approver(leave), leave, False, rng.choice(REJECT_NOTES))
    else:
        services.decide_leave(demo.approver(leave), leave, True, "同意")


def _workday_span(demo: Demo, rng: random.Random, start: dt.date, days: tuple[int, int]) -> tuple[dt.date, dt.date]:
    while start.weekday() >= 5:
        start += dt.timedelta(days=1)
    length, end = rng.randint(*days), start
    while length > 1:
        end += dt.timedelta(days=1)
        if end.weekday() < 5:
            length -= 1
    return start, end


def seed(demo: Demo) -> int:
    rng = demo.rng("leave")
    hr = demo.user("hr")
    people = [e for e in demo.current() if e.hire_date < demo.today - dt.timedelta(days=30)]
    if not people:
        return 0
    for emp in rng.sample(people, max(1, len(people) // 10)):  # time off in lieu earned
        services.set_balance(hr, emp, {"leave_type": LeaveType.COMPENSATORY, "year": demo.today.year,
                                       "adjustment_days": "3", "basis": "周末加班调休"})
    weights = [t[1] for t in TYPES]
    count = 0
    plans: list[tuple[Employee, Any, dt.date, str]] = []
    for _n in range(max(12, int(len(people) * 0.6))):
        emp = rng.choice(people)
        kind = rng.choices(TYPES, weights)[0]
        future = rng.random() < 0.12
        offset = rng.randint(3, 24) if future else -rng.randint(2, min(360, (demo.today - emp.hire_date).days))
        plans.append((emp, kind, demo.today + dt.timedelta(days=offset), "future" if future else "past"))
    # The demo employee always has a past approved leave and one waiting for the manager.
    own = next((e for e in people if e.user_id == demo.user("employee").pk), None)
    if own is not None:
        plans.append((own, TYPES[0], demo.today - dt.timedelta(days=40), "past"))
        plans.append((own, TYPES[2], demo.today + dt.timedelta(days=9), "pending"))
    # Two more waiting for the demo manager: people of the departments they manage themselves.
    boss = demo.user("manager")
    theirs = [e for e in people if e.department.manager_id and e.department.manager.user_id == boss.pk
              and e is not own and e.user_id != boss.pk]
    for emp, days in zip(theirs[:2], (5, 12), strict=False):
        plans.append((emp, TYPES[0], demo.today + dt.timedelta(days=days), "pending"))
    for emp, (leave_type, _w, days, reason), start, mode in plans:
        first, last = _workday_span(demo, rng, start, days)
        leave = _request(demo, emp, leave_type, first, last, reason)
        if leave is not None:
            _settle(demo, rng, leave, mode)
            count += 1
    return count + _long_leave(demo, rng, people)


def _long_leave(demo: Demo, rng: random.Random, people: list[Employee]) -> int:
    """One maternity leave under way and one paternity leave last quarter."""
    count = 0
    mother = next((e for e in people if e.gender == "F" and e.pk not in demo.managers and not e.user_id), None)
    if mother is not None and mother.hire_date < demo.today - dt.timedelta(days=200):
        start = demo.today - dt.timedelta(days=60)
        leave = _request(demo, mother, LeaveType.MATERNITY, start, start + dt.timedelta(days=157), "生育，产假")
        if leave is not None:
            services.decide_leave(demo.approver(leave), leave, True, "同意，按规定享受产假")
            count += 1
    father = next((e for e in people if e.gender == "M" and not e.user_id and e.pk not in demo.managers), None)
    if father is not None:
        first, last = _workday_span(demo, rng, demo.today - dt.timedelta(days=80), (10, 10))
        leave = _request(demo, father, LeaveType.PATERNITY, first, last, "配偶生育，陪产假")
        if leave is not None:
            services.decide_leave(demo.approver(leave), leave, True, "同意")
            count += 1
    return count
