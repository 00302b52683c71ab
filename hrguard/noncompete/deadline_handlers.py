"""Durable timers of the non-compete follow-up (imported at start-up by ``DeadlinesConfig.ready``): remind
finance/HR before a due date, warn when a month stays unpaid (SPC (I) Art. 38: 3 months unpaid lets the
former employee cancel), ask the former employee for proof, end the agreement after its term."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.core.roles import Role
from hrguard.deadlines.services import handler
from hrguard.evidence import services as evidence
from hrguard.law import noncompete as law
from hrguard.notify import services as notify

from . import proofs, schedule
from .models import Agreement, AgreementState, Month, MonthState

MAX_RECIPIENTS = 20


def _month(deadline: Any) -> Month | None:
    return (Month.objects.select_for_update(of=("self",)).select_related("agreement", "agreement__employee")
            .filter(pk=int(deadline.payload.get("month") or deadline.subject_id)).first())


def _payers(agreement: Agreement) -> list[User]:
    """Who pays: finance, and HR who started the follow-up (HR of the company when nobody did)."""
    users = list(User.objects.filter(company_id=agreement.company_id, role=Role.FINANCE, is_active=True)
                 .order_by("pk")[:MAX_RECIPIENTS])
    hr = agreement.created_by if agreement.created_by_id and agreement.created_by.is_active else None
    if hr is None:
        hr = User.objects.filter(company_id=agreement.company_id, role=Role.HR, is_active=True).order_by("pk").first()
    return users + ([hr] if hr is not None else [])


def _tell(agreement: Agreement, key: str, subject: str, body: str) -> None:
    for user in _payers(agreement):
        notify.enqueue(agreement.company_id, recipient=user, channels=["inapp"], subject=subject, body=body,
                       idempotency_key=f"{key}:{user.pk}", link=reverse("noncompete:detail", args=[agreement.pk]),
                       about=agreement, employee=agreement.employee, purpose="noncompete.payment",
                       if_unreachable="record")


@handler(schedule.ACTION_REMIND)
def remind_payment(deadline: Any) -> None:
    month = _month(deadline)
    if month is None or month.state != MonthState.DUE or month.agreement.state != AgreementState.ACTIVE:
        return
    _tell(month.agreement, deadline.key, _("Non-compete compensation due on %(date)s") % {
        "date": f"{month.due_date:%Y-%m-%d}"},
        _("%(name)s: month %(seq)d, %(amount)s yuan.") % {"name": month.agreement.employee.name, "seq": month.seq,
                                                           "amount": month.amount})


@handler(schedule.ACTION_OVERDUE)
def payment_overdue(deadline: Any) -> None:
    month = _month(deadline)
    if month is None or month.state != MonthState.DUE:
        return
    agreement = month.agreement
    unpaid = len(schedule.unpaid_months(list(agreement.months.all()), timezone.localdate()))
    may_cancel = law.employee_may_cancel(unpaid)
    evidence.record(agreement.company_id, None, "noncompete.payment_overdue", month, employee=agreement.employee_id,
                    data={"agreement": agreement.pk, "month": month.seq, "unpaid_months": unpaid,
                          "employee_may_cancel": may_cancel, "citation": law.SPC_I_38.zh})
    body = _("%(name)s: %(n)d months of compensation unpaid.") % {"name": agreement.employee.name, "n": unpaid}
    if may_cancel:
        body += " " + _("The former employee may now cancel the non-compete (%(law)s).") % {"law": law.SPC_I_38.zh}
    _tell(agreement, deadline.key, _("Non-compete compensation unpaid"), body)


@handler(schedule.ACTION_PROOF)
def request_proof(deadline: Any) -> None:
    month = _month(deadline)
    if month is not None:
        proofs.issue_request(month)


@handler(schedule.ACTION_END)
def end_term(deadline: Any) -> None:
    agreement = (Agreement.objects.select_for_update(of=("self",))
                 .filter(pk=int(deadline.payload.get("agreement") or deadline.subject_id)).first())
    if agreement is None or agreement.state != AgreementState.ACTIVE:
        return
    agreement.state = AgreementState.ENDED
    agreement.save(update_fields=["state"])
    evidence.record(agreement.company_id, None, "noncompete.ended", agreement, employee=agreement.employee_id,
                    data={"end_date": agreement.end_date})
