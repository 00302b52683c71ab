"""The exit's documents (issue 10 §6): which ones the exit needs (proposed from its kind, variant and the
employee's balance), sending them for remote signature through ``documents.services.send_request`` (its
24 h / 3 days / 7 days reminder ladder and fallback path come with it), the link to the envelope
(``ExitDocument``) and the state read from it: sent, opened, signed, declined, expired or delivered by
fallback (registered mail / public notice, ``documents.reminders.record_fallback``). A signed or
fallback-delivered separation certificate stops its Art. 50 clock (``duties``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrguard.core.models import User
from hrguard.documents import library, reminders, signals, tracker
from hrguard.documents import services as documents
from hrguard.documents.models import DocumentKind
from hrguard.documents.variables import cn_date
from hrguard.evidence import services as evidence
from hrguard.expenses import selectors as expenses
from hrguard.law import termination as law
from hrguard.platform.errors import require

from . import duties, grounds, processes
from .models import DutyKind, Exit, ExitDocument, ExitItem, ExitKind, ExitState

K = DocumentKind
EXIT_KINDS = (K.TERMINATION_NOTICE, K.SEPARATION_CERTIFICATE, K.DEBT_CLEARANCE, K.COMPLIANCE_COMMITMENT,
              K.HANDOVER_CONFIRMATION)
DONE_STATES = ("signed", "fallback")
STATE_LABELS = {"sent": gettext_lazy("Sent"), "opened": gettext_lazy("Opened"), "signed": gettext_lazy("Signed"),
                "declined": gettext_lazy("Declined"), "expired": gettext_lazy("Expired"),
                "fallback": gettext_lazy("Delivered by registered mail / public notice")}
DEFAULT_DAYS = 14  # signing deadline offered (practice): longer than the 7-day ladder, so the fallback comes first
CHANNELS = ("inapp", "sms", "email", "wecom", "dingtalk", "feishu")


@dataclass
class Proposal:
    kind: str
    label: str
    why: str
    proposed: bool
    values: dict[str, str]
    sent: bool = False

    @property
    def value_list(self) -> list[tuple[str, str]]:  # for templates ("items" is also a value name)
        return list(self.values.items())


def _outstanding(exit_: Exit) -> Decimal:
    return expenses.outstanding_for_employee(exit_.employee)


def _items_text(exit_: Exit) -> str:
    names = list(ExitItem.objects.filter(company_id=exit_.company_id, exit=exit_).order_by("kind", "id")
                 .values_list("name", flat=True)[:30])
    return "\n".join(f"{i}. {n}" for i, n in enumerate(names, 1))


def default_values(exit_: Exit, kind: str) -> dict[str, str]:
    """The request variables of the document, filled from the exit (HR may change them before sending)."""
    ground = grounds.ground_label(exit_.ground)
    values = {"effective_date": cn_date(exit_.last_day)}
    if kind == K.TERMINATION_NOTICE:
        values["reason"] = f"{ground}{('：' + exit_.reason) if exit_.reason else ''}"[:500]
    elif kind == K.DEBT_CLEARANCE:
        values["reason"] = _("advances and loans")
        values["amount"] = f"{_outstanding(exit_):.2f}"
    elif kind == K.HANDOVER_CONFIRMATION:
        values["items"] = _items_text(exit_)
    return values


def proposals(exit_: Exit, links: list[ExitDocument] | None = None) -> list[Proposal]:
    """What the exit's kind and variant need, proposed ones first; already sent kinds marked."""
    employer_led = exit_.kind in (ExitKind.FOR_CAUSE, ExitKind.NO_FAULT, ExitKind.LAYOFF) or exit_.persuasion
    securities = exit_.template_key == processes.VARIANTS["securities"]
    owes = _outstanding(exit_) > 0
    rules = [
        (K.TERMINATION_NOTICE, employer_led, _("The company ends the employment: written notice, signed for receipt.")),
        (K.SEPARATION_CERTIFICATE, True, _("Every exit (LCL Art. 50; Regulation Art. 24 fields); sent once the "
                                           "employment has ended.")),
        (K.DEBT_CLEARANCE, owes, _("The employee has an outstanding balance.") if owes
         else _("Only when money is to be settled.")),
        (K.COMPLIANCE_COMMITMENT, securities, _("Securities variant: compliance exit commitment.")),
        (K.HANDOVER_CONFIRMATION, True, _("Confirms the handover that compensation waits for (LCL Art. 50).")),
    ]
    sent = {link.kind for link in (links if links is not None else ExitDocument.objects.filter(exit=exit_))}
    out = [Proposal(str(kind), str(kind.label), why, bool(flag), default_values(exit_, kind), kind in sent)
           for kind, flag, why in rules]
    return sorted(out, key=lambda p: not p.proposed)


def _template(exit_: Exit, kind: str) -> Any:
    library.ensure_default_templates(exit_.employee.company)
    found = [t for t in library.templates_for(exit_.employee) if t.kind == kind and t.active]
    if not found or found[0].latest is None:
        raise ValidationError({"kind": [_("No active template for this document; add one in the template library.")]})
    return found[0].latest


@transaction.atomic
def send(*, actor: User, exit_id: Any, kind: str, channels: list[str], values: dict[str, str] | None = None,
         days: int = DEFAULT_DAYS) -> ExitDocument:
    """Send one of the exit's documents to the employee for signature. Refused (nothing written) while a
    value the wording uses is empty, and for the separation certificate before the employment has ended."""
    from .services import locked_exit

    exit_ = locked_exit(actor, exit_id)
    require(actor, "offboarding.manage_exit", exit_)
    if kind not in EXIT_KINDS:
        raise ValidationError({"kind": [_("Choose one of the exit's documents.")]})
    if exit_.state == ExitState.CANCELLED:
        raise ValidationError({"kind": [_("This exit was withdrawn; nothing was sent.")]})
    if not isinstance(days, int) or not 1 <= days <= 30:
        raise ValidationError({"days": [_("Signing deadline: between 1 and 30 days.")]})
    today = timezone.localdate()
    if kind == K.SEPARATION_CERTIFICATE and (not exit_.employment_ended or exit_.last_day >= today):
        raise ValidationError({"kind": [_(
            "Separation certificate: it is issued when the employment has ended, after the last working day "
            "%(d)s, not before (%(law)s).") % {"d": exit_.last_day.isoformat(), "law": law.ART_50.zh}]})
    extra = {**default_values(exit_, kind), **{k: str(v)[:2000] for k, v in (values or {}).items()}}
    version = _template(exit_, kind)
    result = documents.send_request(
        exit_.employee.company, actor=actor, version=version, employees=[exit_.employee], channels=channels,
        deadline_at=timezone.now() + dt.timedelta(days=days), extra=extra)
    envelope = result.request.envelopes.get()
    link = ExitDocument.objects.create(company_id=exit_.company_id, exit=exit_, kind=kind, envelope=envelope,
                                       created_by=actor)
    evidence.record(exit_.company_id, actor, "offboarding.document_sent", exit_, employee=exit_.employee, data={
        "kind": kind, "envelope": envelope.pk, "document_id": envelope.document_id, "request": result.request.pk,
        "channels": list(channels), "deadline": result.request.deadline_at})
    return link


def state_of(envelope: Any) -> str:
    if envelope.status == "signed":
        return "signed"
    if list(envelope.fallbacks.all()):
        return "fallback"
    if envelope.status in ("declined", "expired"):
        return envelope.status
    return "opened" if envelope.opened_at else "sent"


@dataclass
class DocumentRow:
    link: ExitDocument
    envelope: Any
    state: str
    label: str
    fallbacks: list[Any] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.state in DONE_STATES


def rows_of(exit_: Exit) -> list[DocumentRow]:
    """The exit's sent documents with their state (three queries whatever their number)."""
    links = list(ExitDocument.objects.filter(company_id=exit_.company_id, exit=exit_).order_by("id"))
    return _rows(exit_.company_id, links)


def _rows(company_id: int, links: list[ExitDocument]) -> list[DocumentRow]:
    envs = tracker.envelopes_by_id(company_id, [link.envelope_id for link in links]) if links else {}
    out = []
    for link in links:
        env = envs[link.envelope_id]
        state = state_of(env)
        out.append(DocumentRow(link, env, state, str(STATE_LABELS[state]), list(env.fallbacks.all())))
    return out


def open_counts(company_id: int, exit_ids: list[int]) -> dict[int, int]:
    """Per exit, its documents neither signed nor delivered by fallback (the dashboard: three queries)."""
    links = list(ExitDocument.objects.filter(company_id=company_id, exit_id__in=exit_ids))
    out: dict[int, int] = {}
    for row in _rows(company_id, links):
        if not row.done:
            out[row.link.exit_id] = out.get(row.link.exit_id, 0) + 1
    return out


def certificate_delivery(exit_: Exit) -> tuple[dt.date, str] | None:
    """When and how the separation certificate reached the employee (signed, or fallback), if it did."""
    links = list(ExitDocument.objects.filter(company_id=exit_.company_id, exit=exit_,
                                             kind=K.SEPARATION_CERTIFICATE))
    for row in _rows(exit_.company_id, links):
        if row.state == "signed":
            return timezone.localdate(row.envelope.signed_at), duties.VIA_SIGNED
        if row.state == "fallback":
            return timezone.localdate(row.fallbacks[0].recorded_at), duties.VIA_FALLBACK
    return None


def record_fallback(*, actor: User, exit_id: Any, document_id: Any, kind: str, tracking_no: str = "",
                    note: str = "", scan: bytes | None = None, scan_name: str = "") -> Any:
    """HR records delivery by registered mail (EMS, tracking number and scan) or public notice."""
    from .services import locked_exit

    with transaction.atomic():
        exit_ = locked_exit(actor, exit_id)
        require(actor, "offboarding.manage_exit", exit_)
        link = ExitDocument.objects.filter(company_id=exit_.company_id, exit=exit_, pk=_int(document_id)).first()
        if link is None:
            raise ValidationError({"document": [_("No such document of this exit.")]})
        envelope = tracker.envelopes_by_id(exit_.company_id, [link.envelope_id])[link.envelope_id]
        if envelope.status == "signed":
            raise ValidationError({"document": [_("This document is already signed.")]})
        rec = reminders.record_fallback(envelope, actor=actor, kind=kind, tracking_no=tracking_no, note=note,
                                        scan=scan, scan_name=scan_name)
        if link.kind == K.SEPARATION_CERTIFICATE:
            duties.complete(company_id=exit_.company_id, exit_id=exit_.pk, kind=DutyKind.CERTIFICATE,
                            on=timezone.localdate(rec.recorded_at), via=duties.VIA_FALLBACK, actor=actor)
    return rec


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _certificate_reached(envelope: Any) -> None:
    link = (ExitDocument.objects.filter(company_id=envelope.company_id, envelope_id=envelope.pk,
                                        kind=K.SEPARATION_CERTIFICATE).select_related("exit").first())
    if link is None:
        return
    with transaction.atomic():
        done = certificate_delivery(link.exit)
        if done is not None:
            duties.complete(company_id=link.company_id, exit_id=link.exit_id, kind=DutyKind.CERTIFICATE,
                            on=done[0], via=done[1])


@receiver(signals.envelope_finished, dispatch_uid="offboarding.certificate_signed")
def _on_finished(sender: Any, envelope: Any, status: str, **kwargs: Any) -> None:
    if status == "signed":
        _certificate_reached(envelope)


@receiver(signals.fallback_recorded, dispatch_uid="offboarding.certificate_fallback")
def _on_fallback(sender: Any, envelope: Any, **kwargs: Any) -> None:
    _certificate_reached(envelope)


def may_send(user: User, exit_: Exit) -> bool:
    try:
        return bool(user.has_perm("offboarding.manage_exit", exit_) and documents.can_send(user))
    except PermissionDenied:
        return False
