"""Durable timers of offboarding (imported at start-up by ``DeadlinesConfig.ready``)."""

from __future__ import annotations

from typing import Any

from hrguard.deadlines.services import handler

from . import completion, duties  # noqa: F401  (duties registers the Art. 50 handlers)
from .services import END_ACTION


@handler(END_ACTION)
def employment_ends(deadline: Any) -> None:
    completion.end_employment(exit_id=int(deadline.payload.get("exit") or deadline.subject_id))
