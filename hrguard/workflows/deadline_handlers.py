"""Overdue steps and wait steps run on the durable deadlines (imported by ``DeadlinesConfig.ready``)."""

from __future__ import annotations

from hrguard.deadlines.models import Deadline
from hrguard.deadlines.services import handler

from . import services
from .clock import STEP_DUE, WAIT_OVER


@handler(STEP_DUE)
def step_due(deadline: Deadline) -> None:
    services.escalate(step_id=int(deadline.payload["step"]))


@handler(WAIT_OVER)
def wait_over(deadline: Deadline) -> None:
    services.finish_wait(step_id=int(deadline.payload["step"]))
