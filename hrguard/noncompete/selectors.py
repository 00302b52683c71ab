"""Tenant-scoped reads of the non-compete follow-up: the list (a fixed number of queries whatever the count),
one agreement with its schedule, proofs and findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404

from hrguard.law import noncompete as law

from . import schedule
from .models import Agreement, AgreementState, Finding, Month, MonthState, Proof


def agreements_for(user: Any, state: str = "") -> QuerySet[Agreement]:
    if not user.has_perm("noncompete.view_list"):
        return Agreement.objects.none()
    qs = Agreement.objects.filter(company_id=user.company_id).exclude(employee__user_id=user.pk)
    if state:
        qs = qs.filter(state=state)
    return qs


def list_rows(user: Any, *, today: dt.date, state: str = "", limit: int = 200) -> list[Agreement]:
    """Agreements with ``paid``, ``unpaid`` (due date passed, not fully paid), ``next_due``: one query."""
    return list(list_queryset(user, today=today, state=state)[:limit])


def list_queryset(user: Any, *, today: dt.date, state: str = "") -> QuerySet[Agreement]:
    return (
        agreements_for(user, state).select_related("employee", "employee__department")
        .annotate(paid=Count("months", filter=Q(months__state=MonthState.PAID)),
                  unpaid=Count("months", filter=Q(months__state=MonthState.DUE, months__due_date__lt=today)),
                  next_due=Min("months__due_date", filter=Q(months__state=MonthState.DUE,
                                                            months__due_date__gte=today)))
        .order_by("state", "-created_at", "-id"))


@dataclass
class AgreementDetail:
    agreement: Agreement
    months: list[Month]
    proofs: dict[int, list[Proof]]
    findings: list[Finding]
    unpaid: list[Month] = field(default_factory=list)
    paid_total: Decimal = Decimal("0")

    @property
    def employee_may_cancel(self) -> bool:
        return law.employee_may_cancel(len(self.unpaid))

    @property
    def release_payment(self) -> Decimal | None:
        a = self.agreement
        if a.monthly_compensation is None:
            return None
        return law.cancellation_extra(a.monthly_compensation)


def agreement_for(user: Any, pk: Any) -> Agreement:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    row = agreements_for(user).select_related("employee", "employee__position", "employee__department",
                                              "exit").filter(pk=key).first()
    if row is None or not user.has_perm("noncompete.view", row):
        raise Http404
    return row


def agreement_detail(user: Any, pk: Any, *, today: dt.date) -> AgreementDetail:
    agreement = agreement_for(user, pk)
    months = list(Month.objects.filter(company_id=agreement.company_id, agreement=agreement).order_by("seq"))
    proofs: dict[int, list[Proof]] = {}
    for p in Proof.objects.filter(company_id=agreement.company_id, month__agreement=agreement).defer(
            "content").order_by("uploaded_at", "id"):
        proofs.setdefault(p.month_id, []).append(p)
    for m in months:
        m.proof_list = proofs.get(m.pk, [])  # type: ignore[attr-defined]
    findings = list(Finding.objects.filter(company_id=agreement.company_id, agreement=agreement).defer("content")
                    .select_related("recorded_by"))
    paid = sum((m.paid_amount or Decimal(0) for m in months if m.paid_amount is not None), Decimal(0))
    return AgreementDetail(agreement, months, proofs, findings, schedule.unpaid_months(months, today), paid)


def offer_for_exit(user: Any, exit_id: int) -> Agreement | None:
    return agreements_for(user).filter(exit_id=exit_id).first()


def proof_file(user: Any, proof_id: Any) -> Proof:
    try:
        key = int(proof_id)
    except (TypeError, ValueError):
        raise Http404 from None
    proof = Proof.objects.select_related("month__agreement").filter(company_id=user.company_id, pk=key).first()
    if proof is None or not user.has_perm("noncompete.view", proof.month.agreement):
        raise Http404
    return proof


def finding_file(user: Any, finding_id: Any) -> Finding:
    try:
        key = int(finding_id)
    except (TypeError, ValueError):
        raise Http404 from None
    finding = Finding.objects.select_related("agreement").filter(company_id=user.company_id, pk=key).first()
    if finding is None or not finding.content or not user.has_perm("noncompete.view", finding.agreement):
        raise Http404
    return finding


def live_states() -> list[str]:
    return [AgreementState.ACTIVE, AgreementState.ENDED]
