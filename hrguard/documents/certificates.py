"""Employees' event certificates: issue one per signing, publish the CRL, revoke.

Public: :func:`issue` (used by ``signer.sign``), :func:`crl` (served at ``/sign/crl/<company>.crl``),
:func:`revoke_certificate` and :func:`revoke_signing_ca` (services: permission, one transaction, evidence),
:func:`for_envelope` (read).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography import x509
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hrguard.evidence import services as evidence
from hrguard.platform.pdf import ca

from . import keystore
from .models import Envelope, EventCertificate


def _revoked(company_id: int) -> list[tuple[int, dt.datetime]]:
    rows = EventCertificate.objects.filter(company_id=company_id, revoked_at__isnull=False)
    return [(int(serial, 16), at) for serial, at in rows.values_list("serial", "revoked_at")]


def issue(envelope: Envelope, subject: ca.SignerSubject, now: dt.datetime) -> ca.EventCredential:
    """A fresh key pair and its event certificate. Raises ``ca.CAUnavailable`` when the CA may not issue."""
    issuer = keystore.issuer(envelope.company, _revoked(envelope.company_id))
    return ca.issue_event_credential(issuer, subject, now=now)


def remember(envelope: Envelope, cert: x509.Certificate, subject: ca.SignerSubject) -> EventCertificate:
    return EventCertificate.objects.create(
        company_id=envelope.company_id, envelope=envelope, serial=ca.serial_hex(cert.serial_number),
        subject_name=subject.name[:200], id_hash=subject.id_hash, issuer=cert.issuer.rfc4514_string()[:300],
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
    )


def describe(row: EventCertificate) -> dict[str, Any]:
    return {"serial": row.serial, "issuer": row.issuer, "subject_cn": row.subject_name, "id_hash": row.id_hash,
            "not_before": row.not_before, "not_after": row.not_after}


def crl(company: Any, now: dt.datetime | None = None) -> bytes:
    """The company CA's current CRL (DER)."""
    company_id = getattr(company, "pk", company)
    return ca.build_crl(keystore.signing_ca(company_id), _revoked(company_id), now=now or timezone.now())


def current_crls(company: Any, now: dt.datetime | None = None) -> list[bytes]:
    """The DER CRLs of whichever CA issues the company's event certificates: the company CA's own, or what an
    external CA's adapter supplies (an adapter that supplies none, or fails to, gives an empty list)."""
    company_id = getattr(company, "pk", company)
    try:
        return [bytes(d) for d in keystore.issuer(company_id, _revoked(company_id)).crls(now or timezone.now())]
    except (OSError, ValueError, ca.CAUnavailable):
        return []


def for_envelope(user: Any, envelope: Envelope) -> list[EventCertificate]:
    if not user.has_perm("documents.track_requests") or user.company_id != envelope.company_id:
        raise PermissionDenied
    return list(EventCertificate.objects.filter(envelope=envelope).order_by("pk"))


def _require_admin(actor: Any, company_id: int) -> None:
    if actor is None or not actor.has_perm("documents.send_requests") or actor.company_id != company_id:
        raise PermissionDenied


@transaction.atomic
def revoke_certificate(*, actor: Any, company_id: int, serial: str, reason: str,
                       now: dt.datetime | None = None) -> EventCertificate:
    """Put one event certificate on the CA's revocation list (e.g. the signing is disputed as fraud)."""
    _require_admin(actor, company_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写吊销原因。"})
    serial = serial.strip().lower().removeprefix("0x")
    row = EventCertificate.objects.select_for_update().filter(company_id=company_id, serial=serial).first()
    if row is None:
        raise ValidationError({"serial": "没有这个证书序列号。"})
    if row.revoked_at is None:
        row.revoked_at, row.revocation_reason = now or timezone.now(), reason[:500]
        row.save(update_fields=["revoked_at", "revocation_reason"])
        evidence.record(company_id, actor, "documents.certificate_revoked",
                        evidence.Subject("documents.envelope", str(row.envelope_id)),
                        {"serial": row.serial, "reason": row.revocation_reason, "revoked_at": row.revoked_at})
    return row


@transaction.atomic
def revoke_signing_ca(*, actor: Any, company_id: int, reason: str, now: dt.datetime | None = None) -> None:
    """Retire the company signing CA: no new signing until a new CA is set up; signed documents keep the
    validation data they embed."""
    _require_admin(actor, company_id)
    if not reason.strip():
        raise ValidationError({"reason": "请填写吊销原因。"})
    now = now or timezone.now()
    cert = keystore.signing_ca(company_id).cert
    evidence.record(company_id, actor, "documents.signing_ca_revoked",
                    evidence.Subject("core.company", str(company_id)),
                    {"serial": ca.serial_hex(cert.serial_number), "subject": cert.subject.rfc4514_string(),
                     "reason": reason.strip()[:500]})
    transaction.on_commit(lambda: keystore.retire_ca(company_id, now))
