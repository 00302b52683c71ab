"""Offboarding's in-transaction signals → the webhook outbox (rows written in the exit's transaction)."""

from __future__ import annotations

from typing import Any

from hrguard.offboarding import signals

from . import services
from .models import EventType

RECEIVERS = (
    (signals.exit_started_tx, EventType.EXIT_STARTED),
    (signals.employment_ended_tx, EventType.EMPLOYMENT_ENDED),
    (signals.exit_completed_tx, EventType.EXIT_COMPLETED),
)


def _receiver(event_type: str) -> Any:
    def receive(sender: Any, *, exit: Any, company_id: int, actor: Any = None, **kwargs: Any) -> None:
        services.emit(company_id=company_id, event_type=event_type, exit_=exit, actor=actor)

    return receive


def connect() -> None:
    for signal, event_type in RECEIVERS:
        signal.connect(_receiver(event_type), weak=False, dispatch_uid=f"integrations.webhooks.{event_type}")
