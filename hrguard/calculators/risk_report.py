"""Departure risk report (离职风险报告, PDF): violations, client complaints and claimed losses, open gates,
key-person exposure, non-compete status and a recommendation, for HR and legal when an exit starts.

``departure_risk_report(*, actor, employee, exit=None) -> bytes`` reads through the other apps' selectors
(discipline, expenses, people) and the wage history; the exit app, above this one, adds its own open gates
with ``register_gate_source`` (the arrow points down) and passes its exit case as ``exit`` (read by duck
typing: ``get_kind_display()``, ``notice_date``, ``last_day``). Rendered with the platform typst renderer in
the active language (Chinese by default); each generation is an evidence event with the PDF's digest."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.discipline import selectors as discipline
from hrguard.evidence.services import record_standalone
from hrguard.expenses.selectors import outstanding_for
from hrguard.law import noncompete
from hrguard.law.working import MissingWageMonths, average_wage, wage_window
from hrguard.law.working import yuan as money_text
from hrguard.people.selectors import contracts_of
from hrguard.platform.pdf.render import ReportSection, render_table_report

from . import selectors
from .permissions import can_calculate

GateSource = Callable[..., Iterable[str]]
_GATE_SOURCES: list[GateSource] = []
NON_COMPETE = "non_compete"
HIGH_CLAIM = Decimal("100000")  # a claimed loss from which the report advises legal review before the exit


def register_gate_source(source: GateSource) -> None:
    """``source(actor=…, employee=…, exit=…)`` returns the open gates it knows of, as sentences for the
    reader (e.g. "交接清单：3 项未确认"). Registered once at start-up by the app that owns the gates."""
    if source not in _GATE_SOURCES:
        _GATE_SOURCES.append(source)


SectionSource = Callable[..., Iterable[ReportSection]]
_SECTION_SOURCES: list[SectionSource] = []


def register_section_source(source: SectionSource) -> None:
    """``source(actor=…, employee=…, exit=…)`` returns report sections of its own (e.g. the cases app's
    key-person exposure), placed before the recommendation. Registered once at start-up."""
    if source not in _SECTION_SOURCES:
        _SECTION_SOURCES.append(source)


def extra_sections(*, actor: Any, employee: Any, exit: Any) -> list[ReportSection]:
    out: list[ReportSection] = []
    for source in _SECTION_SOURCES:
        out += list(source(actor=actor, employee=employee, exit=exit))
    return out


@dataclass
class Facts:
    violations: list[Any]
    complaints: list[Any]
    open_complaints: list[Any]
    claimed_open: Decimal
    money_reasons: list[str]
    gates: list[str]
    core: bool
    confidentiality: bool
    noncompete_clauses: list[Any]
    key_clauses: list[Any]
    monthly_noncompete: Decimal | None
    wage_note: str


def _end_date(employee: Any, exit: Any) -> dt.date:
    return getattr(exit, "last_day", None) or employee.termination_date or timezone.localdate()


def _noncompete_estimate(employee: Any, end: dt.date) -> tuple[Decimal | None, str]:
    try:
        window = wage_window(employee.hire_date, end)
        avg = average_wage(selectors.wage_history(employee), window)
    except MissingWageMonths as exc:
        return None, _("Wages missing for %(months)s: enter them to estimate the compensation.") % {
            "months": "、".join(exc.labels[:6]) + ("…" if len(exc.labels) > 6 else "")}
    except ValueError:
        return None, ""
    return noncompete.default_monthly_compensation(avg.average), _("12-month average wage %(avg)s yuan") % {
        "avg": money_text(avg.average)}


def gather(*, actor: Any, employee: Any, exit: Any = None) -> Facts:
    violations = list(discipline.violations(actor, employee_id=employee.pk)[:50])
    complaints = list(discipline.complaints(actor, employee_id=employee.pk)[:50])
    open_complaints = [c for c in complaints if c.status == "open"]
    money = outstanding_for(employee)
    gates = [_("Client complaint #%(id)d unresolved — loss claimed %(loss)s yuan") % {
        "id": c.pk, "loss": money_text(c.claimed_loss)} for c in open_complaints]
    gates += [str(r) for r in money.reasons()]
    for source in _GATE_SOURCES:
        gates += [str(g) for g in source(actor=actor, employee=employee, exit=exit)]
    clauses = [cl for contract in contracts_of(employee) for cl in contract.clauses.all()]
    position = employee.position
    monthly, note = _noncompete_estimate(employee, _end_date(employee, exit))
    return Facts(
        violations=violations, complaints=complaints, open_complaints=open_complaints,
        claimed_open=sum((c.claimed_loss for c in open_complaints), Decimal(0)),
        money_reasons=[str(r) for r in money.reasons()], gates=gates,
        core=bool(position and position.is_core), confidentiality=bool(position and position.confidentiality_duty),
        noncompete_clauses=[cl for cl in clauses if cl.category == NON_COMPETE],
        key_clauses=[cl for cl in clauses if cl.is_key], monthly_noncompete=monthly, wage_note=note)


def recommendations(f: Facts) -> list[str]:
    out = []
    if f.open_complaints:
        out.append(_("Keep the handover and client-service gates closed until the complaints are settled; the "
                     "statutory last day does not move (LCL Art. 37/50): settle or document before it."))
    if f.claimed_open >= HIGH_CLAIM:
        out.append(_("Claimed losses are high: have legal review the evidence and the employee's liability "
                     "before the exit completes."))
    if f.money_reasons:
        out.append(_("Recover the outstanding advances and loans at final settlement, with the employee's "
                     "written confirmation."))
    if f.core:
        out.append(_("Core position: plan the handover of clients, documents and accounts and revoke access on "
                     "the last day."))
    if f.noncompete_clauses:
        out.append(_("A non-compete is agreed: decide now whether to enforce it (monthly compensation from the "
                     "month after exit) or release the employee (3 extra months' compensation)."))
    elif f.confidentiality:
        out.append(_("No non-compete is agreed for this position with a confidentiality duty: consider an "
                     "agreement at exit (LCL Art. 23–24)."))
    elif f.core:
        out.append(_("Core position without a non-compete: one may be agreed only if the employee knows trade "
                     "secrets (LCL Art. 24)."))
    if any(v.status == "decided" and v.ack in ("", "pending") for v in f.violations):
        out.append(_("Some decided violations were not acknowledged by the employee: keep the delivery "
                     "evidence."))
    return out or [_("No particular risk found: complete the standard exit process.")]


def _sections(f: Facts, employee: Any, exit: Any, extra: list[ReportSection] = ()) -> list[ReportSection]:
    position = employee.position
    pairs = [(_("Name"), employee.name), (_("Employee number"), employee.employee_no),
             (_("Department"), employee.department.name), (_("Position"), position.name if position else "—"),
             (_("Hire date"), employee.hire_date.isoformat()), (_("Status"), employee.get_status_display())]
    if exit is not None:
        kind = getattr(exit, "get_kind_display", None)
        pairs += [(_("Exit"), str(kind() if callable(kind) else getattr(exit, "kind", ""))),
                  (_("Notice date"), str(getattr(exit, "notice_date", "") or "—")),
                  (_("Last working day"), str(getattr(exit, "last_day", "") or "—"))]
    v_rows = [[v.occurred_on.isoformat(), v.clause.title, v.get_status_display(), v.get_decision_display() or "—"]
              for v in f.violations]
    c_rows = [[f"#{c.pk}", c.client, c.received_on.isoformat(), money_text(c.claimed_loss), c.get_status_display()]
              for c in f.complaints]
    nc_status = (_("Agreed: %(titles)s") % {"titles": "、".join(cl.title for cl in f.noncompete_clauses)}
                 if f.noncompete_clauses else _("Not agreed"))
    nc_pairs = [(_("Non-compete clause"), nc_status),
                (_("Position with confidentiality duty"), _("Yes") if f.confidentiality else _("No"))]
    if f.monthly_noncompete is not None:
        nc_pairs.append((_("Default monthly compensation (30%, SPC Interpretation I Art. 36)"),
                         f"{money_text(f.monthly_noncompete)}"))
        nc_pairs.append((_("Release payment (3 months, Art. 39)"),
                         money_text(noncompete.cancellation_extra(f.monthly_noncompete))))
    if f.wage_note:
        nc_pairs.append((_("Basis"), f.wage_note))
    return [
        ReportSection(_("Employee"), pairs=pairs),
        ReportSection(_("Violations"), paragraphs=[] if v_rows else [_("None recorded.")],
                      columns=[_("Date"), _("Clause"), _("Status"), _("Decision")] if v_rows else [], rows=v_rows),
        ReportSection(_("Client complaints and claimed losses"),
                      paragraphs=[_("Open complaints: %(n)d, claimed losses %(sum)s yuan") % {
                          "n": len(f.open_complaints), "sum": money_text(f.claimed_open)}],
                      columns=[_("No."), _("Client"), _("Received"), _("Claimed loss"), _("Status")] if c_rows else [],
                      rows=c_rows),
        ReportSection(_("Open gates"), paragraphs=f.gates or [_("None: nothing blocks the exit.")]),
        ReportSection(_("Key-person exposure"), pairs=[
            (_("Core position"), _("Yes") if f.core else _("No")),
            (_("Key clauses"), "、".join(cl.title for cl in f.key_clauses) or "—")]),
        ReportSection(_("Non-compete status"), pairs=nc_pairs),
        *extra,
        ReportSection(_("Recommendation"), paragraphs=recommendations(f)),
    ]


def departure_risk_report(*, actor: Any, employee: Any, exit: Any = None) -> bytes:
    """The PDF (bytes) of the departure risk report of ``employee``, as ``actor`` may see it."""
    if not can_calculate(actor):
        raise PermissionDenied
    if employee.company_id != actor.company_id:
        raise ValidationError({"employee": [_("Unknown employee.")]})
    facts = gather(actor=actor, employee=employee, exit=exit)
    document_id = f"RR-{employee.employee_no}-{timezone.localdate().isoformat()}"
    extra = extra_sections(actor=actor, employee=employee, exit=exit)
    pdf = render_table_report(_("Departure risk report"), _sections(facts, employee, exit, extra),
                              document_id=document_id,
                              company_name=actor.company.name)
    record_standalone(actor.company, actor, "risk_report.generated", employee,
                      {"document_id": document_id, "sha256": hashlib.sha256(pdf).hexdigest(),
                       "open_gates": len(facts.gates)}, employee=employee)
    return pdf
