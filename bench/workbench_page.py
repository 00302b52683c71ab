"""工作台 latency: the home page ``/`` for a department manager of ~5,000 people and for HR of a large company
with many open process instances, in-process with Django's test Client (no network).

    .venv/bin/python bench/generate.py --employees 100000 --db /tmp/hrguard-bench.sqlite3 --fresh
    .venv/bin/python bench/workbench_page.py --db /tmp/hrguard-bench.sqlite3 [--instances 200000] [--runs 50]
    (PostgreSQL: the same with --pg hrguard_bench)

Adds, once per database (rows tagged ``bench.workbench``): ``--instances`` running processes of a one-step
approval template, every tenth overdue: three quarters (``MANAGER_SHARE``) are approvals about people of the
measured manager's subtree with the open step assigned to that manager (so the manager, not HR, has the most
to-dos — the harder figure), a quarter are HR role steps about anyone, started by the HR user; one pending
leave request per employee of the manager's subtree; probation ends and fixed-term contract ends inside the
warning windows for 1 % of the company. Prints median / p95 over ``--runs`` requests and the query count
next to the same page of the ``small`` company (which must be equal). Target p95 < 100 ms."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from decimal import Decimal
from typing import Any

import common

TARGET_MS = 100.0
KEY = "bench.workbench"
# Most open steps in a company are line managers' approvals (leave, trips, expense claims go to the requester's
# manager); HR holds the rest (contract renewals, onboarding and exit tasks, steps whose rule found no manager).
MANAGER_SHARE = 0.75
ONE_STEP = {"stages": [{"key": "manager", "name": "上级审批", "kind": "approval", "assignee": {"rule": "manager"},
                        "due": {"days": 2, "unit": "calendar"}}]}


def manager_of(code: str, size: int = 5000) -> tuple[Any, Any]:
    """(department, user) of the department manager whose subtree is closest to ``size`` employees; the
    manager gets a login if they have none."""
    from django.db.models import Count

    from hrguard.core.models import Company, Department, User
    from hrguard.people.models import Employee

    company = Company.objects.get(code=code)
    per_path = dict(Employee.objects.filter(company=company).values_list("department_path")
                    .annotate(n=Count("pk")).values_list("department_path", "n"))
    best = None
    for dept in Department.objects.filter(company=company, manager__isnull=False).select_related("manager"):
        n = sum(v for p, v in per_path.items() if p.startswith(dept.path))
        if best is None or abs(n - size) < abs(best[1] - size):
            best = (dept, n)
    dept = best[0]
    emp = dept.manager
    if emp.user_id is None:
        user = User.objects.create_user(username=f"{code}-bench-manager", password=None, company=company,
                                        role="employee")
        Employee.objects.filter(pk=emp.pk).update(user=user)
    return dept, User.objects.get(pk=Employee.objects.get(pk=emp.pk).user_id)


def populate(code: str, instances: int, manager_dept: Any, manager_user: Any) -> None:
    """Bulk rows as the engine and the record apps write them (skipped when present)."""
    from django.utils import timezone

    from hrguard.core.models import Company, User
    from hrguard.leave.models import LeaveRequest
    from hrguard.people.models import Contract, Employee
    from hrguard.workflows import editing
    from hrguard.workflows.models import ProcessInstance, ProcessTemplate, Step

    company = Company.objects.get(code=code)
    if ProcessTemplate.objects.filter(company=company, key=KEY).exists():
        return
    hr = User.objects.get(username=f"{code}-hr")
    version, _w = editing.create_template(actor=hr, company=company, key=KEY, name="基准流程", definition=ONE_STEP)
    now, today = timezone.now(), timezone.localdate()
    team = list(Employee.objects.filter(company=company, department_path__startswith=manager_dept.path)
                .values_list("pk", flat=True))
    people = list(Employee.objects.filter(company=company).values_list("pk", flat=True))
    t0 = time.perf_counter()
    for start in range(0, instances, 5000):
        rows = [_instance_row(i, team, people) for i in range(start, min(start + 5000, instances))]
        batch = [ProcessInstance(company=company, template_version=version, template_key=KEY, title=f"基准 #{i}",
                                 subject_type="people.employee", subject_id=str(subject), subject_employee_id=subject,
                                 started_by=None if to_manager else hr)
                 for i, subject, to_manager in rows]
        ProcessInstance.objects.bulk_create(batch)
        Step.objects.bulk_create([
            Step(company=company, instance=inst, key="manager", name="上级审批", kind="approval", state="open",
                 assignee_rule="manager", assignee_user=manager_user if to_manager else None,
                 assignee_role="" if to_manager else "hr", opened_at=now,
                 due_at=now + dt.timedelta(days=-1 if i % 10 == 0 else 2))
            for inst, (i, _subject, to_manager) in zip(batch, rows, strict=True)
        ])
    LeaveRequest.objects.bulk_create([
        LeaveRequest(company=company, employee_id=pk, leave_type="personal", start_date=today, end_date=today,
                     days=Decimal("1")) for pk in team
    ], batch_size=5000)
    sample = people[::100]
    Contract.objects.filter(company=company, employee_id__in=sample[::2]).update(end_date=today + dt.timedelta(days=20))
    Contract.objects.filter(company=company, employee_id__in=sample[1::2]).update(
        probation_end_date=today + dt.timedelta(days=7))
    Employee.objects.filter(pk__in=sample[1::2]).update(status="probation")
    mine = sum(1 for i in range(instances) if _to_manager(i))
    print(f"added {instances} instances ({mine} approvals for the manager, {instances - mine} HR role steps), "
          f"{len(team)} leave requests in {time.perf_counter() - t0:.1f} s")


def _to_manager(i: int) -> bool:
    """Instance ``i`` is a line manager's approval (MANAGER_SHARE of them), else a step of the HR role."""
    return i % 100 < MANAGER_SHARE * 100


def _instance_row(i: int, team: list[int], people: list[int]) -> tuple[int, int, bool]:
    """(i, subject employee, to the manager?): a manager's approval is about someone of the manager's subtree
    (the request was submitted by the employee: no HR starter); an HR step may concern anyone, started by HR."""
    to_manager = _to_manager(i)
    pool = team if to_manager else people
    return i, pool[i % len(pool)], to_manager


def client_for(user: Any) -> Any:
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(user)
    return client


def measure(client: Any, url: str, runs: int) -> tuple[float, float, float, int]:
    """Median and p95 wall-clock ms, p95 process CPU ms (SQLite: the request's own work, whatever the load on
    the machine), and the page's query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(url)
    wall, cpu = [], []
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        assert client.get(url).status_code == 200
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    median, p95 = common.summary(wall)
    return median, p95, common.summary(cpu)[1], len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--big", default="big")
    parser.add_argument("--small", default="small")
    parser.add_argument("--instances", type=int, default=200_000)
    parser.add_argument("--team", type=int, default=5000, help="subtree size of the manager measured")
    common.db_arguments(parser, "/tmp/hrguard-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    common.setup(args)
    from django.core.cache import cache

    from hrguard.core.models import User
    from hrguard.people.models import Employee

    dept, manager = manager_of(args.big, args.team)
    populate(args.big, args.instances, dept, manager)
    team = Employee.objects.filter(company=dept.company_id, department_path__startswith=dept.path).count()
    _small_dept, small_manager = manager_of(args.small, args.team)
    cases = [
        (f"工作台, manager of {team} ({dept.name})", manager, small_manager, "/"),
        ("工作台, HR (charts cached)", User.objects.get(username=f"{args.big}-hr"),
         User.objects.get(username=f"{args.small}-hr"), "/"),
        ("global search by name, HR", User.objects.get(username=f"{args.big}-hr"),
         User.objects.get(username=f"{args.small}-hr"), "/search/?q=王"),
        ("global search record #12, manager", manager, small_manager, "/search/?q=%2312"),
    ]
    n_big = Employee.objects.filter(company__code=args.big).count()
    n_small = Employee.objects.filter(company__code=args.small).count()
    print(f"\n{common.vendor()}: {n_big} vs {n_small} employees, {args.instances} open instances, {args.runs} runs, "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print(f"| page | median ms | p95 ms | CPU p95 ms | target p95 | queries @{n_small} | queries @{n_big} |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, big_user, small_user, url in cases:
        median, p95, cpu_p95, q_big = measure(client_for(big_user), url, args.runs)
        q_small = measure(client_for(small_user), url, 3)[-1]
        flag = "" if p95 < TARGET_MS else " ✗"
        print(f"| {label} | {median:.1f} | {p95:.1f}{flag} | {cpu_p95:.1f} | < {TARGET_MS:.0f} | {q_small} | {q_big} |")
    cache.clear()
    t0 = time.perf_counter()
    client_for(User.objects.get(username=f"{args.big}-hr")).get("/")
    cold = 1000 * (time.perf_counter() - t0)
    print(f"\nHR 工作台 with a cold chart cache (the aggregates recomputed): {cold:.0f} ms")


if __name__ == "__main__":
    main()
