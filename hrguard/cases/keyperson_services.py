"""Key-person actions: the assessment page read (evidence), the risk assessment report (PDF, Chinese by
default, platform renderer), the supplementary agreement (补充协议, the documents default template) sent
for e-signature, the company's parameters, and the section of the departure risk report."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.clients.models import CoverageRole, Readiness
from hrguard.core.models import User
from hrguard.documents import library
from hrguard.documents import services as documents
from hrguard.documents.models import DocumentKind
from hrguard.evidence import selectors as evidence_selectors
from hrguard.evidence import services as evidence
from hrguard.law.working import yuan
from hrguard.people.models import Employee
from hrguard.platform.pdf.render import ReportSection, render_table_report

from .keyperson import Assessment, assess
from .models import KeyPersonParameters

AGREEMENT_DAYS = 7  # the employee has a week to sign
ROLES = dict(CoverageRole.choices)
READINESS = dict(Readiness.choices)


def money(value: Decimal | None) -> str:
    return _("missing") if value is None else f"{yuan(value)} 元"


def money_range(low: Decimal | None, high: Decimal | None) -> str:
    return _("missing") if low is None or high is None else f"{yuan(low)} – {yuan(high)} 元"


def percent(value: Decimal | None) -> str:
    return _("missing") if value is None else f"{value.normalize():f}%"


def _check(actor: User, employee: Employee, perm: str = "cases.view_keyperson") -> None:
    if employee.company_id != actor.company_id or not actor.has_perm(perm, employee):
        raise PermissionDenied(_("You may not see this employee's key-person assessment."))


@transaction.atomic
def view(*, actor: User, employee: Employee) -> Assessment:
    """The figures for the page; the look is evidence (business-sensitive: revenue and salary)."""
    _check(actor, employee)
    a = assess(employee)
    evidence.record(actor.company_id, actor, "keyperson.viewed", employee, {"missing": len(a.missing)},
                    employee=employee)
    return a


def sections(a: Assessment) -> list[ReportSection]:
    e = a.employee
    p = a.params
    pairs = [(_("Name"), e.name), (_("Employee number"), e.employee_no), (_("Department"), e.department.name),
             (_("Position"), e.position.name if e.position else "—"),
             (_("Core position"), _("Yes") if a.core else _("No"))]
    concentration = [
        (_("Share of company revenue through this employee"), percent(a.company_share)),
        (_("Annual revenue through this employee"), money(a.revenue_through)),
    ]
    clients = [[r.name, str(ROLES.get(r.role, r.role)), "—" if r.years is None else str(r.years),
                money(r.annual_revenue), percent(r.company_share), percent(r.churn_pct), money(r.expected_loss)]
               for r in a.clients]
    cost = [
        (_("Annual salary (last 12 months)") if a.salary_months else _("Annual salary (12 × contract wage)"),
         money(a.annual_salary)),
        (_("Recruiting cost (%(low)s–%(high)s × annual salary)") % {
            "low": p.recruit_multiple_low, "high": p.recruit_multiple_high},
         money_range(a.recruit_low, a.recruit_high)),
        (_("Revenue at risk during ramp-up (%(low)d–%(high)d months)") % {
            "low": p.ramp_months_low, "high": p.ramp_months_high}, money_range(a.ramp_risk_low, a.ramp_risk_high)),
        (_("Estimated client churn if they leave"), money(a.churn_loss)),
    ]
    successors = [[s.name, s.employee_no, "、".join(s.clients), str(READINESS.get(s.readiness, "—"))]
                  for s in a.successors]
    return [
        ReportSection(_("Employee"), pairs=pairs),
        ReportSection(_("Client concentration"), pairs=concentration,
                      columns=[_("Client"), _("Role"), _("Years"), _("Annual revenue"), _("Revenue share"),
                               _("Churn"), _("Expected loss")] if clients else [], rows=clients,
                      paragraphs=[] if clients else [_("No clients recorded (missing).")]),
        ReportSection(_("Replacement cost"), pairs=cost),
        ReportSection(_("Successors"), columns=[_("Name"), _("Employee number"), _("Clients served"),
                                                _("Readiness")] if successors else [], rows=successors,
                      paragraphs=[] if successors else [_("No one else serves these clients.")]),
        ReportSection(_("Missing data"), paragraphs=a.missing or [_("None.")]),
        ReportSection(_("Recommendation"), paragraphs=[a.recommendation_label]),
        ReportSection(_("Transition plan"), paragraphs=a.plan),
    ]


@transaction.atomic
def report_pdf(*, actor: User, employee: Employee) -> bytes:
    _check(actor, employee)
    a = assess(employee)
    document_id = f"KP-{employee.employee_no}-{timezone.localdate().isoformat()}"
    pdf = render_table_report(_("Key-person risk assessment"), sections(a), document_id=document_id,
                              company_name=actor.company.name)
    evidence.record(actor.company_id, actor, "keyperson.report_generated", employee,
                    {"document_id": document_id, "sha256": hashlib.sha256(pdf).hexdigest(),
                     "recommendation": a.recommendation}, employee=employee)
    return pdf


def agreement_items(a: Assessment) -> str:
    names = "、".join(r.name for r in a.clients[:10]) or "公司指定客户"
    return "\n".join([
        f"一、乙方负责维护的客户（{names}）的客户资料、交易信息属于甲方商业秘密，乙方应予保密。",
        "二、乙方应配合甲方安排的继任人员开展每月联合客户拜访，并在离职前完成客户交接。",
        "三、乙方提出解除劳动合同的，应按法定期限提前书面通知，并在通知期内完成工作交接。",
    ])


@transaction.atomic
def send_agreement(*, actor: User, employee: Employee, channels: list[str] | None = None,
                   effective_date: dt.date | None = None) -> Any:
    """Draft the 劳动合同补充协议 from the company's template and send it for e-signature (in-app by default)."""
    _check(actor, employee, "cases.send_keyperson_agreement")
    library.ensure_default_templates(actor.company)
    template = next((t for t in library.templates_for(actor) if t.kind == DocumentKind.SUPPLEMENTARY_AGREEMENT), None)
    if template is None or template.latest is None:
        raise ValidationError({"template": _("The company has no supplementary agreement template.")})
    a = assess(employee)
    day = effective_date or timezone.localdate()
    if not channels:  # in-app for an employee with an account, else email, else SMS
        channels = ["inapp"] if employee.user_id else ["email"] if employee.email else ["sms"]
    result = documents.send_request(
        actor.company, actor=actor, version=template.latest, employees=[employee], channels=channels,
        deadline_at=timezone.now() + dt.timedelta(days=AGREEMENT_DAYS),
        extra={"items": agreement_items(a), "effective_date": f"{day.year}年{day.month}月{day.day}日"},
        title=_("Supplementary agreement — %(name)s") % {"name": employee.name},
    )
    evidence.record(actor.company_id, actor, "keyperson.agreement_sent", employee,
                    {"request": result.request.pk}, employee=employee)
    return result.request


PARAM_FIELDS = ("recruit_multiple_low", "recruit_multiple_high", "ramp_months_low", "ramp_months_high",
                "churn_short", "churn_medium", "churn_long")
# Accepted range per field: multiples of the annual salary, whole months, percentages.
PARAM_RANGES = {"recruit_multiple_low": (0, 10), "recruit_multiple_high": (0, 10), "ramp_months_low": (0, 60),
                "ramp_months_high": (0, 60), "churn_short": (0, 100), "churn_medium": (0, 100), "churn_long": (0, 100)}


def _parameter(name: str, value: Any) -> Decimal | int:
    low, high = PARAM_RANGES[name]
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        raise ValidationError({name: _("Enter a number.")}) from None
    if not number.is_finite() or number < low or number > high:
        raise ValidationError({name: _("Enter a number between %(low)d and %(high)d.") % {"low": low, "high": high}})
    if name.startswith("ramp"):
        if number != number.to_integral_value():
            raise ValidationError({name: _("Enter whole months.")})
        return int(number)
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({name: _("At most 2 decimals.")})
    return number


@transaction.atomic
def save_parameters(*, actor: User, basis: str = "", **values: Any) -> KeyPersonParameters:
    """Change the company's key-person assumptions; ``basis`` (where the figures come from, e.g. last year's
    recruiting invoices) goes into the evidence event with the old and the new values."""
    if not actor.has_perm("cases.set_keyperson_parameters"):
        raise PermissionDenied(_("You may not change the key-person parameters."))
    row = KeyPersonParameters.objects.select_for_update().filter(company_id=actor.company_id).first() or \
        KeyPersonParameters(company_id=actor.company_id)
    before = {n: getattr(row, n) for n in PARAM_FIELDS}
    errors: dict[str, list[str]] = {}
    for name in PARAM_FIELDS:
        if name in values:
            try:
                setattr(row, name, _parameter(name, values[name]))
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if Decimal(row.recruit_multiple_low) > Decimal(row.recruit_multiple_high):
        raise ValidationError({"recruit_multiple_high": _("The high multiple must not be below the low one.")})
    if row.ramp_months_low > row.ramp_months_high:
        raise ValidationError({"ramp_months_high": _("The high ramp-up must not be below the low one.")})
    row.save()
    evidence.record(actor.company_id, actor, "keyperson.parameters_saved", row,
                    {**{n: getattr(row, n) for n in PARAM_FIELDS}, "before": before,
                     "basis": (basis or "").strip()[:500]})
    return row


def parameter_history(*, actor: User, limit: int = 20) -> list[dict[str, Any]]:
    """The company's parameter changes from the evidence log, newest first (who, when, values, basis)."""
    row = KeyPersonParameters.objects.filter(company_id=actor.company_id).first()
    if row is None:
        return []
    events = evidence_selectors.for_subject(actor.company_id, "cases.keypersonparameters", row.pk, limit=limit)
    out = []
    for event in events:
        data = evidence_selectors.decoded(event).get("data", {})
        out.append({"at": event.at, "by": event.actor_name, "data": data, "basis": data.get("basis", "")})
    return out


def report_section(*, actor: Any, employee: Any, exit: Any) -> list[ReportSection]:
    """The departure risk report's key-person section (registered with ``calculators.risk_report``)."""
    if actor is None or not actor.has_perm("cases.view_keyperson", employee):
        return []
    a = assess(employee)
    return [ReportSection(_("Key-person exposure: clients and replacement cost"), pairs=[
        (_("Share of company revenue through this employee"), percent(a.company_share)),
        (_("Clients"), "、".join(r.name for r in a.clients) or _("missing")),
        (_("Recruiting cost"), money_range(a.recruit_low, a.recruit_high)),
        (_("Estimated client churn if they leave"), money(a.churn_loss)),
        (_("Successors"), "、".join(s.name for s in a.successors) or "—"),
        (_("Recommendation"), a.recommendation_label),
    ])]
