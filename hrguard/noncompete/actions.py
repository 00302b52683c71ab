"""HR's actions once the follow-up runs: new-employer findings (a breach record) and the employer's release
(SPC (I) Art. 39: during the term the employer owes 3 more months of compensation), sent to the former
employee as a document and ending the schedule."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.validation import clean_plain_text
from hrguard.documents import library
from hrguard.documents import services as documents
from hrguard.documents.models import DocumentKind
from hrguard.evidence import services as evidence
from hrguard.law import noncompete as law
from hrguard.platform import uploads
from hrguard.platform.errors import require

from . import schedule
from .models import Agreement, AgreementState, Finding
from .services import locked_agreement

MAX_ATTACHMENT = 10 * 1024 * 1024
RELEASE_TEMPLATE = "解除竞业限制通知书"
RELEASE_SIGN_DAYS = 7
RELEASE_BODY = (
    "{{ employee_name }}（工号：{{ employee_no }}）：\n\n"
    "您与{{ company_name }}约定的竞业限制义务，自{{ effective_date }}起解除。自该日起您不再负有竞业限制义务，"
    "公司亦不再按月支付竞业限制经济补偿。\n\n"
    "依据《最高人民法院关于审理劳动争议案件适用法律问题的解释（一）》第三十九条，在竞业限制期限内解除的，"
    "公司额外支付三个月的竞业限制经济补偿，共计{{ amount }}元。\n\n"
    "解除原因：{{ reason }}\n\n请在下方签收。签收仅表示您已收到本通知。"
)


def _attachment(upload: Any) -> tuple[str, str, str, bytes] | None:
    if upload is None:
        return None
    content = uploads.read(upload, MAX_ATTACHMENT)
    try:
        checked = uploads.check(uploads.name_of(upload), content, uploads.ATTACHMENTS, max_bytes=MAX_ATTACHMENT)
    except uploads.UploadError as exc:
        raise ValidationError({"attachment": [str(exc)]}) from None
    return checked.name, checked.mime, hashlib.sha256(content).hexdigest(), content


@transaction.atomic
def record_finding(*, actor: Any, agreement_id: Any, found_on: dt.date, employer: str, source: str,
                   note: str = "", attachment: Any = None) -> Finding:
    agreement = locked_agreement(actor, agreement_id)
    require(actor, "noncompete.manage", agreement)
    if agreement.state == AgreementState.OFFERED or agreement.state == AgreementState.DECLINED:
        raise ValidationError({"state": [_("Start the follow-up first.")]})
    if not isinstance(found_on, dt.date) or found_on > timezone.localdate():
        raise ValidationError({"found_on": [_("Enter the date of the finding (not in the future).")]})
    file = _attachment(attachment)
    finding = Finding.objects.create(
        company_id=actor.company_id, agreement=agreement, found_on=found_on, recorded_by=actor,
        employer=clean_plain_text(employer, "employer", max_length=200, required=True),
        source=clean_plain_text(source, "source", max_length=300, required=True),
        note=clean_plain_text(note, "note", max_length=2000),
        **({"file_name": file[0], "mime": file[1], "sha256": file[2], "content": file[3]} if file else {}))
    evidence.record(actor.company_id, actor, "noncompete.finding_recorded", finding, employee=agreement.employee_id,
                    data={"agreement": agreement.pk, "found_on": found_on, "employer": finding.employer,
                          "source": finding.source, "note": finding.note, "attachment_sha256": finding.sha256,
                          "liquidated_damages": str(agreement.liquidated_damages)
                          if agreement.liquidated_damages is not None else None})
    return finding


def release_template(actor: Any) -> Any:
    """The company's release notice template (created through documents' public API when missing)."""
    found = next((t for t in library.templates_for(actor) if t.name == RELEASE_TEMPLATE), None)
    if found is None:
        found = library.create_template(actor.company, actor=None, kind=DocumentKind.OTHER, name=RELEASE_TEMPLATE,
                                        title=RELEASE_TEMPLATE, body=RELEASE_BODY, addressee="{{ employee_name }}",
                                        signer_label="签收人")
    return found


def release_payment(agreement: Agreement, on: dt.date) -> Decimal:
    """SPC (I) Art. 39: released during the term → 3 more months; before it starts nothing extra."""
    assert agreement.start_date and agreement.end_date and agreement.monthly_compensation is not None
    if agreement.start_date <= on <= agreement.end_date:
        return law.cancellation_extra(agreement.monthly_compensation)
    return Decimal("0.00")


@transaction.atomic
def release(*, actor: Any, agreement_id: Any, released_on: dt.date, reason: str, channels: list[str]) -> Agreement:
    agreement = locked_agreement(actor, agreement_id)
    require(actor, "noncompete.manage", agreement)
    if agreement.state != AgreementState.ACTIVE:
        raise ValidationError({"state": [_("Only a follow-up in force can be released.")]})
    today = timezone.localdate()
    if not isinstance(released_on, dt.date) or released_on < today:
        raise ValidationError({"released_on": [_("The release takes effect today or later.")]})
    text = clean_plain_text(reason, "reason", max_length=300, required=True)
    extra = release_payment(agreement, released_on)
    template = release_template(actor)
    sent = documents.send_request(agreement.company, actor=actor, version=template.latest,
                                  employees=[agreement.employee], channels=channels,
                                  deadline_at=timezone.now() + dt.timedelta(days=RELEASE_SIGN_DAYS),
                                  extra={"reason": text, "effective_date": f"{released_on:%Y年%m月%d日}",
                                         "amount": f"{extra:,.2f}"}, title=RELEASE_TEMPLATE)
    cancelled = schedule.cancel_after(agreement, released_on)
    agreement.state, agreement.released_on, agreement.release_payment = AgreementState.RELEASED, released_on, extra
    agreement.release_reason, agreement.release_request_id = text, sent.request.pk
    agreement.save(update_fields=["state", "released_on", "release_payment", "release_reason", "release_request_id"])
    evidence.record(actor.company_id, actor, "noncompete.released", agreement, employee=agreement.employee_id, data={
        "released_on": released_on, "release_payment": str(extra), "reason": text, "months_cancelled": cancelled,
        "signing_request": sent.request.pk, "citation": law.SPC_I_39.zh})
    return agreement
