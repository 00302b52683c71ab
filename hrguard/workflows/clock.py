"""Step clocks: when a step is due (calendar or working days on the company calendar), and the durable
deadlines (``hrguard.deadlines``) that make it overdue and escalate it — no timer of our own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hrguard.attendance.calendar import add_workdays
from hrguard.deadlines import services as deadlines

from .models import Step

STEP_DUE = "workflows.step_due"  # handler: the step is overdue / the next escalation level is due
WAIT_OVER = "workflows.wait_over"  # handler: a wait step's date has come


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def due_at(company_id: int, opened: dt.datetime, due: dict[str, Any] | None) -> dt.datetime | None:
    """The end of the day ``due.days`` calendar or working days after the step opened."""
    if not due:
        return None
    days = int(due.get("days", 0))
    start = timezone.localtime(opened).date()
    if due.get("unit") == "working":
        return end_of_day(add_workdays(company_id, start, days))
    return end_of_day(start + dt.timedelta(days=days))


def wait_until(context: dict[str, Any], key: str | None) -> dt.datetime | None:
    """A wait step's date from the instance context (an ISO date or datetime); None if absent."""
    value = context.get(key) if key else None
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) <= 10:
        return timezone.make_aware(dt.datetime.combine(moment.date(), dt.time(0, 0)))
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _prefix(step: Step) -> str:
    return f"workflows.step:{step.pk}:"


def ladder(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The step's escalation levels; a step with a due date and no ladder is reminded once."""
    levels = raw.get("escalation")
    return list(levels) if isinstance(levels, list) and levels else [{"after_days": 0, "action": "remind"}]


def schedule_next(step: Step, raw: dict[str, Any]) -> None:
    """The deadline of the step's next escalation level (none past the last level or without a due date)."""
    if step.due_at is None:
        return
    if step.kind == "wait":
        deadlines.schedule(step.company_id, f"{_prefix(step)}wait:{int(step.due_at.timestamp())}", WAIT_OVER,
                           step, step.due_at, {"step": step.pk})
        return
    levels = ladder(raw)
    if step.escalation_level >= len(levels):
        return
    after = int(levels[step.escalation_level].get("after_days", 0) or 0)
    when = step.due_at + dt.timedelta(days=after)
    key = f"{_prefix(step)}{step.escalation_level}:{int(step.due_at.timestamp())}"
    deadlines.schedule(step.company_id, key, STEP_DUE, step, when, {"step": step.pk, "level": step.escalation_level})


def stop(step: Step) -> None:
    deadlines.cancel(_prefix(step))
