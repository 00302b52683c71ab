"""Process instances of the demo company (the hook ``hrguard demo`` calls last).

Leave, trips and expense claims run their approvals on the engine (``hrguard.workflows``): the leave
and expenses sections already created, through their services, the running instances (pending requests,
claims waiting for the manager or finance) and the completed / rejected / cancelled ones (decided or
withdrawn requests). What a fresh database cannot have is age: every step opened a moment ago. So
``seed_process_instances`` makes some of the running approvals old — as if the request had been
submitted days ago — and lets the engine's own escalation handle them:

1. ``workflows.services.backdate_for_demo`` cancels their pending step deadlines and moves the instance's
   start and the open step's opened / due times back by the same number of days (the step's due offset is
   kept), with a ``demo.process_backdated`` evidence event saying so, in one transaction;
2. ``workflows.services.escalate`` runs the first level of the step's ladder (overdue notice to the
   assignee) and schedules the next; later levels already due (notify the superior, reassign) run in
   the sweep that follows, as the worker would.

Idempotent: instances that were backdated once (or escalated) are left alone."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from hrguard.core.models import Company, User
from hrguard.core.roles import Role
from hrguard.workflows import selectors, services
from hrguard.workflows.types import InstanceState

SHARE = 0.4  # of the running approvals made overdue


def seed_process_instances(company: Company, rng: random.Random) -> int:
    """Returns the number of instances made overdue."""
    hr = User.objects.filter(company=company, role__in=(Role.ADMIN, Role.HR), is_active=True).order_by("role", "pk")
    viewer = hr.first()
    if viewer is None:
        return 0
    running = list(
        selectors.instances_for(user=viewer, limit=10_000).filter(state=InstanceState.RUNNING).order_by("pk")
    )
    if not running or selectors.any_escalated(company_id=company.pk):
        return 0
    chosen = rng.sample(running, max(1, round(len(running) * SHARE)))
    now = timezone.now()
    for instance in sorted(chosen, key=lambda i: i.pk):
        _backdate(instance.pk, now, dt.timedelta(days=rng.randint(3, 12)))
    return len(chosen)


def _backdate(instance_id: int, now: dt.datetime, age: dt.timedelta) -> None:
    moved = services.backdate_for_demo(instance_id=instance_id, age=age, why="demo data: a request submitted days ago")
    for step in moved:
        if step.due_at is not None and step.due_at < now:
            services.escalate(step_id=step.pk)
