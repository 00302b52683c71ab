"""The evidence package of one exit (zip, verifies offline with ``verify.py``): every evidence event of the
employee — contract, complaints, discipline, the resignation, the process steps, handover confirmations,
messages and their read receipts — so the arbitrator sees the whole story in one file."""

from __future__ import annotations

from typing import Any

from hrguard.evidence import selectors as evidence_selectors
from hrguard.evidence.package import build_package
from hrguard.platform.errors import require

from .models import Exit

MAX_EVENTS = 5000


def exit_package(exit_: Exit, *, actor: Any) -> bytes:
    require(actor, "offboarding.manage_exit", exit_)
    events = list(evidence_selectors.for_employee(exit_.company_id, exit_.employee_id, limit=MAX_EVENTS))
    title = f"{exit_.employee.name} 离职办理（#{exit_.pk}）"
    return build_package(exit_.company_id, title=title, events=events, documents=[], actor=actor,
                         employee=exit_.employee)
