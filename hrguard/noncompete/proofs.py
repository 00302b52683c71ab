"""The monthly proof of employment (在职证明 / 社保记录): a request to the former employee through the outbox on
their channels with a no-login link (192-bit token, only its hash stored — the token service of
``hrguard.documents``, as the exit thread's links), and the page where they upload the proof: the content's
type checked by its bytes, the size capped, the SHA-256 kept in the evidence event."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.validation import clean_plain_text
from hrguard.documents.services import new_token, token_hash
from hrguard.evidence import services as evidence
from hrguard.notify import services as notify
from hrguard.offboarding.threads import LINK_CHANNELS
from hrguard.platform import uploads

from .models import Agreement, AgreementState, Month, MonthState, Proof, ProofLink, ProofState

LINK_DAYS = 30
MAX_PROOF_BYTES = 5 * 1024 * 1024
PROOF_KINDS = ("employment", "social_insurance")


def reachable_channels(employee: Any) -> list[str]:
    problems = notify.check_channels(employee, list(LINK_CHANNELS))
    return [c for c in LINK_CHANNELS if c not in problems]


@transaction.atomic
def issue_request(month: Month, *, actor: Any = None, now: dt.datetime | None = None) -> str | None:
    """Send this month's proof request (inside the caller's transaction); returns the raw token."""
    agreement = month.agreement
    if agreement.state != AgreementState.ACTIVE or month.state == MonthState.CANCELLED:
        return None
    now = now or timezone.now()
    token = new_token()
    link = ProofLink.objects.create(company_id=month.company_id, month=month, token_hash=token_hash(token),
                                    expires_at=now + dt.timedelta(days=LINK_DAYS))
    month.proof_state, month.proof_requested_at = ProofState.REQUESTED, now
    month.save(update_fields=["proof_state", "proof_requested_at"])
    channels = reachable_channels(agreement.employee)
    url = reverse("noncompete_proof:page", args=[token])
    notify.enqueue(month.company_id, recipient=agreement.employee, channels=channels or ["sms"],
                   subject=_("Non-compete: please send your proof of employment"),
                   body=_("Please upload your employment certificate or social insurance record for "
                          "%(start)s – %(end)s through the link.") % {
                       "start": f"{month.period_start:%Y-%m-%d}", "end": f"{month.period_end:%Y-%m-%d}"},
                   idempotency_key=f"noncompete.proof:{link.pk}", link=url, about=agreement,
                   employee=agreement.employee, purpose="noncompete.proof", actor=actor, if_unreachable="record")
    evidence.record(month.company_id, actor, "noncompete.proof_requested", month, employee=agreement.employee_id,
                    data={"agreement": agreement.pk, "month": month.seq, "link": link.pk, "channels": channels,
                          "expires_at": link.expires_at})
    return token


def find_link(token: Any, *, now: dt.datetime | None = None) -> ProofLink:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise Http404(_("This link is not valid."))
    link = (ProofLink.objects.select_related("month", "month__agreement", "month__agreement__employee")
            .filter(token_hash=token_hash(token)).first())
    if link is None:
        raise Http404(_("This link is not valid."))
    if link.revoked_at is not None or link.expires_at < (now or timezone.now()):
        raise PermissionDenied(_("This link has expired. Please contact HR for a new one."))
    if link.month.state == MonthState.CANCELLED:
        raise PermissionDenied(_("The non-compete was released; no proof is needed any more."))
    return link


@transaction.atomic
def open_by_link(*, token: str) -> ProofLink:
    link = find_link(token)
    if link.last_opened_at is None:
        evidence.record(link.company_id, None, "noncompete.proof_opened", link.month,
                        employee=link.month.agreement.employee_id, data={"link": link.pk, "month": link.month.seq})
    ProofLink.objects.filter(pk=link.pk).update(last_opened_at=timezone.now())
    return link


def _tell_hr(agreement: Agreement, month: Month) -> None:
    hr = agreement.created_by if agreement.created_by_id else None
    if hr is None or not hr.is_active:
        return
    notify.enqueue(agreement.company_id, recipient=hr, channels=["inapp"],
                   subject=_("Proof of employment received"),
                   body=_("%(name)s sent the proof for month %(seq)d.") % {"name": agreement.employee.name,
                                                                           "seq": month.seq},
                   idempotency_key=f"noncompete.proof_received:{month.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
                   link=reverse("noncompete:detail", args=[agreement.pk]), about=agreement,
                   employee=agreement.employee, purpose="noncompete.proof_received", if_unreachable="record")


@transaction.atomic
def upload_by_link(*, token: str, kind: str, upload: Any, note: str = "") -> Proof:
    link = find_link(token)
    month = Month.objects.select_for_update(of=("self",)).select_related("agreement", "agreement__employee",
                                                                         "agreement__created_by").get(pk=link.month_id)
    if kind not in PROOF_KINDS:
        raise ValidationError({"kind": [_("Choose what you are sending.")]})
    if upload is None:
        raise ValidationError({"file": [_("Choose the file to upload.")]})
    content = uploads.read(upload, MAX_PROOF_BYTES)
    try:
        checked = uploads.check(uploads.name_of(upload), content, uploads.SCANS, max_bytes=MAX_PROOF_BYTES)
    except uploads.UploadError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    digest = hashlib.sha256(content).hexdigest()
    proof = Proof.objects.create(company_id=month.company_id, month=month, link=link, kind=kind,
                                 note=clean_plain_text(note, "note", max_length=500), file_name=checked.name,
                                 mime=checked.mime, size=checked.size, sha256=digest, content=content)
    month.proof_state = ProofState.ANSWERED
    month.save(update_fields=["proof_state"])
    evidence.record(month.company_id, None, "noncompete.proof_received", proof, employee=month.agreement.employee_id,
                    data={"agreement": month.agreement_id, "month": month.seq, "kind": kind, "file": checked.name,
                          "mime": checked.mime, "size": checked.size, "sha256": digest, "via": "link",
                          "link": link.pk})
    _tell_hr(month.agreement, month)
    return proof
