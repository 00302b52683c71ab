"""The two halves of an exit's end: the employment ends after the statutory last day (a durable deadline,
whatever the state of the process: a gate never moves it), and the exit process completes when every gate
is open. When both have happened the exit is completed: the retention clock starts (law/retention.py) and
``signals.exit_completed`` is sent after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.evidence import services as evidence
from hrguard.law import retention
from hrguard.people import services as people
from hrguard.people.models import EmployeeStatus

from . import signals
from .models import Exit, ExitState


def _locked(exit_id: int) -> Exit | None:
    return Exit.objects.select_for_update(of=("self",)).select_related("employee").filter(pk=exit_id).first()


def end_employment(*, exit_id: int, actor: Any = None) -> Exit | None:
    """The deadline handler's work (inside its transaction): the employee becomes a former employee."""
    exit_ = _locked(exit_id)
    if exit_ is None or exit_.state != ExitState.OPEN or exit_.employment_ended:
        return exit_
    exit_.employment_ended = True
    exit_.save(update_fields=["employment_ended"])
    people.set_exit_status(employee=exit_.employee, status=EmployeeStatus.LEFT, effective_date=exit_.last_day,
                           actor=actor, note=_("Exit #%(id)d: the last working day has passed") % {"id": exit_.pk})
    evidence.record(exit_.company_id, actor, "offboarding.employment_ended", exit_, employee=exit_.employee,
                    data={"last_day": exit_.last_day, "cleared": exit_.cleared_at is not None})
    signals.employment_ended_tx.send(Exit, exit=exit_, company_id=exit_.company_id, actor=actor)
    transaction.on_commit(lambda: signals.employment_ended.send(Exit, exit=exit_, company_id=exit_.company_id))
    _maybe_finish(exit_, actor)
    return exit_


def process_done(*, exit_id: int, actor: Any) -> None:
    """The exit process completed (every gate open): called by the engine action."""
    exit_ = _locked(exit_id)
    if exit_ is None or exit_.state != ExitState.OPEN or exit_.cleared_at is not None:
        return
    exit_.cleared_at = timezone.now()
    exit_.save(update_fields=["cleared_at"])
    evidence.record(exit_.company_id, actor, "offboarding.exit_cleared", exit_, employee=exit_.employee,
                    data={"last_day": exit_.last_day, "employment_ended": exit_.employment_ended})
    _maybe_finish(exit_, actor)


def _maybe_finish(exit_: Exit, actor: Any) -> None:
    if not (exit_.employment_ended and exit_.cleared_at is not None):
        return
    exit_.state, exit_.completed_at = ExitState.COMPLETED, timezone.now()
    exit_.retention_until = retention.keep_until(retention.TERMINATED_CONTRACT, exit_.last_day)
    exit_.save(update_fields=["state", "completed_at", "retention_until"])
    rule = retention.TERMINATED_CONTRACT
    evidence.record(exit_.company_id, actor, "offboarding.exit_completed", exit_, employee=exit_.employee, data={
        "last_day": exit_.last_day, "retention_until": exit_.retention_until, "retention_rule": rule.code,
        "retention_citation": rule.citation.zh})
    signals.exit_completed_tx.send(Exit, exit=exit_, company_id=exit_.company_id, actor=actor)
    transaction.on_commit(lambda: signals.exit_completed.send(Exit, exit=exit_, company_id=exit_.company_id))
