"""Reads of offboarding, scoped to the caller's company: the exits dashboard (a constant number of queries
whatever the number of exits), one exit with its steps, gates, items and the law panel, and the employee's
own exits."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.discipline import selectors as discipline
from hrguard.expenses import selectors as expenses
from hrguard.law import termination as law
from hrguard.people.scope import scope_of
from hrguard.workflows import registry
from hrguard.workflows import selectors as engine

from . import duties as duty_clocks
from . import exit_documents, grounds, interviews, threads
from .items import HANDOVER_KINDS, may_confirm, receiver_label
from .models import Exit, ExitDuty, ExitItem, ExitState, ItemKind, ItemState

DASHBOARD_LIMIT = 200
# The facts the exit templates' gates name, in the order the screen lists them.
GATE_FACTS = ("handover_open", "clients_open", "access_open", "open_complaints", "open_violations",
              "advances_outstanding", "claims_pending", "exit_documents_unsigned")


def exits_for(user: User, *, state: str = "") -> QuerySet[Exit]:
    """Exits the user may list: all of the company for HR, legal and compliance; else none (others reach
    an exit from their 工作台 step or, for the employee, their own page)."""
    if not user.is_authenticated or not user.has_perm("offboarding.view_dashboard"):
        return Exit.objects.none()
    qs = Exit.objects.filter(company_id=user.company_id).exclude(employee_id=scope_of(user).employee_id or 0)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("employee", "employee__department", "process")


@dataclass
class Blocker:
    text: str
    url: str = ""


@dataclass
class DutyRow:
    duty: ExitDuty
    days_left: int
    citation: str

    @property
    def overdue(self) -> bool:
        return self.duty.done_on is None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return max(-self.days_left, 0)


def duty_rows(duties: list[ExitDuty], today: dt.date) -> list[DutyRow]:
    zh = grounds.is_zh()
    return [DutyRow(d, (d.due_on - today).days, (duty_clocks.citation_of(d.kind).zh if zh
                                                 else duty_clocks.citation_of(d.kind).en)) for d in duties]


@dataclass
class DashboardRow:
    exit: Exit
    stage: list[str]
    days_to_last_day: int
    transfer_due: dt.date
    blockers: list[Blocker] = field(default_factory=list)
    unsigned: int = 0
    duties: list[DutyRow] = field(default_factory=list)


def _money(amount: Any) -> str:
    amount = Decimal(amount or 0)
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


def _blockers_by_employee(user: User, employee_ids: list[int]) -> dict[int, list[Blocker]]:
    out: dict[int, list[Blocker]] = defaultdict(list)
    for row in (discipline.complaints(user, status="open").filter(employee_id__in=employee_ids).order_by()
                .values("employee_id").annotate(n=Count("id"), loss=Sum("claimed_loss"))):
        out[row["employee_id"]].append(Blocker(_("%(n)d open client complaints — claimed %(loss)s") % {
            "n": row["n"], "loss": _money(row["loss"])}))
    for row in (discipline.violations(user).filter(employee_id__in=employee_ids, decision="").order_by()
                .values("employee_id").annotate(n=Count("id"))):
        out[row["employee_id"]].append(Blocker(_("%(n)d violations not yet decided") % {"n": row["n"]}))
    for row in expenses.outstanding_by_employee(user).filter(employee_id__in=employee_ids):
        out[row["employee_id"]].append(Blocker(_("Advances and loans %(amount)s outstanding") % {
            "amount": _money(row["outstanding"])}))
    return out


def dashboard(user: User, *, today: dt.date | None = None, limit: int = DASHBOARD_LIMIT) -> list[DashboardRow]:
    """Exits in progress, soonest last day first: stage (open steps), days to the statutory dates, open
    gates, unsigned exit documents and the Art. 50 clocks. Eleven queries whatever the number of exits."""
    today = today or timezone.localdate()
    exits = list(exits_for(user, state=ExitState.OPEN).order_by("last_day", "id")[:limit])
    if not exits:
        return []
    employee_ids = [e.employee_id for e in exits]
    steps = engine.open_steps_by_instance(company_id=user.company_id,
                                          instance_ids=[e.process_id for e in exits if e.process_id])
    pending: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (ExitItem.objects.filter(company_id=user.company_id, exit__in=exits, state=ItemState.PENDING)
                .order_by().values("exit_id", "kind").annotate(n=Count("id"))):
        pending[row["exit_id"]][row["kind"]] = row["n"]
    blockers = _blockers_by_employee(user, employee_ids)
    unsigned = exit_documents.open_counts(user.company_id, [e.pk for e in exits])
    clocks = duty_clocks.open_duties(user.company_id, [e.pk for e in exits])
    rows = []
    for e in exits:
        row = DashboardRow(e, [s.name for s in steps.get(e.process_id, [])], (e.last_day - today).days,
                           e.last_day + dt.timedelta(days=law.TRANSFER_DAYS))
        counts = pending.get(e.pk, {})
        handover = sum(n for k, n in counts.items() if k in HANDOVER_KINDS)
        if handover:
            row.blockers.append(Blocker(_("%(n)d handover items not confirmed") % {"n": handover}))
        if counts.get(ItemKind.CLIENT):
            row.blockers.append(Blocker(_("%(n)d clients not handed over") % {"n": counts[ItemKind.CLIENT]}))
        if counts.get(ItemKind.ACCESS):
            row.blockers.append(Blocker(_("%(n)d system accounts not revoked") % {"n": counts[ItemKind.ACCESS]}))
        row.blockers += blockers.get(e.employee_id, [])
        row.unsigned = unsigned.get(e.pk, 0)
        row.duties = duty_rows([d for d in clocks.get(e.pk, []) if d.done_on is None and not d.cancelled], today)
        rows.append(row)
    return rows


@dataclass
class GateRow:
    name: str
    label: str
    ok: bool
    reasons: list[registry.Reason]


def gate_rows(exit_: Exit) -> list[GateRow]:
    """Every gate fact of the exit, evaluated now, with its reasons in words and links."""
    ctx = registry.InstanceContext(company_id=exit_.company_id, template_key=exit_.template_key,
                                   subject_type="offboarding.exit", subject_id=str(exit_.pk),
                                   subject_employee=exit_.employee, instance=exit_.process,
                                   context=dict(exit_.process.context) if exit_.process_id else {})
    out = []
    for name in GATE_FACTS:
        spec = registry.get_fact(name)
        if spec is None:
            continue
        value = spec.fn(ctx)
        out.append(GateRow(name, _(str(spec.label)), not value.value, list(value.reasons)))  # plain labels too
    return out


@dataclass
class Duty:
    text: str
    due: dt.date | None
    citation: str
    days_left: int | None


def law_panel(exit_: Exit, today: dt.date) -> tuple[list[str], list[str], list[Duty]]:
    """(what the company may do, what it may not do, its duties with dates) — from law/termination.py."""
    may = [grounds.law_text_plain(_("Economic compensation, where due, is paid when the handover is complete"),
                                  law.ART_50)]
    may.append(_("Claims for losses the employee caused are pursued through mediation, arbitration or the courts; "
                 "the evidence of this exit is kept for them."))
    may_not = [
        grounds.law_text_plain(_("Withhold the separation certificate or the transfer of archives and social "
                                 "insurance because a gate is open (within %(days)d days of the end)")
                               % {"days": law.TRANSFER_DAYS}, law.ART_50),
        grounds.law_text_plain(_("Postpone the end of the employment: it ends on %(date)s")
                               % {"date": exit_.last_day.isoformat()},
                               law.ART_37 if exit_.ground == law.Ground.RESIGNATION else law.ART_50),
    ]
    if exit_.ground == law.Ground.RESIGNATION:
        may_not.insert(0, grounds.law_text_plain(_("Refuse the resignation"), law.ART_37))
    duties = []
    for d in law.post_termination_duties(exit_.last_day):
        zh = grounds.is_zh()
        duties.append(Duty(d.zh if zh else d.en, d.due, d.citation.zh if zh else d.citation.en,
                           (d.due - today).days if d.due else None))
    return may, may_not, duties


@dataclass
class ExitDetail:
    exit: Exit
    process: Any  # workflows.selectors.InstanceDetail or None
    gates: list[GateRow]
    items: list[ExitItem]
    confirmable: set[int]
    may: list[str]
    may_not: list[str]
    duties: list[Duty]
    notes: list[str]
    messages: list[Any] | None
    interview: Any
    can_manage: bool
    is_subject: bool
    today: dt.date
    days_to_last_day: int = 0
    protections: list[str] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)  # exit_documents.DocumentRow
    proposals: list[Any] = field(default_factory=list)  # exit_documents.Proposal (HR only)
    clocks: list[DutyRow] = field(default_factory=list)  # the Art. 50 clocks
    process_stopped: bool = False  # the process was cancelled or rejected on the engine: offer a restart


def exit_for(user: User, pk: Any) -> Exit:
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such exit.")) from None
    exit_ = (Exit.objects.filter(company_id=user.company_id, pk=number)
             .select_related("employee", "employee__department", "employee__position", "contract", "process",
                             "created_by").first())
    if exit_ is None or not user.has_perm("offboarding.view_exit", exit_):
        raise Http404(_("No such exit."))
    return exit_


def exit_detail(user: User, pk: Any, *, today: dt.date | None = None) -> ExitDetail:
    today = today or timezone.localdate()
    exit_ = exit_for(user, pk)
    subject = scope_of(user).employee_id == exit_.employee_id
    process = None
    if exit_.process_id:
        try:
            process = engine.instance_detail(user=user, instance_id=exit_.process_id)
        except Http404:
            process = None
    items = list(ExitItem.objects.filter(company_id=exit_.company_id, exit=exit_)
                 .select_related("receiver", "confirmed_by").order_by("kind", "id"))
    for item in items:
        item.exit = exit_
        item.receiver_label = receiver_label(item)  # type: ignore[attr-defined]
    may, may_not, duties = law_panel(exit_, today)
    facts = grounds.Facts(in_probation=exit_.in_probation)
    return ExitDetail(
        exit=exit_, process=process, gates=[] if subject else gate_rows(exit_), items=items,
        confirmable={i.pk for i in items if i.state == ItemState.PENDING and may_confirm(user, i)},
        may=may, may_not=may_not, duties=duties, notes=grounds.notes(law.Ground(exit_.ground), facts, exit_.persuasion),
        messages=threads.messages_of(user, exit_), interview=interviews.interview_of(user, exit_),
        can_manage=user.has_perm("offboarding.manage_exit", exit_), is_subject=subject, today=today,
        days_to_last_day=(exit_.last_day - today).days,
        protections=[grounds.protection_label(p) for p in exit_.protections],
        **_documents_part(user, exit_, subject, today),
    )


def _documents_part(user: User, exit_: Exit, subject: bool, today: dt.date) -> dict[str, Any]:
    if subject:
        return {}
    docs = exit_documents.rows_of(exit_)
    manage = user.has_perm("offboarding.manage_exit", exit_)
    return {
        "documents": docs,
        "proposals": exit_documents.proposals(exit_, [r.link for r in docs]) if manage else [],
        "clocks": duty_rows(list(ExitDuty.objects.filter(company_id=exit_.company_id, exit=exit_)
                                 .select_related("done_by").order_by("due_on", "kind")), today),
        "process_stopped": exit_.state == ExitState.OPEN and (
            exit_.process_id is None or exit_.process.state in ("cancelled", "rejected")),
    }


def my_exits(user: User) -> list[Exit]:
    """The signed-in employee's own exits (self-service), newest first."""
    employee_id = scope_of(user).employee_id
    if not employee_id:
        return []
    return list(Exit.objects.filter(company_id=user.company_id, employee_id=employee_id)
                .select_related("process").order_by("-created_at", "-id")[:20])


def tasks_waiting(user: User) -> list[ExitItem]:
    """Items the user is to confirm (as receiver or by role), for their own exits list."""
    if not user.is_authenticated:
        return []
    qs = ExitItem.objects.filter(company_id=user.company_id, state=ItemState.PENDING, exit__state=ExitState.OPEN)
    mine = list(qs.filter(receiver=user).select_related("exit", "exit__employee")[:100])
    by_role = list(qs.filter(receiver__isnull=True, receiver_role=user.role)
                   .select_related("exit", "exit__employee")[:100])
    own = scope_of(user).employee_id
    return [i for i in mine + by_role if i.exit.employee_id != own]
