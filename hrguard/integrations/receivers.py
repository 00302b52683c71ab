"""Offboarding's in-transaction signals → the webhook outbox (rows written in the exit's transaction)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from hrguard.evidence import services as evidence
from hrguard.offboarding import signals

from . import services
from .models import EventType

RECEIVERS = (
    (signals.exit_started_tx, EventType.EXIT_STARTED),
    (signals.employment_ended_tx, EventType.EMPLOYMENT_ENDED),
    (signals.exit_completed_tx, EventType.EXIT_COMPLETED),
)


log = logging.getLogger(__name__)


def _receiver(event_type: str) -> Any:
    def receive(sender: Any, *, exit: Any, company_id: int, actor: Any = None, **kwargs: Any) -> None:
        # A bug in building a payload must never undo the exit change (the employment ending on its statutory
        # day above all): the deliveries are written in a savepoint, and a failure is logged and recorded.
        try:
            with transaction.atomic():
                services.emit(company_id=company_id, event_type=event_type, exit_=exit, actor=actor)
        except Exception as exc:
            log.exception("webhook event %s for exit %s could not be queued", event_type, exit.pk)
            evidence.record(company_id, actor, "integrations.event_not_queued", exit, employee=exit.employee_id,
                            data={"event": event_type, "error": f"{type(exc).__name__}: {exc}"[:300]})

    return receive


def connect() -> None:
    for signal, event_type in RECEIVERS:
        signal.connect(_receiver(event_type), weak=False, dispatch_uid=f"integrations.webhooks.{event_type}")
