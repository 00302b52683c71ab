"""State changes of cases. Keyword-only, one transaction each, permission checked with django-rules,
an evidence event (``case.*``) in the same transaction.

* ``open_case(*, actor, case_type, title, category="", confidentiality="normal", subject_employee=None,
  description="", complainants=(), witnesses=(), members=(), links=())`` — numbers it (AJ-2026-0001) and
  starts the type's engine template (its parties: subject, complainants, witnesses);
* ``link(*, actor, case_id, target_type, target_id, label="", url="")`` — a generic linked record;
* ``add_party(*, actor, case_id, employee, kind)``, ``add_member(*, actor, case_id, user)``;
* ``close_case(*, actor, case_id, root_cause, review_notes="")`` (root cause required; refused while the
  response steps run), ``reopen_case(*, actor, case_id, reason)``;
* ``record_view(*, actor, case)`` — evidence of a look at a restricted or strictly confidential case."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.core.validation import clean_free_text
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.risk import services as risk_services
from hrguard.workflows import selectors as workflow_selectors
from hrguard.workflows import services as workflows
from hrguard.workflows.types import InstanceState

from . import types
from .models import (
    Case,
    CaseCounter,
    CaseLink,
    CaseMember,
    CaseParty,
    CaseState,
    Confidentiality,
    PartyKind,
    RootCause,
)

ALERT_TYPE = "risk.alert"
ENGINE_ROLE = {PartyKind.SUBJECT: "subject", PartyKind.COMPLAINANT: "complainant", PartyKind.WITNESS: "other"}


def _record(actor: Any, case: Case, action: str, data: dict[str, Any] | None = None) -> None:
    payload = {"number": case.number, "type": case.case_type, "confidentiality": case.confidentiality}
    payload.update(data or {})
    evidence.record(case.company_id, actor, action, case, payload, employee=case.subject_employee_id)


def _next_number(company_id: int, prefix: str, year: int) -> str:
    CaseCounter.objects.get_or_create(company_id=company_id, year=year)
    counter = CaseCounter.objects.select_for_update().get(company_id=company_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:04d}"


def _own_employees(actor: User, people: Iterable[Employee], field: str) -> list[Employee]:
    out = list(people)
    if any(p.company_id != actor.company_id for p in out):
        raise ValidationError({field: _("The employee belongs to another company.")})
    return out


def _locked_case(actor: User, case_id: Any, perm: str = "cases.manage_case") -> Case:
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise Http404(_("No such case.")) from None
    case = Case.objects.select_for_update(of=("self",)).filter(company_id=actor.company_id, pk=pk).first()
    if case is None or not actor.has_perm("cases.view_case", case):
        raise Http404(_("No such case."))
    if not actor.has_perm(perm, case):
        raise PermissionDenied(_("You may not change this case."))
    return case


def _check_open_args(actor: User, case_type: str, category: str, confidentiality: str) -> types.CaseType:
    kind = types.get(case_type)
    open_perm = kind.extra.get("open_perm", "") if kind is not None else ""
    if not (actor.has_perm("cases.open_case") or (open_perm and actor.has_perm(open_perm))):
        raise PermissionDenied(_("You may not open cases."))
    if kind is None:
        raise ValidationError({"case_type": _("Choose a case type.")})
    if category and kind.categories and category not in dict(kind.categories):
        raise ValidationError({"category": _("Choose a category of this case type.")})
    if confidentiality not in Confidentiality.values:
        raise ValidationError({"confidentiality": _("Choose a confidentiality level.")})
    return kind


@transaction.atomic
def open_case(
    *,
    actor: User,
    case_type: str,
    title: str,
    category: str = "",
    confidentiality: str = Confidentiality.NORMAL,
    subject_employee: Employee | None = None,
    description: str = "",
    complainants: Iterable[Employee] = (),
    witnesses: Iterable[Employee] = (),
    members: Iterable[User] = (),
    links: Iterable[dict[str, str]] = (),
) -> Case:
    kind = _check_open_args(actor, case_type, category, confidentiality)
    title = clean_free_text(title, "title", required=True)
    description = clean_free_text(description, "description", max_length=5000)
    if subject_employee is not None and subject_employee.company_id != actor.company_id:
        raise ValidationError({"subject_employee": _("The employee belongs to another company.")})
    complainants = _own_employees(actor, complainants, "complainants")
    witnesses = _own_employees(actor, witnesses, "witnesses")
    now = timezone.now()
    case = Case.objects.create(
        company_id=actor.company_id, case_type=kind.key, number=_next_number(actor.company_id, kind.prefix, now.year),
        title=title, category=category, confidentiality=confidentiality, description=description,
        subject_employee=subject_employee, opened_by=actor, opened_at=now, last_opened_at=now,
    )
    rows = [(subject_employee, PartyKind.SUBJECT)] if subject_employee is not None else []
    rows += [(p, PartyKind.COMPLAINANT) for p in complainants] + [(p, PartyKind.WITNESS) for p in witnesses]
    CaseParty.objects.bulk_create([CaseParty(company_id=case.company_id, case=case, employee=p, user_id=p.user_id,
                                             kind=k) for p, k in {(p.pk, k): (p, k) for p, k in rows}.values()])
    for user in members:
        if user.company_id != actor.company_id:
            raise ValidationError({"members": _("The user belongs to another company.")})
        CaseMember.objects.get_or_create(company_id=case.company_id, case=case, user=user)
    _record(actor, case, "case.opened", {"title": title, "category": category,
                                         "parties": [[p.pk, str(k)] for p, k in rows]})
    if kind.template_key:
        case.process = workflows.start(
            actor=actor, company=actor.company, template_key=kind.template_key, subject=case,
            subject_employee=subject_employee, title=f"{case.number} {title}"[:200],
            parties={"complainant": complainants, "other": witnesses},
        )
        case.save(update_fields=["process"])
    for item in links:
        row = _link(actor, case, **item)
        if row.target_type == ALERT_TYPE:
            _act_on_alert(actor, case, row)
    return case


def _act_on_alert(actor: User, case: Case, row: CaseLink) -> None:
    """The case was opened from an early-warning alert: the alert is acted on → this case (when it is still
    open and the opener may triage it), and the link leads to the alert."""
    try:
        alert = risk_services.act_on_alert(actor=actor, alert_id=row.target_id, outcome="case",
                                           link=case, link_label=case.number,
                                           note=_("Case %(number)s opened.") % {"number": case.number})
    except (ValidationError, PermissionDenied, Http404):
        return  # already triaged, or not the opener's to triage: the link stays
    if not row.url:
        row.url = f"/risk/alerts/{alert.pk}/"
        row.save(update_fields=["url"])


def _link(actor: User, case: Case, *, target_type: str, target_id: Any, label: str = "", url: str = "") -> CaseLink:
    target_type = clean_free_text(target_type, "target_type", required=True, max_length=60)
    if "." not in target_type:
        raise ValidationError({"target_type": _("Name the record type as app.model, e.g. risk.alert.")})
    target_id = clean_free_text(target_id, "target_id", required=True, max_length=64)
    url = clean_free_text(url, "url", max_length=300)
    if url and not url.startswith("/"):
        raise ValidationError({"url": _("Give a link inside HRGuard (starting with /).")})
    row, made = CaseLink.objects.get_or_create(
        company_id=case.company_id, case=case, target_type=target_type, target_id=target_id,
        defaults={"label": clean_free_text(label, "label"), "url": url, "added_by": actor})
    if made:
        _record(actor, case, "case.linked", {"target": f"{target_type}:{target_id}", "label": row.label})
    return row


@transaction.atomic
def link(*, actor: User, case_id: int, target_type: str, target_id: Any, label: str = "", url: str = "") -> CaseLink:
    case = _locked_case(actor, case_id)
    return _link(actor, case, target_type=target_type, target_id=target_id, label=label, url=url)


@transaction.atomic
def add_party(*, actor: User, case_id: int, employee: Employee, kind: str) -> CaseParty:
    case = _locked_case(actor, case_id)
    if kind not in PartyKind.values or kind == PartyKind.SUBJECT:
        raise ValidationError({"kind": _("Choose complainant or witness.")})
    if employee.company_id != case.company_id:
        raise ValidationError({"employee": _("The employee belongs to another company.")})
    if actor.pk == employee.user_id:
        raise ValidationError({"employee": _("You cannot name yourself as a party of a case you handle.")})
    row, made = CaseParty.objects.get_or_create(company_id=case.company_id, case=case, employee=employee, kind=kind,
                                                defaults={"user_id": employee.user_id})
    if made:
        _record(actor, case, "case.party_added", {"employee": employee.pk, "kind": kind})
        if case.process_id:
            workflows.add_party(actor=actor, instance_id=case.process_id, employee=employee, role=ENGINE_ROLE[kind])
    return row


@transaction.atomic
def add_member(*, actor: User, case_id: int, user: User) -> CaseMember:
    case = _locked_case(actor, case_id)
    if user.company_id != case.company_id:
        raise ValidationError({"user": _("The user belongs to another company.")})
    row, made = CaseMember.objects.get_or_create(company_id=case.company_id, case=case, user=user)
    if made:
        _record(actor, case, "case.member_added", {"user": user.pk})
    return row


def _running_process(case: Case) -> bool:
    if not case.process_id:
        return False
    instance = workflow_selectors.instance_for(subject=case)
    return instance is not None and instance.state == InstanceState.RUNNING


@transaction.atomic
def close_case(*, actor: User, case_id: int, root_cause: str, review_notes: str = "") -> Case:
    case = _locked_case(actor, case_id)
    if case.state != CaseState.OPEN:
        raise ValidationError(_("The case is already closed; nothing was changed."), code="closed")
    if root_cause not in RootCause.values:
        raise ValidationError({"root_cause": _("Choose the root cause before closing the case.")})
    if _running_process(case):
        raise ValidationError(_("The response steps are still running: finish or cancel them first."),
                              code="running")
    now = timezone.now()
    case.state, case.closed_at, case.closed_by = CaseState.CLOSED, now, actor
    case.root_cause, case.review_notes = root_cause, clean_free_text(review_notes, "review_notes", max_length=5000)
    case.handling_seconds = (case.handling_seconds or 0) + max(0, int((now - case.last_opened_at).total_seconds()))
    case.save(update_fields=["state", "closed_at", "closed_by", "root_cause", "review_notes", "handling_seconds"])
    _record(actor, case, "case.closed", {"root_cause": root_cause, "handling_seconds": case.handling_seconds})
    return case


@transaction.atomic
def reopen_case(*, actor: User, case_id: int, reason: str) -> Case:
    case = _locked_case(actor, case_id)
    text = clean_free_text(reason, "reason", required=True, max_length=300)
    if case.state != CaseState.CLOSED:
        raise ValidationError(_("The case is open; nothing was changed."), code="open")
    case.state, case.closed_at, case.closed_by = CaseState.OPEN, None, None
    case.last_opened_at = timezone.now()
    case.reopen_count += 1
    case.save(update_fields=["state", "closed_at", "closed_by", "last_opened_at", "reopen_count"])
    _record(actor, case, "case.reopened", {"reason": text})
    return case


def record_view(*, actor: User, case: Case) -> None:
    """Every view of a restricted or strictly confidential case is evidence (own transaction)."""
    if case.confidentiality != Confidentiality.NORMAL:
        with transaction.atomic():
            _record(actor, case, "case.viewed", {})


def record_step_view(*, actor: User, case: Case, step_ids: list[int]) -> None:
    """A step owner's view of the case page (their own steps only) is evidence, whatever the level."""
    with transaction.atomic():
        _record(actor, case, "case.step_viewed", {"steps": step_ids})
