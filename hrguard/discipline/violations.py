"""Violations (违纪): record with facts, handbook clause and evidence files → investigation → decision →
the employee's acknowledgement or refusal. A decision may open a dismissal review through the
company's escalation ladder (e.g. two violations within a year).

The flow runs on the process engine (templates ``discipline.violation`` and ``discipline.dismissal_review``,
editable per company): the services here check the record permission and the input, then act on the
step of the record's process (``records.processes``); the engine's actions
(``workflows.hooks.discipline``) write the outcome back with the ``apply_*`` functions below, in the same
transaction, each with its evidence event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require
from hrguard.records import files, notices, processes
from hrguard.records.inputs import Errors, as_int

from .models import (
    SUBSTANTIATED,
    DisciplineReview,
    EscalationRule,
    HandbookClause,
    Violation,
    ViolationAck,
    ViolationDecision,
)

OWNER = "violation"
NOT_SUBSTANTIATED = ViolationDecision.NOT_SUBSTANTIATED.value  # decision value: the report is dismissed
VIOLATION_PROCESS = "discipline.violation"
REVIEW_PROCESS = "discipline.dismissal_review"


@transaction.atomic
def save_clause(actor: User, company: Company, data: dict[str, Any], instance: HandbookClause | None = None
                ) -> HandbookClause:
    require(actor, "discipline.manage_handbook")
    if actor.company_id != company.pk or (instance and instance.company_id != company.pk):
        raise ValidationError(_("You can only change your own company's handbook."))
    errors = Errors()
    code = errors.text(data.get("code"), "code", max_length=40, required=True)
    title = errors.text(data.get("title"), "title", max_length=200, required=True)
    body = errors.text(data.get("body"), "body", max_length=5000)
    clause = instance or HandbookClause(company=company)
    if code and HandbookClause.objects.filter(company=company, code=code).exclude(pk=clause.pk).exists():
        errors.add("code", _("A clause with this number already exists."))
    errors.raise_if_any()
    clause.code, clause.title, clause.body = code, title, body
    clause.active = bool(data.get("active", True))
    clause.save()
    evidence.record(company, actor, "handbook.clause_saved", clause, {"title": f"{code} {title}", "body": body})
    return clause


@transaction.atomic
def record_violation(actor: User, employee: Employee, data: dict[str, Any], uploads: list[Any] = ()) -> Violation:
    require(actor, "discipline.record_violation", employee)
    errors = Errors()
    clause = None
    clause_id = as_int(data.get("clause"))
    if clause_id is None:
        errors.add("clause", _("Choose the handbook clause that was breached."))
    else:
        clause = HandbookClause.objects.filter(company_id=employee.company_id, pk=clause_id, active=True).first()
        if clause is None:
            errors.add("clause", _("Unknown handbook clause."))
    occurred = errors.date(data.get("occurred_on"), "occurred_on")
    if occurred and occurred > timezone.localdate():
        errors.add("occurred_on", _("The date is in the future."))
    facts = errors.text(data.get("facts"), "facts", max_length=5000, required=True)
    uploads = list(uploads)
    files.check_uploads(errors, uploads)
    errors.raise_if_any()
    violation = Violation.objects.create(
        company_id=employee.company_id, employee=employee, clause=clause, occurred_on=occurred, facts=facts,
        reporter=actor,
    )
    stored = files.store(actor, OWNER, violation, employee, uploads)
    evidence.record(
        employee.company, actor, "violation.recorded", violation, employee=employee,
        data={"title": str(clause), "occurred_on": occurred, "facts": facts, "files": files.described(stored)},
    )
    _start(actor, violation)
    return violation


def _start(actor: Any, violation: Violation) -> None:
    processes.start_checked(actor=actor, company=violation.employee.company, template_key=VIOLATION_PROCESS,
                            subject=violation, subject_employee=violation.employee,
                            title=_("Violation: %(name)s") % {"name": violation.employee.name})


def _flow(actor: User, violation: Violation) -> processes.Flow:
    """The violation's process; one recorded before the flows ran on the engine gets one now (while
    undecided: a decided one only waits for the acknowledgement, which is written directly)."""
    flow = processes.steps(subject=violation)
    if flow.instance_id is None and not violation.decision:
        _start(actor, violation)
        flow = processes.steps(subject=violation)
    return flow


def _locked(violation: Violation) -> Violation:
    return Violation.objects.select_for_update().select_related("employee", "clause").get(pk=violation.pk)


@transaction.atomic
def add_files(actor: User, violation: Violation, uploads: list[Any]) -> list[Any]:
    violation = _locked(violation)
    require(actor, "discipline.record_violation", violation.employee)
    errors = Errors()
    uploads = list(uploads)
    if not uploads:
        errors.add("files", _("Choose at least one file."))
    files.check_uploads(errors, uploads)
    errors.raise_if_any()
    stored = files.store(actor, OWNER, violation, violation.employee, uploads)
    evidence.record(violation.company_id, actor, "violation.files_added", violation, employee=violation.employee_id,
                    data={"title": str(violation.clause), "files": files.described(stored)})
    return stored


def _undecided(errors: Errors, violation: Violation) -> None:
    if violation.decision:
        errors.add("status", _("The violation was already decided."))


@transaction.atomic
def investigate(actor: User, violation: Violation, notes: Any) -> Violation:
    """Save the investigation notes; the first save completes the process's investigation step."""
    violation = _locked(violation)
    require(actor, "discipline.decide_violation", violation.employee)
    errors = Errors()
    text = errors.text(notes, "investigation", max_length=10000, required=True)
    _undecided(errors, violation)
    errors.raise_if_any()
    flow = _flow(actor, violation)
    if flow.is_open("investigate"):
        processes.act(actor=actor, subject=violation, step_key="investigate", action="complete",
                          data={"investigation": text})
    else:
        apply_investigation(actor, violation, text)
    return _locked(violation)


def _decision(data: dict[str, Any]) -> tuple[Errors, dict[str, Any]]:
    errors = Errors()
    substantiated = data.get("decision") != NOT_SUBSTANTIATED
    decision = errors.choice(data.get("decision"), "decision", ViolationDecision) if substantiated else ""
    note = errors.text(data.get("decision_note"), "decision_note", max_length=5000, required=True)
    amount = None
    days = None
    if decision == ViolationDecision.BONUS_DEDUCTION:
        amount = errors.amount(data.get("deduction_amount"), "deduction_amount")
    if decision == ViolationDecision.SUSPENSION:
        days = as_int(data.get("suspension_days"))
        if days is None or not 1 <= days <= 365:
            errors.add("suspension_days", _("Enter the number of suspension days (1–365)."))
    return errors, {"decision": decision or NOT_SUBSTANTIATED, "decision_note": note,
                    "deduction_amount": str(amount) if amount is not None else None, "suspension_days": days}


@transaction.atomic
def decide(actor: User, violation: Violation, data: dict[str, Any]) -> Violation:
    """Decide (or find the report not substantiated) on the process's decision step (an investigation
    step still open is completed first). The employee is then asked to acknowledge."""
    violation = _locked(violation)
    require(actor, "discipline.decide_violation", violation.employee)
    errors, cleaned = _decision(data)
    _undecided(errors, violation)
    errors.raise_if_any()
    flow = _flow(actor, violation)
    if flow.is_open("investigate"):
        processes.act(actor=actor, subject=violation, step_key="investigate", action="complete")
        flow = processes.steps(subject=violation)
    if not flow.is_open("decide"):
        waiting = "、".join(s.name for s in flow.open_steps) or "—"
        raise ValidationError({"status": _("The process is not at its decision step (waiting for: %(steps)s).")
                               % {"steps": waiting}})
    substantiated = cleaned["decision"] != NOT_SUBSTANTIATED
    processes.act(actor=actor, subject=violation, step_key="decide",
                      action="approve" if substantiated else "reject", note=cleaned["decision_note"][:500],
                      data=cleaned)
    return _locked(violation)


def _ack_checks(actor: User, violation: Violation, note: Any, *, witness_required: bool) -> str:
    errors = Errors()
    text = errors.text(note, "ack_note", max_length=500, required=witness_required)
    if violation.ack_state != ViolationAck.PENDING:
        errors.add("ack", _("There is no decision waiting for acknowledgement."))
    errors.raise_if_any()
    return text


def _ack_step(actor: User, violation: Violation, accept: bool, text: str, *, witnessed: bool) -> Violation:
    flow = processes.steps(subject=violation)
    if flow.is_open("acknowledge"):
        processes.act(actor=actor, subject=violation, step_key="acknowledge", action="complete", note=text,
                          data={"accept": accept, "witnessed": witnessed, "ack_note": text})
    elif flow.instance_id is None:  # decided before the flows ran on the engine
        apply_acknowledgement(actor, violation, accept=accept, note=text, witnessed=witnessed)
    else:
        raise ValidationError({"ack": _("The process is not waiting for the acknowledgement.")})
    return _locked(violation)


@transaction.atomic
def acknowledge(actor: User, violation: Violation, accept: bool, note: Any = "") -> Violation:
    """The employee signs (acknowledges) or refuses the decision, from their own account."""
    violation = _locked(violation)
    require(actor, "discipline.acknowledge_violation", violation.employee)
    text = _ack_checks(actor, violation, note, witness_required=False)
    return _ack_step(actor, violation, bool(accept), text, witnessed=False)


@transaction.atomic
def record_refusal(actor: User, violation: Violation, note: Any) -> Violation:
    """HR/compliance records that the employee refused to sign a paper notice (with witnesses in the note)."""
    violation = _locked(violation)
    require(actor, "discipline.decide_violation", violation.employee)
    text = _ack_checks(actor, violation, note, witness_required=True)
    return _ack_step(actor, violation, False, text, witnessed=True)


# ---- outcomes, written by the engine's actions (inside its transaction) --------------------------

def apply_investigation(actor: Any, violation: Violation, text: str) -> None:
    if not text:
        return
    violation.investigation = text
    violation.save(update_fields=["investigation"])
    evidence.record(violation.company_id, actor, "violation.investigated", violation, employee=violation.employee_id,
                    data={"title": str(violation.clause), "notes": text})


def apply_decision(actor: Any, violation: Violation, data: dict[str, Any], *, rejected: bool,
                   note: str = "") -> None:
    """The decision step's outcome. A rejection without a decision (e.g. from the task list) is a
    finding of "not substantiated" with the step's note as its reasons."""
    if violation.decision:
        raise ValidationError({"status": _("The violation was already decided.")})
    if rejected and not data.get("decision"):
        data = {"decision": NOT_SUBSTANTIATED, "decision_note": note}
    errors, cleaned = _decision(data)
    if not rejected and cleaned["decision"] == NOT_SUBSTANTIATED:
        errors.add("decision", _("Choose the decision on the violation's page."))
    errors.raise_if_any()
    violation.decision, violation.decision_note = cleaned["decision"], cleaned["decision_note"]
    amount = cleaned["deduction_amount"]
    violation.deduction_amount = None if amount is None else Decimal(amount)
    violation.suspension_days, violation.decided_at = cleaned["suspension_days"], timezone.now()
    violation.save(update_fields=["decision", "decision_note", "deduction_amount", "suspension_days", "decided_at"])
    evidence.record(
        violation.company_id, actor, "violation.decided", violation, employee=violation.employee_id,
        data={"title": str(violation.clause), "decision": violation.decision, "note": violation.decision_note,
              "deduction_amount": violation.deduction_amount, "suspension_days": violation.suspension_days},
    )
    if violation.decision != NOT_SUBSTANTIATED:
        _escalate(actor, violation)
    notices.violation_decided(actor, violation)


def apply_acknowledgement(actor: Any, violation: Violation, *, accept: bool, note: str, witnessed: bool) -> None:
    if violation.ack_state != ViolationAck.PENDING:
        raise ValidationError({"ack": _("There is no decision waiting for acknowledgement.")})
    if witnessed and not note:
        raise ValidationError({"ack_note": _("Name the circumstances and the witnesses of the refusal.")})
    violation.ack = ViolationAck.ACKNOWLEDGED if accept else ViolationAck.REFUSED
    violation.ack_at, violation.ack_note, violation.ack_recorded_by = timezone.now(), note, actor
    violation.save(update_fields=["ack", "ack_at", "ack_note", "ack_recorded_by"])
    evidence.record(
        violation.company_id, actor, "violation.acknowledged" if accept else "violation.refused", violation,
        employee=violation.employee_id,
        data={"title": str(violation.clause), "decision": violation.decision, "note": note,
              "by_employee": not witnessed},
    )


def _escalate(actor: Any, violation: Violation) -> list[DisciplineReview]:
    """Open a dismissal review — and its process — for each active ladder rule the employee now reaches
    (once per rule while a review from it is open)."""
    opened = []
    for rule in EscalationRule.objects.filter(company_id=violation.company_id, active=True).order_by("threshold"):
        since = violation.occurred_on - dt.timedelta(days=rule.window_days)
        counted = Violation.objects.filter(
            employee_id=violation.employee_id, decision__in=SUBSTANTIATED, occurred_on__gte=since,
            occurred_on__lte=violation.occurred_on,
        )
        if rule.count_decisions:
            counted = counted.filter(decision__in=rule.count_decisions)
        ids = list(counted.order_by("occurred_on", "id").values_list("id", flat=True))
        if len(ids) < rule.threshold:
            continue
        if DisciplineReview.objects.filter(employee_id=violation.employee_id, rule=rule, outcome="").exists():
            continue
        review = DisciplineReview.objects.create(
            company_id=violation.company_id, employee_id=violation.employee_id, rule=rule, violation_ids=ids
        )
        evidence.record(
            violation.company_id, actor, "discipline.review_opened", review, employee=violation.employee_id,
            data={"title": rule.name, "rule": rule.name, "threshold": rule.threshold,
                  "window_days": rule.window_days, "violations": ids},
        )
        processes.start_checked(actor=actor, company=violation.employee.company, template_key=REVIEW_PROCESS,
                                subject=review, subject_employee=violation.employee,
                                title=_("Dismissal review: %(name)s") % {"name": violation.employee.name})
        opened.append(review)
    return opened


@transaction.atomic
def save_rule(actor: User, company: Company, data: dict[str, Any], instance: EscalationRule | None = None
              ) -> EscalationRule:
    require(actor, "discipline.manage_handbook")
    if actor.company_id != company.pk or (instance and instance.company_id != company.pk):
        raise ValidationError(_("You can only change your own company's escalation ladder."))
    errors = Errors()
    name = errors.text(data.get("name"), "name", max_length=100, required=True)
    threshold = as_int(data.get("threshold"))
    if threshold is None or not 1 <= threshold <= 20:
        errors.add("threshold", _("Enter a number of violations between 1 and 20."))
    window = as_int(data.get("window_days")) if data.get("window_days") not in (None, "") else 365
    if window is None or not 1 <= window <= 3650:
        errors.add("window_days", _("Enter a number of days between 1 and 3650."))
    decisions = data.get("count_decisions") or []
    if isinstance(decisions, str):
        decisions = [d for d in decisions.split(",") if d.strip()]
    bad = [d for d in decisions if d not in ViolationDecision.values]
    if bad:
        errors.add("count_decisions", _("Unknown decisions: %(v)s") % {"v": ", ".join(map(str, bad))[:100]})
    errors.raise_if_any()
    rule = instance or EscalationRule(company=company)
    rule.name, rule.threshold, rule.window_days = name, threshold, window
    rule.count_decisions = list(decisions)
    rule.active = bool(data.get("active", True))
    rule.save()
    evidence.record(company, actor, "discipline.rule_saved", rule,
                    {"title": name, "threshold": threshold, "window_days": window, "decisions": rule.count_decisions})
    return rule


@transaction.atomic
def close_review(actor: User, review: DisciplineReview, outcome: Any) -> DisciplineReview:
    """HR / legal / compliance conclude a dismissal review opened by the ladder, with its outcome (e.g.
    "dismissal under Labor Contract Law Art. 39(2) started" or "no dismissal: final warning"): the open
    step of its process is completed; the review closes when its process ends (with the default
    template, at once)."""
    review = DisciplineReview.objects.select_for_update(of=("self",)).select_related("employee", "rule").get(
        pk=review.pk
    )
    require(actor, "discipline.decide_violation", review.employee)
    errors = Errors()
    text = errors.text(outcome, "outcome", max_length=500, required=True)
    if not review.is_open:
        errors.add("outcome", _("The review is already closed."))
    errors.raise_if_any()
    flow = processes.steps(subject=review)
    if flow.instance_id is None:  # opened before the reviews ran on the engine
        apply_review_outcome(actor, review, text)
    elif not flow.open_steps:
        raise ValidationError({"outcome": _("The review's process is not waiting for anyone.")})
    else:
        processes.act(actor=actor, subject=review, step_key=flow.open_steps[0].key, action="complete",
                          note=text, data={"review_outcome": text})
    return DisciplineReview.objects.select_related("employee", "rule").get(pk=review.pk)


def apply_review_outcome(actor: Any, review: DisciplineReview, text: str) -> None:
    """The review's outcome, when its process ends (the engine's action) — or at once for an old review."""
    if not review.is_open:
        return
    review.outcome = (text or _("Closed"))[:500]
    review.save(update_fields=["outcome"])
    evidence.record(review.company_id, actor, "discipline.review_closed", review, employee=review.employee_id,
                    data={"title": review.rule.name if review.rule else "", "outcome": review.outcome,
                          "violations": review.violation_ids})
