"""Deadline handler used by the kill tests (imported by the sweep worker subprocess).

``test.remind`` enqueues one email through the outbox with the deadline's key as idempotency key. When
HRGUARD_TEST_BLOCK_AFTER=k is set, the (k+1)-th reminder touches HRGUARD_TEST_MARKER and then blocks —
inside its transaction — until the process is killed."""

from __future__ import annotations

import os
import time
from pathlib import Path

from hrguard.deadlines.models import Deadline, DeadlineState
from hrguard.deadlines.services import handler
from hrguard.notify import services as notify
from hrguard.people.models import Employee

ACTION = "test.remind"


@handler(ACTION)
def remind(deadline: Deadline) -> None:
    block_after = os.environ.get("HRGUARD_TEST_BLOCK_AFTER")
    if block_after is not None:
        # This row is already marked done inside our (uncommitted) transaction, so it counts itself.
        done = Deadline.objects.filter(action=ACTION, state=DeadlineState.DONE).count()
        if done > int(block_after):
            Path(os.environ["HRGUARD_TEST_MARKER"]).write_text(deadline.key)
            time.sleep(3600)
    employee = Employee.objects.get(pk=deadline.subject_id)
    notify.enqueue(
        deadline.company_id, recipient=employee, channels=["email"], subject=f"提醒 {deadline.key}",
        body="请在截止日期前完成确认。", idempotency_key=deadline.key, about=employee, purpose="test.remind",
    )
