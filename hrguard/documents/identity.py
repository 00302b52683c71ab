"""Identity checks before an employee signs, and the subject of their event certificate.

Always: the one-time code (``signer.verify_code``) and a valid ID number on file (the certificate carries
its salted hash). Per document kind (``IdentityPolicy``, company default or a row per kind): real-name
verification through the configured provider (``realname``). Each check's request and result go into
the evidence log — the ID number only as a salted hash, the phone masked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from hrguard.law import ids as law_ids
from hrguard.platform.pdf import ca

from . import realname
from .code_delivery import mask_address
from .models import Envelope, IdentityPolicy


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
