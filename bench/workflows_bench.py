"""The process engine at scale: 100,000 employees, 200,000 open processes.

    .venv/bin/python bench/workflows_bench.py [--employees 100000] [--instances 200000] [--runs 50]
                                              [--db /tmp/hrguard-workflows-bench.sqlite3 | --pg [NAME]]

Builds (once) company ``wfbench``: a department tree whose 销售一部 (5,000 people) is headed by the user
``wfbench-manager``, 100,000 employees (bulk insert, no per-row evidence — that is the people bench),
one leave-like process per two employees on average: 200,000 running instances of a two-step
approval (manager → finance). Every instance's first step is open: those of the manager's 5,000
people (two each) are the manager's, the others belong to other department heads; 20,000 steps are
HR's role tasks (employees without a manager). Then measures, after warm-ups:

* ``selectors.open_tasks_for`` (the 工作台 / ``/api/v1/tasks/`` query) for the manager of 5,000 and for
  HR: median / p95 wall-clock and process CPU, and the number of SQL queries;
* ``services.act`` (approve: lock, permission, close, evidence, open the finance step, notify): median /
  p95 wall-clock and CPU and queries, on distinct steps of the manager — once with the notices handed to
  the worker (production: the queue is not immediate) and once with the in-app notices delivered inline
  after commit (the test settings' immediate queue).
Targets (issue 9): open tasks p95 < 100 ms with a constant number of queries; act < 50 ms."""

from __future__ import annotations

import argparse
import datetime as dt
import time

import common

CODE = "wfbench"
TEMPLATE = {"stages": [
    {"key": "manager", "name": "直属上级审批", "kind": "approval", "assignee": {"rule": "manager"},
     "due": {"days": 2, "unit": "calendar"}},
    {"key": "finance", "name": "财务审核", "kind": "approval", "assignee": {"rule": "role", "role": "finance"}},
]}


def build(employees: int, instances: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from hrguard.core.models import Company, Department, User
    from hrguard.people.models import Employee
    from hrguard.workflows.models import ProcessInstance, ProcessTemplate, Step, TemplateVersion

    if Company.objects.filter(code=CODE).exists():
        return
    t0 = time.perf_counter()
    with transaction.atomic():
        company = Company.objects.create(code=CODE, name="流程基准公司")
        root = Department.objects.create(company=company, name="总部")
        depts = [Department.objects.create(company=company, name=f"销售{i + 1}部", parent=root) for i in range(19)]
        hr_pool = Department.objects.create(company=company, name="待分配", parent=root)  # no head
        users = {role: User.objects.create_user(username=f"{CODE}-{role}", password="x", company=company, role=role)
                 for role in ("hr", "finance", "admin")}
        heads = []
        for i, dept in enumerate(depts):
            user = User.objects.create_user(username=f"{CODE}-manager" if i == 0 else f"{CODE}-head{i}",
                                            password="x", company=company, role="employee")
            head = Employee.objects.create(company=company, employee_no=f"H{i:04d}", name=f"部门经理{i}",
                                           department=dept, hire_date=dt.date(2015, 1, 1), user=user)
            dept.manager = head
            dept.save(update_fields=["manager"])
            heads.append(head)
        sizes = [5000] + [(employees - 5000 - 10000) // 18] * 18
        rows, n = [], 0
        for dept, size in [*zip(depts, sizes, strict=True), (hr_pool, 10000)]:
            for _ in range(size):
                n += 1
                rows.append(Employee(company=company, employee_no=f"E{n:06d}", name=f"员工{n}", department=dept,
                                     department_path=dept.path, hire_date=dt.date(2020, 1, 1)))
        Employee.objects.bulk_create(rows, batch_size=5000)
        template = ProcessTemplate.objects.create(company=company, key="bench.approval", name="请假审批")
        version = TemplateVersion.objects.create(company=company, template=template, number=1, definition=TEMPLATE)
    print(f"employees: {n + len(heads)} in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    people = list(Employee.objects.filter(company=company, employee_no__startswith="E")
                  .values_list("id", "department_id"))
    head_user = {h.department_id: h.user_id for h in heads}
    now = timezone.now()
    for start in range(0, instances, 10_000):
        with transaction.atomic():
            batch = []
            for i in range(start, min(start + 10_000, instances)):
                pk, _dept = people[i % len(people)]
                batch.append(ProcessInstance(company=company, template_version=version, template_key="bench.approval",
                                             title=f"请假 {i}", subject_type="people.employee", subject_id=str(pk),
                                             subject_employee_id=pk, started_by=users["hr"]))
            ProcessInstance.objects.bulk_create(batch, batch_size=5000)
            steps = []
            for k, inst in enumerate(batch):
                dept = people[(start + k) % len(people)][1]
                user = head_user.get(dept)
                due = now + dt.timedelta(hours=(start + k) % 500 - 100)  # some overdue
                steps.append(Step(company=company, instance=inst, key="manager", name="直属上级审批", kind="approval",
                                  group=0, order=0, state="open", assignee_rule="manager", assignee_user_id=user,
                                  assignee_role="" if user else "hr", due_at=due, opened_at=now))
                steps.append(Step(company=company, instance=inst, key="finance", name="财务审核", kind="approval",
                                  group=1, order=0, state="waiting", assignee_rule="role"))
            Step.objects.bulk_create(steps, batch_size=5000)
    print(f"instances: {instances} (+{2 * instances} steps) in {time.perf_counter() - t0:.1f} s")
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def timed(fn, runs: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return walls, cpus


def queries_of(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def fresh(username: str):
    from hrguard.core.models import User

    return User.objects.select_related("company").get(username=username)  # no per-request caches carried over


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--instances", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=50)
    common.db_arguments(parser, "/tmp/hrguard-workflows-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    common.setup(args)
    build(args.employees, args.instances)

    from hrguard.workflows import selectors
    from hrguard.workflows.models import Step

    print(f"database: {common.vendor()}; runs per figure: {args.runs}")
    print("| measure | median ms | p95 ms | CPU median ms | CPU p95 ms | queries | rows |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, username in (("open_tasks_for, manager of 5,000", f"{CODE}-manager"),
                            ("open_tasks_for, HR (role tasks)", f"{CODE}-hr")):
        def run(username: str = username) -> int:
            return len(selectors.open_tasks_for(user=fresh(username), limit=50))

        for _ in range(3):
            run()
        walls, cpus = timed(run, args.runs)
        (m, p), (cm, cp) = common.summary(walls), common.summary(cpus)
        print(f"| {label} | {m:.1f} | {p:.1f} | {cm:.1f} | {cp:.1f} | {queries_of(run)} | {run()} |")

    manager = fresh(f"{CODE}-manager")
    ids = list(Step.objects.filter(company_id=manager.company_id, assignee_user=manager, state="open")
               .order_by("-id").values_list("id", flat=True)[: 2 * (args.runs + 1)])
    for label, handoff in (("act (approve → finance step opens), delivery handed to the worker", True),
                           ("act, in-app delivery run inline after commit (immediate queue)", False)):
        act_figures(label, ids, args.runs, handoff=handoff)


def act_figures(label: str, ids: list[int], runs: int, *, handoff: bool) -> None:
    """``services.act`` on ``runs`` distinct open steps of the manager (taken from ``ids``). With ``handoff``
    the queue is not immediate: as in production, the request only hands the new outbox rows to the worker
    (the test settings' queue otherwise delivers the in-app notices inline after commit)."""
    from huey.contrib.djhuey import HUEY

    from hrguard.workflows import services

    HUEY.immediate = not handoff
    mine = [ids.pop() for _ in range(runs + 1)]
    probe = mine.pop()
    walls, cpus = [], []
    for pk in mine:
        c0, t0 = time.process_time(), time.perf_counter()
        services.act(actor=fresh(f"{CODE}-manager"), step_id=pk, action="approve", note="同意")
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    (m, p), (cm, cp) = common.summary(walls), common.summary(cpus)
    n = queries_of(lambda: services.act(actor=fresh(f"{CODE}-manager"), step_id=probe, action="approve"))
    print(f"| {label} | {m:.1f} | {p:.1f} | {cm:.1f} | {cp:.1f} | {n} | 1 |")
    HUEY.immediate = True

if __name__ == "__main__":
    main()
