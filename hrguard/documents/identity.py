"""Identity checks before an employee signs, and the subject of their event certificate.

Always: the one-time code (``signer.verify_code``) and a valid ID number on file (the certificate carries
its salted hash). Per document kind (``IdentityPolicy``, company default or a row per kind): real-name
verification through the configured provider (``realname``). Each check's request and result go into
the evidence log — the ID number only as a salted hash, the phone masked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.evidence import services as evidence
from hrguard.law import ids as law_ids
from hrguard.platform.pdf import ca

from . import realname
from .code_delivery import mask_address
from .models import DocumentKind, Envelope, IdentityPolicy

INHERIT, REQUIRED, NOT_REQUIRED = "inherit", "required", "not_required"


@dataclass
class IdentityOutcome:
    """What was checked, for the evidence log and the package; ``subject`` names the certificate's holder."""

    subject: ca.SignerSubject
    salt_hex: str
    checks: list[dict[str, Any]] = field(default_factory=list)


def id_problem(envelope: Envelope) -> str:
    """Why this signer cannot sign for want of a valid ID number (Chinese on a Chinese page); "" if fine."""
    employee = envelope.employee
    number = law_ids.normalize(employee.id_number or "")
    if not number:
        return _("Your ID number is not on file, so a signing certificate cannot be issued to you. "
                 "Please ask HR to add it, then sign.")
    problem = law_ids.check(employee.id_type, number)
    if problem:
        return _("The ID number on file is not valid (%(problem)s), so a signing certificate cannot be issued "
                 "to you. Please ask HR to correct it, then sign.") % {"problem": problem.zh}
    return ""


def realname_required(envelope: Envelope) -> bool:
    kind = envelope.request.version.template.kind
    rows = {p.kind: p.realname for p in IdentityPolicy.objects.filter(company_id=envelope.company_id,
                                                                      kind__in=["", kind])}
    return rows.get(kind, rows.get("", False))


def prepare(envelope: Envelope) -> tuple[IdentityOutcome, realname.RealNameResult | None]:
    """Run the checks that need no database write (the caller records the outcome as evidence)."""
    employee = envelope.employee
    number = law_ids.normalize(employee.id_number or "")
    salt = ca.new_salt()
    subject = ca.SignerSubject(employee.name, ca.id_number_hash(number, salt),
                               envelope.values.get("company_name", "") or envelope.company.name)
    outcome = IdentityOutcome(subject, salt.hex(), [{"check": "otp", "result": "passed"}])
    result = None
    if not realname_required(envelope):
        outcome.checks.append({"check": "realname", "result": "not_required"})
        return outcome, None
    provider = realname.configured_provider()
    if provider is None:
        outcome.checks.append({"check": "realname", "result": "skipped", "reason": "no provider configured"})
        return outcome, None
    result = provider.verify(name=employee.name, id_number=number, mobile=employee.phone or "")
    outcome.checks.append({
        "check": "realname", "result": result.outcome, "provider": result.provider,
        "request_no": result.request_no, "detail": result.detail, "name": employee.name,
        "id_hash": subject.id_hash, "phone": mask_address(employee.phone or ""),
    })
    return outcome, result


def refusal(result: realname.RealNameResult) -> str:
    if result.outcome in (realname.MISMATCH, realname.NO_RECORD):
        return _("Real-name verification failed: your name, ID number and mobile number do not match the "
                 "carrier's records. Signing is refused; please contact HR.")
    return _("Real-name verification could not be completed. Please try again later or contact HR.")


# --- The per-kind policy (HR's page /documents/identity/) -----------------------------------------------


@dataclass(frozen=True)
class PolicyRow:
    """One line of the policy page: a document kind ("" = company default) and its effective checks."""

    kind: str
    label: str
    setting: str
    """``required`` / ``not_required``, or ``inherit`` (a kind without its own row follows the default)."""
    realname: bool


def policy_rows(company_id: int) -> list[PolicyRow]:
    rows = dict(IdentityPolicy.objects.filter(company_id=company_id).values_list("kind", "realname"))
    default = rows.get("", False)
    out = [PolicyRow("", str(_("All kinds (company default)")), REQUIRED if default else NOT_REQUIRED, default)]
    for kind, label in DocumentKind.choices:
        own = rows.get(kind)
        setting = INHERIT if own is None else (REQUIRED if own else NOT_REQUIRED)
        out.append(PolicyRow(kind, str(label), setting, default if own is None else own))
    return out


def save_policy(*, actor: Any, kind: str, setting: str) -> PolicyRow:
    """Set whether real-name verification precedes signing for ``kind`` ("" = the company default);
    ``inherit`` removes a kind's own rule. Evidence ``documents.identity_policy_saved`` with before/after."""
    if actor is None or not actor.has_perm("documents.edit_templates") or not getattr(actor, "company_id", None):
        raise PermissionDenied
    if kind and kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown document kind.")})
    allowed = (REQUIRED, NOT_REQUIRED) if not kind else (INHERIT, REQUIRED, NOT_REQUIRED)
    if setting not in allowed:
        raise ValidationError({"setting": _("Choose whether real-name verification is required.")})
    company_id = actor.company_id
    with transaction.atomic():
        before = {r.kind: r for r in policy_rows(company_id)}[kind]
        if setting == INHERIT:
            IdentityPolicy.objects.filter(company_id=company_id, kind=kind).delete()
        else:
            IdentityPolicy.objects.update_or_create(company_id=company_id, kind=kind,
                                                    defaults={"realname": setting == REQUIRED})
        after = {r.kind: r for r in policy_rows(company_id)}[kind]
        if (before.setting, before.realname) != (after.setting, after.realname):
            evidence.record(company_id, actor, "documents.identity_policy_saved",
                            evidence.Subject("core.company", str(company_id)),
                            {"kind": kind, "before": {"setting": before.setting, "realname": before.realname},
                             "after": {"setting": after.setting, "realname": after.realname},
                             "checks": ["otp", *(["realname"] if after.realname else [])],
                             "provider_configured": realname.configured_provider() is not None})
    return after
