"""Exits: starting one (HR, or the employee's own resignation in self-service), withdrawing it, rehire
eligibility. Each service: keyword-only, one transaction, a permission check, validation against the law
(``grounds``), evidence in the same transaction, messages through the outbox. Items, the interview and the
conversation have their own modules (``items``, ``interviews``, ``threads``); the end of the employment
and the completion of the exit are in ``completion``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.core.validation import MAX_YEAR, MIN_YEAR, clean_plain_text
from hrguard.deadlines import services as deadlines
from hrguard.evidence import services as evidence
from hrguard.law.termination import Ground, Protection
from hrguard.leave import selectors as leave_selectors
from hrguard.notify import services as notify
from hrguard.people import selectors as people_selectors
from hrguard.people import services as people
from hrguard.people.models import ContractStatus, ContractType, Employee, EmployeeStatus
from hrguard.people.scope import scope_of
from hrguard.platform.errors import require
from hrguard.workflows import services as engine

from . import duties, grounds, items, processes, signals
from .models import Exit, ExitKind, ExitState

END_ACTION = "offboarding.employment_ends"
MAX_REASON = 2000


def end_key(exit_: Exit) -> str:
    return f"offboarding.end:{exit_.pk}"


def _date(value: Any, field: str, errors: dict[str, list[str]], required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            errors.setdefault(field, []).append(_("Enter a date as YYYY-MM-DD."))
            return None
    if not MIN_YEAR <= value.year <= MAX_YEAR:  # the notice period and the end deadline are added to it
        errors.setdefault(field, []).append(_("This date is out of range (%(start)s to %(end)s).") % {
            "start": f"{MIN_YEAR}-01-01", "end": f"{MAX_YEAR}-12-31"})
        return None
    return value


def _text(value: Any, field: str, errors: dict[str, list[str]], max_length: int) -> str:
    try:
        return clean_plain_text(value, field, max_length=max_length)
    except ValidationError as exc:
        for msgs in exc.message_dict.values():
            errors.setdefault(field, []).extend(msgs)
        return ""


def _live_contract(employee: Employee) -> Any:
    contracts = [c for c in people_selectors.contracts_of(employee) if c.status == ContractStatus.ACTIVE]
    return max(contracts, key=lambda c: c.start_date, default=None)


def _in_probation(employee: Employee, contract: Any, on: dt.date) -> bool:
    if contract is not None and contract.probation_end_date is not None:
        return on <= contract.probation_end_date
    return employee.status == EmployeeStatus.PROBATION


def _found_protections(actor: User, employee: Employee, on: dt.date) -> set[Protection]:
    """Art. 42 situations the records show on the notice date: approved sick leave (medical period) or
    maternity leave. HR declares the others (occupational disease, pregnancy, long service)."""
    found: set[Protection] = set()
    rows = leave_selectors.requests(actor, employee_id=employee.pk, status="approved").filter(
        start_date__lte=on, end_date__gte=on, leave_type__in=("sick", "maternity"))
    for leave_type in rows.values_list("leave_type", flat=True):
        found.add(Protection.MEDICAL_PERIOD if leave_type == "sick" else Protection.PREGNANCY_MATERNITY_NURSING)
    return found


def _check_employee(employee: Employee, errors: dict[str, list[str]]) -> None:
    if employee.status == EmployeeStatus.LEFT:
        errors.setdefault("employee", []).append(_(
            "%(name)s has already left. A former employee who comes back is rehired first (a new employment, "
            "the old exit kept).") % {"name": employee.name})
    elif employee.status == EmployeeStatus.PENDING:
        errors.setdefault("employee", []).append(_("%(name)s has not started work yet.") % {"name": employee.name})
    dup = Exit.objects.filter(company_id=employee.company_id, employee=employee,
                              employment_start=employee.hire_date).exclude(state=ExitState.CANCELLED).first()
    if dup is not None:
        errors.setdefault("employee", []).append(_(
            "This employment already has an exit (#%(id)d, %(state)s); withdraw it before starting another.")
            % {"id": dup.pk, "state": dup.get_state_display()})


@transaction.atomic
def start_exit(
    *, actor: User, employee: Employee, kind: str, notice_date: Any, last_day: Any = None, ground: str = "",
    persuasion: bool = False, pay_in_lieu: bool = False, reason: str = "", protections: Iterable[str] = (),
    union_notified_on: Any = None, union_note: str = "", variant: str = "",
) -> Exit:
    """HR starts an exit of any kind; refused (nothing written) when the law forbids it, naming the article."""
    if employee.company_id != actor.company_id:
        raise Http404(_("No such employee."))
    require(actor, "offboarding.start_exit", employee)
    return _create(actor=actor, employee=employee, kind=kind, ground=ground, notice_date=notice_date,
                   last_day=last_day, persuasion=persuasion, pay_in_lieu=pay_in_lieu, reason=reason,
                   protections=protections, union_notified_on=union_notified_on, union_note=union_note,
                   variant=variant, by_employee=False)


@transaction.atomic
def submit_resignation(*, actor: User, notice_date: Any, last_day: Any = None, reason: str = "") -> Exit:
    """员工自助 离职申请: the employee gives written notice (LCL Art. 37). The company cannot refuse it; the
    last day is 30 days after the notice (3 in probation) unless the employee names a later one."""
    employee_id = scope_of(actor).employee_id
    employee = people_selectors.employee_detail(actor, employee_id) if employee_id else None
    if employee is None:
        raise PermissionDenied(_("Only an employee with a personnel record can resign here."))
    return _create(actor=actor, employee=employee, kind=ExitKind.RESIGNATION, ground=Ground.RESIGNATION,
                   notice_date=notice_date, last_day=last_day, persuasion=False, pay_in_lieu=False, reason=reason,
                   protections=(), union_notified_on=None, union_note="", variant="", by_employee=True)


def _create(*, actor: User, employee: Employee, kind: str, ground: str, notice_date: Any, last_day: Any,
            persuasion: bool, pay_in_lieu: bool, reason: str, protections: Iterable[str], union_notified_on: Any,
            union_note: str, variant: str, by_employee: bool) -> Exit:
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    errors: dict[str, list[str]] = {}
    notice = _date(notice_date, "notice_date", errors)
    last = _date(last_day, "last_day", errors, required=False)
    union_on = _date(union_notified_on, "union_notified_on", errors, required=False)
    reason = _text(reason, "reason", errors, MAX_REASON)
    union_note = _text(union_note, "union_note", errors, 300)
    if variant not in processes.VARIANTS:
        errors.setdefault("variant", []).append(_("Unknown exit process variant."))
    declared, bad = grounds.protections_from(protections)
    if bad:
        errors.setdefault("protections", []).append(_("Unknown protected situation: %(v)s") % {"v": "、".join(bad)})
    _check_employee(employee, errors)
    if notice is not None and notice < employee.hire_date:
        errors.setdefault("notice_date", []).append(_("The notice date is before the hire date."))
    if errors:
        raise ValidationError(errors)
    assert notice is not None
    contract = _live_contract(employee)
    facts = grounds.Facts(
        in_probation=_in_probation(employee, contract, notice),
        protections=declared | _found_protections(actor, employee, notice),
        contract_end=contract.end_date if contract is not None else None,
        open_ended=contract is not None and contract.contract_type == ContractType.OPEN_ENDED)
    plan, errors = grounds.plan(kind=kind, ground=ground, persuasion=persuasion, pay_in_lieu=pay_in_lieu,
                                notice_date=notice, last_day=last or dt.date.max, facts=facts,
                                union_notified_on=union_on)
    if plan is not None and last is None:
        last = plan.earliest_last_day
    if plan is None:
        raise ValidationError(errors)
    assert last is not None
    exit_ = Exit.objects.create(
        company_id=employee.company_id, employee=employee, contract=contract, employment_start=employee.hire_date,
        kind=kind, ground=plan.ground.value, persuasion=persuasion, pay_in_lieu=pay_in_lieu,
        in_probation=facts.in_probation, notice_date=notice, earliest_last_day=plan.earliest_last_day,
        last_day=last, reason=reason, protections=sorted(p.value for p in facts.protections),
        union_notified_on=union_on, union_note=union_note, template_key=processes.VARIANTS[variant],
        submitted_by_employee=by_employee, previous_status=employee.status, created_by=actor)
    evidence.record(exit_.company_id, actor, "offboarding.exit_started", exit_, employee=employee, data={
        "kind": kind, "ground": exit_.ground, "persuasion": persuasion, "pay_in_lieu": pay_in_lieu,
        "notice_date": notice, "earliest_last_day": plan.earliest_last_day, "last_day": last,
        "in_probation": facts.in_probation, "protections": exit_.protections, "union_notified_on": union_on,
        "self_service": by_employee, "reason": reason})
    people.set_exit_status(employee=employee, status=EmployeeStatus.LEAVING, effective_date=notice, actor=actor,
                           note=_("Exit #%(id)d started") % {"id": exit_.pk})
    _schedule_end(exit_)
    duties.create_for(exit_)
    items.generate(exit_, actor=actor)
    _start_process(exit_, actor=None if by_employee else actor)
    _acknowledge(exit_, actor)
    signals.exit_started_tx.send(Exit, exit=exit_, company_id=exit_.company_id, actor=actor)
    return exit_


def _schedule_end(exit_: Exit) -> None:
    """The employment ends after the last day whatever the state of the process (a gate never moves it)."""
    tz = timezone.get_current_timezone()
    due = dt.datetime.combine(exit_.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    deadlines.schedule(exit_.company_id, end_key(exit_), END_ACTION, exit_, due, {"exit": exit_.pk})


def _start_process(exit_: Exit, *, actor: User | None) -> None:
    employee = exit_.employee
    instance = engine.start(
        actor=actor, company=employee.company, template_key=exit_.template_key, subject=exit_,
        subject_employee=employee, context={"exit": exit_.pk, "last_day": exit_.last_day.isoformat()},
        title=_("Exit of %(name)s") % {"name": employee.name})
    exit_.process = instance
    exit_.save(update_fields=["process"])


def _acknowledge(exit_: Exit, actor: User) -> None:
    """Tell the employee, in writing, what was recorded and when the employment ends (kept as evidence)."""
    employee = exit_.employee
    if not employee.user_id:
        return
    body = _("Your exit was recorded: notice given on %(notice)s, last working day %(last)s (%(ground)s).") % {
        "notice": exit_.notice_date.isoformat(), "last": exit_.last_day.isoformat(),
        "ground": grounds.ground_label(exit_.ground)}
    if exit_.ground == Ground.RESIGNATION:
        body += " " + _("The company cannot refuse a resignation (LCL Art. 37).")
    notify.enqueue(exit_.company_id, recipient=employee.user, channels=["inapp"], subject=_("Exit recorded"),
                   body=body, idempotency_key=f"offboarding.ack:{exit_.pk}", about=exit_, employee=employee,
                   purpose="offboarding.ack", actor=actor, if_unreachable="record")


def locked_exit(actor: User | None, exit_id: Any) -> Exit:
    try:
        pk = int(exit_id)
    except (TypeError, ValueError):
        raise Http404(_("No such exit.")) from None
    qs = Exit.objects.select_for_update(of=("self",)).select_related("employee", "process")
    if actor is not None:
        qs = qs.filter(company_id=actor.company_id)
    found = qs.filter(pk=pk).first()
    if found is None or (actor is not None and not actor.has_perm("offboarding.view_exit", found)):
        raise Http404(_("No such exit."))
    return found


@transaction.atomic
def cancel_exit(*, actor: User, exit_id: Any, reason: str) -> Exit:
    """Withdraw an exit (e.g. the employee takes the resignation back and the company agrees) before the
    employment has ended; the process is cancelled and the employee's status restored."""
    exit_ = locked_exit(actor, exit_id)
    require(actor, "offboarding.manage_exit", exit_)
    text = clean_plain_text(reason, "reason", max_length=300, required=True)
    if exit_.state != ExitState.OPEN:
        raise ValidationError(_("This exit is no longer in progress; nothing was changed."), code="closed")
    if exit_.employment_ended:
        raise ValidationError(_("The employment has already ended; a return is a rehire (a new employment)."),
                              code="ended")
    exit_.state, exit_.cancelled_reason = ExitState.CANCELLED, text
    exit_.save(update_fields=["state", "cancelled_reason"])
    deadlines.cancel(end_key(exit_))
    duties.cancel_for(exit_)
    if exit_.process_id and exit_.process.state == "running":
        engine.cancel(actor=None, instance_id=exit_.process_id, reason=text)
    people.set_exit_status(employee=exit_.employee, status=exit_.previous_status or EmployeeStatus.ACTIVE,
                           effective_date=timezone.localdate(), actor=actor,
                           note=_("Exit #%(id)d withdrawn") % {"id": exit_.pk})
    evidence.record(exit_.company_id, actor, "offboarding.exit_cancelled", exit_, employee=exit_.employee,
                    data={"reason": text})
    return exit_


@transaction.atomic
def set_rehire(*, actor: User, exit_id: Any, eligible: bool, reason: str) -> Exit:
    """Rehire eligibility with its reason (kept with the exit, shown when the person applies again)."""
    exit_ = locked_exit(actor, exit_id)
    require(actor, "offboarding.manage_exit", exit_)
    text = clean_plain_text(reason, "rehire_reason", max_length=300, required=True)
    if not isinstance(eligible, bool):
        raise ValidationError({"rehire_eligible": _("Choose yes or no.")})
    exit_.rehire_eligible, exit_.rehire_reason = eligible, text
    exit_.save(update_fields=["rehire_eligible", "rehire_reason"])
    evidence.record(exit_.company_id, actor, "offboarding.rehire_set", exit_, employee=exit_.employee,
                    data={"eligible": eligible, "reason": text})
    return exit_


@transaction.atomic
def restart_process(*, actor: User, exit_id: Any) -> Exit:
    """Start the exit process again after it was cancelled on the engine page: the exit itself stays (a
    resignation still takes effect, the employment still ends on the last day)."""
    exit_ = locked_exit(actor, exit_id)
    require(actor, "offboarding.manage_exit", exit_)
    if exit_.state != ExitState.OPEN:
        raise ValidationError(_("This exit is no longer in progress; nothing was changed."), code="closed")
    if exit_.process_id and exit_.process.state not in ("cancelled", "rejected"):
        raise ValidationError(_("The exit process is still running or has completed; nothing was changed."),
                              code="running")
    previous = exit_.process_id
    _start_process(exit_, actor=actor)
    evidence.record(exit_.company_id, actor, "offboarding.process_restarted", exit_, employee=exit_.employee,
                    data={"previous_process": previous, "process": exit_.process_id})
    return exit_
