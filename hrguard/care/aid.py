"""应急借款: interest-free emergency loans up to the company's limit (``CareSettings.aid_limit``, default
50,000 — a company setting, not law). Applied for by the employee or by HR on their behalf; approved on
the engine (template ``care.aid_loan``: HR, then finance); paid out, scheduled and repaid as finance
records. The balance is the exit-clearance fact ``aid_outstanding`` (``process_hooks.py``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require
from hrguard.records.inputs import Errors
from hrguard.workflows import services as workflows

from .models import AidInstallment, AidLoan, AidRepayment, AidStatus
from .services import aid_limit

TEMPLATE = "care.aid_loan"
MAX_INSTALLMENTS = 60
OPEN = (AidStatus.SUBMITTED, AidStatus.APPROVED, AidStatus.DISBURSED)


def money(value: Decimal) -> str:
    return f"{value:,.2f}".removesuffix(".00")


@transaction.atomic
def apply(*, actor: User, employee: Employee, amount: Any, reason: Any) -> AidLoan:
    require(actor, "care.apply_aid", employee)
    errors = Errors()
    principal = errors.amount(amount, "amount")
    text = errors.text(reason, "reason", max_length=2000, required=True)
    limit = aid_limit(employee.company_id)
    if principal is not None:
        open_total = (AidLoan.objects.filter(company_id=employee.company_id, employee=employee, status__in=OPEN)
                      .aggregate(s=Sum("principal"))["s"] or Decimal(0))
        open_repaid = (AidLoan.objects.filter(company_id=employee.company_id, employee=employee, status__in=OPEN)
                       .aggregate(s=Sum("repaid"))["s"] or Decimal(0))
        owed = open_total - open_repaid
        if principal + owed > limit:
            errors.add("amount", _("Over the company's emergency aid limit of ¥%(limit)s (already open: "
                                   "¥%(owed)s).") % {"limit": money(limit), "owed": money(owed)})
    errors.raise_if_any()
    assert principal is not None
    loan = AidLoan.objects.create(company_id=employee.company_id, employee=employee, principal=principal,
                                  reason=text, by_employee=employee.user_id == actor.pk, created_by=actor)
    evidence.record(employee.company_id, actor, "care.aid_applied", loan, employee=employee,
                    data={"title": _("Emergency aid #%(n)s") % {"n": loan.pk}, "amount": principal,
                          "by_employee": loan.by_employee})
    workflows.start(actor=actor, company=employee.company, template_key=TEMPLATE, subject=loan,
                    subject_employee=employee,
                    title=(_("Emergency aid #%(n)s for %(name)s: ¥%(amount)s")
                           % {"n": loan.pk, "name": employee.name, "amount": money(principal)})[:200])
    return loan


def apply_outcome(*, loan_id: int, outcome: str, actor: User | None, note: str = "") -> AidLoan:
    """The engine's action at the end of the approval (inside its transaction)."""
    loan = AidLoan.objects.select_for_update().get(pk=loan_id)
    if loan.status != AidStatus.SUBMITTED:
        return loan
    loan.status = {"approved": AidStatus.APPROVED, "rejected": AidStatus.REJECTED,
                   "cancelled": AidStatus.CANCELLED}[outcome]
    loan.save(update_fields=["status"])
    evidence.record(loan.company_id, actor, f"care.aid_{outcome}", loan, employee=loan.employee_id,
                    data={"amount": loan.principal, "note": note})
    return loan


def _locked(loan: AidLoan | int) -> AidLoan:
    pk = loan if isinstance(loan, int) else loan.pk
    return AidLoan.objects.select_for_update().select_related("employee").get(pk=pk)


@transaction.atomic
def disburse(*, actor: User, loan: AidLoan, paid_on: Any) -> AidLoan:
    loan = _locked(loan)
    require(actor, "care.pay_aid", loan)
    errors = Errors()
    day = errors.date(paid_on, "paid_on")
    if loan.status != AidStatus.APPROVED:
        errors.add("status", _("Only an approved loan can be paid out (now: %(s)s).") % {
            "s": loan.get_status_display()})
    errors.raise_if_any()
    loan.status, loan.disbursed_on, loan.disbursed_by = AidStatus.DISBURSED, day, actor
    loan.save(update_fields=["status", "disbursed_on", "disbursed_by"])
    evidence.record(loan.company_id, actor, "care.aid_disbursed", loan, employee=loan.employee_id,
                    data={"amount": loan.principal, "paid_on": day})
    return loan


@transaction.atomic
def set_schedule(*, actor: User, loan: AidLoan, installments: list[dict[str, Any]]) -> list[AidInstallment]:
    """The repayment schedule: installments that add up to the principal exactly (refused otherwise,
    naming the difference). Replaces the previous schedule."""
    loan = _locked(loan)
    require(actor, "care.schedule_aid", loan)
    errors = Errors()
    rows: list[tuple[Any, Decimal]] = []
    if not installments:
        errors.add("installments", _("Add at least one installment."))
    if len(installments) > MAX_INSTALLMENTS:
        errors.add("installments", _("At most %(n)d installments.") % {"n": MAX_INSTALLMENTS})
    for i, item in enumerate(installments[:MAX_INSTALLMENTS], start=1):
        day = errors.date(item.get("due_on"), f"installments.{i}.due_on")
        amount = errors.amount(item.get("amount"), f"installments.{i}.amount")
        if day and amount:
            rows.append((day, amount))
    if loan.status in (AidStatus.REJECTED, AidStatus.CANCELLED, AidStatus.REPAID):
        errors.add("status", _("The loan is %(s)s.") % {"s": loan.get_status_display()})
    if not errors:
        total = sum((a for _d, a in rows), Decimal(0))
        if total != loan.principal:
            diff = total - loan.principal
            errors.add("installments", (
                _("The installments add up to ¥%(total)s, ¥%(diff)s more than the loan of ¥%(p)s.") if diff > 0
                else _("The installments add up to ¥%(total)s, ¥%(diff)s less than the loan of ¥%(p)s."))
                % {"total": money(total), "diff": money(abs(diff)), "p": money(loan.principal)})
    errors.raise_if_any()
    AidInstallment.objects.filter(loan=loan).delete()
    made = AidInstallment.objects.bulk_create([
        AidInstallment(company_id=loan.company_id, loan=loan, due_on=d, amount=a) for d, a in sorted(rows)])
    evidence.record(loan.company_id, actor, "care.aid_scheduled", loan, employee=loan.employee_id,
                    data={"installments": [{"due_on": d, "amount": a} for d, a in sorted(rows)]})
    return made


@transaction.atomic
def repay(*, actor: User, loan: AidLoan, amount: Any, paid_on: Any, note: Any = "") -> AidRepayment:
    loan = _locked(loan)
    require(actor, "care.pay_aid", loan)
    errors = Errors()
    value = errors.amount(amount, "amount")
    day = errors.date(paid_on, "paid_on")
    text = errors.text(note, "note", max_length=300)
    if loan.status != AidStatus.DISBURSED:
        errors.add("status", _("Only a loan paid out and not yet repaid takes repayments."))
    elif value is not None and value > loan.balance:
        errors.add("amount", _("More than the balance of ¥%(b)s.") % {"b": money(loan.balance)})
    if day and day > timezone.localdate():
        errors.add("paid_on", _("The date is in the future."))
    errors.raise_if_any()
    assert value is not None
    repayment = AidRepayment.objects.create(company_id=loan.company_id, loan=loan, amount=value, paid_on=day,
                                            note=text, created_by=actor)
    loan.repaid += value
    if loan.repaid == loan.principal:
        loan.status = AidStatus.REPAID
    loan.save(update_fields=["repaid", "status"])
    evidence.record(loan.company_id, actor, "care.aid_repaid", loan, employee=loan.employee_id,
                    data={"amount": value, "paid_on": day, "balance": loan.balance, "note": text})
    return repayment


def cancel(*, actor: User, loan: AidLoan) -> AidLoan:
    """Withdrawn by the borrower before anyone decided: the process is cancelled (its action sets the
    status)."""
    from hrguard.workflows.selectors import instance_for

    loan = _locked(loan)
    require(actor, "care.apply_aid", loan.employee)
    instance = instance_for(subject=loan)
    if loan.status != AidStatus.SUBMITTED or instance is None:
        raise ValidationError({"status": _("Only a loan still in approval can be withdrawn.")})
    workflows.cancel(actor=actor, instance_id=instance.pk, reason=_("Withdrawn by the applicant."))
    return AidLoan.objects.get(pk=loan.pk)
