"""The to-do queries behind 工作台 stay ordered index range reads whatever the planner's statistics: no
query of ``open_tasks_for`` sorts the assignee's steps (a temporary B-tree over every open step of a busy
role — 133,000 for HR on the benchmark database — to find the first 20). Asserted on the query plan, not
on time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hrguard.workflows import selectors
from hrguard.workflows.models import ProcessInstance, Step

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's"),
]

ONE_STEP = {"stages": [{"key": "decide", "name": "决定", "kind": "approval",
                        "assignee": {"rule": "role", "role": "hr"}, "due": {"days": 2, "unit": "calendar"}}]}

BIG_STATS = {
    ("workflows_step", "wf_step_due"): "200000 200000 200000 100000 1",
    ("workflows_step", "wf_step_role"): "200000 200000 100000 100000 50000 1",
    ("workflows_step", "wf_step_user"): "200000 200000 100000 100000 50000 1",
    ("workflows_step", "workflows_step_instance_id_cce14566"): "200000 1",
    ("workflows_step", "workflows_step_company_id_a9cd30c7"): "200000 200000",
    ("workflows_step", "workflows_step_assignee_user_id_9b6a2acb"): "200000 100000",
    ("workflows_step", "workflows_step_acted_by_id_cb1c4e92"): "200000 200000",
    ("workflows_step", "sqlite_autoindex_workflows_step_1"): "200000 200000 1 1",
    ("workflows_processinstance", "wf_instance_started"): "200000 200000 200000 1 1",
    ("workflows_processinstance", "wf_instance_starter"): "200000 200000 200000 200000",
    ("workflows_processinstance", "wf_instance_state"): "200000 200000 200000 200000",
    ("workflows_processinstance", "wf_instance_subject"): "200000 200000 200000 2",
    ("workflows_processinstance", "workflows_processinstance_template_version_id_01401366"): "200000 200000",
    ("workflows_processinstance", "workflows_processinstance_subject_employee_id_a6305095"): "200000 2",
    ("workflows_processinstance", "workflows_processinstance_started_by_id_f8af8ce9"): "200000 200000",
    ("workflows_processinstance", "workflows_processinstance_company_id_93a920cf"): "200000 200000",
}


def plans(sqls: list[str]) -> list[list[str]]:
    out = []
    with connection.cursor() as cursor:
        for sql in sqls:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            out.append([row[3] for row in cursor.fetchall()])
    return out


@pytest.mark.parametrize("who", ["hr", "manager"])
def test_no_to_do_query_sorts_the_steps_once_the_statistics_are_known(world: Any, make_template: Any,
                                                                      who: str) -> None:
    """Many open steps on the HR role and on one manager, one in three paused or undated, then ``ANALYZE``
    and the statistics of the benchmark database (which is what turned the role query into a sort: with a redundant ``state IN (open, paused)`` beside
    ``state = 'open'`` the planner took the IN for the index's state column)."""
    version = make_template(ONE_STEP, key="test.plans")
    hr, manager = world.users["hr"], world.users["manager"]
    subject = world.employees["east_rep"]
    now = timezone.now()
    instances = ProcessInstance.objects.bulk_create([
        ProcessInstance(company=world.company, template_version=version, template_key="test.plans",
                        title=f"#{n}", subject_type="people.employee", subject_id=str(subject.pk),
                        subject_employee=subject, started_by=hr)
        for n in range(600)
    ])
    Step.objects.bulk_create([
        Step(company=world.company, instance=inst, key="decide", name="决定", kind="approval",
             state="paused" if n % 3 == 1 else "open", assignee_rule="role" if n % 2 else "manager",
             assignee_user=None if n % 2 else manager, assignee_role="hr" if n % 2 else "",
             opened_at=now, due_at=None if n % 3 == 2 else now + dt.timedelta(hours=n - 300))
        for n, inst in enumerate(instances)
    ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # The statistics ANALYZE wrote on the benchmark database (200,000 open steps, two thirds on the HR
        # role), so that the planner weighs the indexes as it does there; then reload them.
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl IN ('workflows_step', 'workflows_processinstance')")
        for (table, index), stat in BIG_STATS.items():
            cursor.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)", [table, index, stat])
        cursor.execute("ANALYZE sqlite_schema")
    user = world.users[who]
    with CaptureQueriesContext(connection) as ctx:
        tasks = selectors.open_tasks_for(user=user, limit=20)
    assert len(tasks) == 20
    assert [t.step.due_at for t in tasks] == sorted(t.step.due_at for t in tasks)
    task_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "workflows_step"' in q["sql"]]
    assert 0 < len(task_queries) <= 8
    for sql, plan in zip(task_queries, plans(task_queries), strict=True):
        assert not [line for line in plan if "TEMP B-TREE" in line], (sql[sql.find(" WHERE "):], plan)
        step_reads = [line for line in plan if "workflows_step" in line]
        assert step_reads and all("USING INDEX wf_step_" in line for line in step_reads), (sql, plan)
