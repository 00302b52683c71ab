from __future__ import annotations

from typing import Any

from hrguard.workflows import selectors, services
from hrguard.workflows.models import InstanceState, StepState


def test_two_step_approval_runs_to_completion(world: Any, make_template: Any, start_for: Any) -> None:
    make_template()
    instance = start_for("east_rep")
    manager, finance = world.users["manager"], world.users["finance"]
    tasks = selectors.open_tasks_for(user=manager)
    assert [t.step.key for t in tasks] == ["manager"]
    assert selectors.open_tasks_for(user=finance) == []
    services.act(actor=manager, step_id=tasks[0].step.pk, action="approve", note="同意")
    tasks = selectors.open_tasks_for(user=finance)
    assert [t.step.key for t in tasks] == ["finance"]
    services.act(actor=finance, step_id=tasks[0].step.pk, action="approve")
    instance.refresh_from_db()
    assert instance.state == InstanceState.COMPLETED and instance.outcome == "approved"
    assert all(s.state == StepState.DONE for s in instance.steps.all())
