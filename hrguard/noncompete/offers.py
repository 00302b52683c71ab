"""When an exit completes: offer HR the non-compete follow-up if the contract has a 竞业限制 clause.

The receiver of ``offboarding.signals.exit_completed`` runs after the exit's transaction commits and writes
the offer (an ``Agreement`` in state ``offered``) and its evidence in a transaction of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from hrguard.evidence import services as evidence
from hrguard.people.models import ClauseCategory
from hrguard.people.selectors import contracts_of

from .models import Agreement, AgreementState, EligibleRole


@dataclass(frozen=True)
class Eligibility:
    clause_title: str  # the contract's non-compete clause ("" when none)
    by_position: bool  # the position carries the confidentiality duty (Art. 24 "others with a duty")

    @property
    def has_clause(self) -> bool:
        return bool(self.clause_title)


def eligibility_of(employee: Any, contract_id: int | None = None) -> Eligibility:
    """The non-compete clause of the employee's contract (the exit's own contract first) and the position flag."""
    contracts = sorted(contracts_of(employee), key=lambda c: (c.pk != contract_id, -c.start_date.toordinal()))
    title = next((cl.title for c in contracts for cl in c.clauses.all() if cl.category == ClauseCategory.NON_COMPETE),
                 "")
    position = employee.position
    return Eligibility(title, bool(position and position.confidentiality_duty))


def offer_for_exit(exit_: Any) -> Agreement | None:
    """Create the offer for a completed exit (idempotent: one per exit)."""
    employee = exit_.employee
    found = eligibility_of(employee, exit_.contract_id)
    if not found.has_clause:
        return None
    existing = Agreement.objects.filter(company_id=exit_.company_id, exit_id=exit_.pk).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            agreement = Agreement.objects.create(
                company_id=exit_.company_id, employee=employee, exit_id=exit_.pk, state=AgreementState.OFFERED,
                clause_title=found.clause_title[:200], by_position=found.by_position, last_day=exit_.last_day,
                role=EligibleRole.CONFIDENTIALITY if found.by_position else "")
            evidence.record(exit_.company_id, None, "noncompete.offered", agreement, employee=employee, data={
                "exit": exit_.pk, "clause": found.clause_title, "by_position": found.by_position,
                "last_day": exit_.last_day})
    except IntegrityError:  # a concurrent receiver made it
        return Agreement.objects.filter(company_id=exit_.company_id, exit_id=exit_.pk).first()
    return agreement


def on_exit_completed(sender: Any, *, exit: Any, company_id: int, **kwargs: Any) -> None:
    offer_for_exit(exit)
