"""The reminder the scale-out bench sweeps: one email through the outbox, keyed by the deadline."""

from __future__ import annotations

from hrguard.deadlines.models import Deadline
from hrguard.deadlines.services import handler
from hrguard.notify import services as notify
from hrguard.people.models import Employee

ACTION = "scaleout.remind"
PURPOSE = "scaleout.remind"


@handler(ACTION)
def remind(deadline: Deadline) -> None:
    employee = Employee.objects.get(pk=deadline.subject_id)
    notify.enqueue(
        deadline.company_id, recipient=employee, channels=["email"], subject=f"提醒 {deadline.key}",
        body="请在截止日期前完成确认。", idempotency_key=deadline.key, about=employee, purpose=PURPOSE,
    )
