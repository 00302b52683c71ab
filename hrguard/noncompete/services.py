"""State changes of the non-compete follow-up. Keyword-only, one transaction, permission checked, an evidence
event in the same transaction, notifications through the outbox. Every number comes from
``hrguard.law.noncompete`` (LCL Art. 23–24, SPC Interpretation (I) Art. 36–39)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrguard.calculators import services as calculators
from hrguard.core import wages as city_wages
from hrguard.core.validation import clean_plain_text
from hrguard.evidence import services as evidence
from hrguard.law import noncompete as law
from hrguard.law.citations import Violation
from hrguard.people.models import EmployeeStatus
from hrguard.platform.errors import require

from . import schedule
from .models import Agreement, AgreementState, EligibleRole, Month, MonthState
from .offers import eligibility_of

MAX_MONEY = Decimal("10000000")


def law_text(v: Violation) -> str:
    return v.message_zh if (get_language() or "zh").startswith("zh") else v.message_en


def locked_agreement(actor: Any, agreement_id: Any) -> Agreement:
    try:
        pk = int(agreement_id)
    except (TypeError, ValueError):
        raise Http404 from None
    row = (Agreement.objects.select_for_update(of=("self",)).select_related("employee", "employee__position")
           .filter(company_id=actor.company_id, pk=pk).first())
    if row is None:
        raise Http404
    return row


def money(value: Any, field: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: [_("Enter an amount.")]})
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("Enter an amount in yuan, e.g. 3000.00.")]}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_MONEY or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: [_("Enter an amount in yuan, e.g. 3000.00.")]})
    return amount


def _terms(actor: Any, employee: Any, *, term_months: Any, monthly_compensation: Any, role: str,
           last_day: dt.date) -> dict[str, Any]:
    """Validate the term, the role and the compensation against the law; the fields to save."""
    errors: dict[str, list[str]] = {}
    try:
        months = int(term_months)
    except (TypeError, ValueError):
        months = 0
    if role not in EligibleRole.values:
        errors["role"] = [_("Choose the employee's role under LCL Art. 24.")]
        role = EligibleRole.OTHER
    check = law.validate_noncompete(role, months)
    for v in check.violations:
        errors.setdefault("role" if v.code == "noncompete.role" else "term_months", []).append(law_text(v))
    agreed = money(monthly_compensation, "monthly_compensation", required=False)
    minimum = city_wages.minimum_monthly_wage(actor.company_id, on=last_day)
    out: dict[str, Any] = {"term_months": months, "minimum_wage": minimum, "compensation_is_default": agreed is None}
    if agreed is not None:
        low = law.check_agreed_compensation(agreed, minimum)
        if low is not None:
            errors.setdefault("monthly_compensation", []).append(law_text(low))
        out["monthly_compensation"] = agreed
    if errors:
        raise ValidationError(errors)
    if agreed is None:
        answer = calculators.compute_noncompete(actor=actor, months=months, employee=employee, end_date=last_day,
                                                minimum_wage=minimum)
        out["monthly_compensation"] = answer.figures["monthly"]
        out["average_wage"] = answer.figures.get("average_monthly_wage")
    return out


def _eligible_role(agreement: Agreement, role: str, reason: str) -> tuple[str, str]:
    """Eligibility is the position's confidentiality flag, or a role set by HR with a reason."""
    role = role or (EligibleRole.CONFIDENTIALITY if agreement.by_position else "")
    if not agreement.by_position and role and role != EligibleRole.OTHER and not reason:
        raise ValidationError({"eligibility_reason": [
            _("The position carries no confidentiality duty: say why this employee is bound (LCL Art. 24).")]})
    return role, reason


@transaction.atomic
def start_agreement(*, actor: Any, agreement_id: Any = None, employee: Any = None, term_months: Any,
                    region: str, scope: str, monthly_compensation: Any = None, role: str = "",
                    eligibility_reason: str = "", liquidated_damages: Any = None) -> Agreement:
    """Start the follow-up: from the offer an exit made (``agreement_id``) or by hand for a former
    ``employee``. Start = the day after the last working day; the monthly schedule and its deadlines follow."""
    if agreement_id is not None:
        agreement = locked_agreement(actor, agreement_id)
        require(actor, "noncompete.manage", agreement)
        if agreement.state != AgreementState.OFFERED:
            raise ValidationError({"state": [_("This follow-up has already been decided.")]})
    else:
        if employee is None or employee.company_id != actor.company_id:
            raise Http404
        require(actor, "noncompete.manage", employee)
        if employee.status != EmployeeStatus.LEFT or employee.termination_date is None:
            raise ValidationError({"employee": [_("Only a former employee with a termination date can be followed.")]})
        if Agreement.objects.filter(company_id=actor.company_id, employee=employee,
                                    state__in=[AgreementState.OFFERED, AgreementState.ACTIVE]).exists():
            raise ValidationError({"employee": [_("This former employee already has a non-compete follow-up.")]})
        found = eligibility_of(employee)
        agreement = Agreement(company_id=actor.company_id, employee=employee, by_position=found.by_position,
                              clause_title=found.clause_title[:200], last_day=employee.termination_date)
    reason = clean_plain_text(eligibility_reason, "eligibility_reason", max_length=300)
    role, reason = _eligible_role(agreement, role, reason)
    region_text = clean_plain_text(region, "region", max_length=200, required=True)
    scope_text = clean_plain_text(scope, "scope", max_length=500, required=True)
    damages = money(liquidated_damages, "liquidated_damages", required=False)
    last_day = agreement.last_day or agreement.employee.termination_date
    if last_day is None:
        raise ValidationError({"employee": [_("Only a former employee with a termination date can be followed.")]})
    terms = _terms(actor, agreement.employee, term_months=term_months, monthly_compensation=monthly_compensation,
                   role=role, last_day=last_day)
    start = last_day + dt.timedelta(days=1)
    for name, value in {**terms, "role": role, "eligibility_reason": reason, "region": region_text,
                        "scope": scope_text, "liquidated_damages": damages, "last_day": last_day,
                        "start_date": start, "end_date": schedule.term_end(start, terms["term_months"]),
                        "state": AgreementState.ACTIVE, "started_at": timezone.now()}.items():
        setattr(agreement, name, value)
    if agreement.pk is None:
        agreement.created_by = actor
    agreement.save()
    months = schedule.build(agreement)
    evidence.record(actor.company_id, actor, "noncompete.started", agreement, employee=agreement.employee, data={
        "role": role, "eligibility_reason": reason, "by_position": agreement.by_position,
        "term_months": agreement.term_months, "start_date": start, "end_date": agreement.end_date,
        "region": region_text, "scope": scope_text, "monthly_compensation": str(agreement.monthly_compensation),
        "compensation_is_default": agreement.compensation_is_default, "months": len(months),
        "liquidated_damages": str(damages) if damages is not None else None,
        "citations": [law.ART_24.zh, law.SPC_I_36.zh]})
    return agreement


@transaction.atomic
def decline_offer(*, actor: Any, agreement_id: Any, reason: str) -> Agreement:
    agreement = locked_agreement(actor, agreement_id)
    require(actor, "noncompete.manage", agreement)
    if agreement.state != AgreementState.OFFERED:
        raise ValidationError({"state": [_("This follow-up has already been decided.")]})
    agreement.declined_reason = clean_plain_text(reason, "reason", max_length=300, required=True)
    agreement.state = AgreementState.DECLINED
    agreement.save(update_fields=["declined_reason", "state"])
    evidence.record(actor.company_id, actor, "noncompete.declined", agreement, employee=agreement.employee_id,
                    data={"reason": agreement.declined_reason})
    return agreement


@transaction.atomic
def record_payment(*, actor: Any, month_id: Any, paid_on: dt.date, amount: Any) -> Month:
    """Finance/HR record the compensation paid for one month; a full payment cancels its reminders."""
    try:
        pk = int(month_id)
    except (TypeError, ValueError):
        raise Http404 from None
    month = (Month.objects.select_for_update(of=("self",)).select_related("agreement", "agreement__employee")
             .filter(company_id=actor.company_id, pk=pk).first())
    if month is None:
        raise Http404
    require(actor, "noncompete.record_payment", month.agreement)
    if month.state == MonthState.CANCELLED:
        raise ValidationError({"month": [_("This month was cancelled by the release.")]})
    paid = money(amount, "amount")
    if not isinstance(paid_on, dt.date) or paid_on > timezone.localdate():
        raise ValidationError({"paid_on": [_("Enter the date it was paid (not in the future).")]})
    month.paid_on, month.paid_amount, month.paid_by = paid_on, paid, actor
    if paid is not None and paid >= month.amount:
        month.state = MonthState.PAID
        schedule.cancel_payment_reminders(month)
    month.save(update_fields=["paid_on", "paid_amount", "paid_by", "state"])
    evidence.record(actor.company_id, actor, "noncompete.payment_recorded", month,
                    employee=month.agreement.employee_id, data={
                        "agreement": month.agreement_id, "month": month.seq, "due": str(month.amount),
                        "paid": str(paid), "paid_on": paid_on, "state": month.state})
    return month
