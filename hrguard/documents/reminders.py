"""Chasing unsigned documents through durable deadlines (hrguard.deadlines), and the fallback path.

Per request, at sending: ``remind`` (unopened after 24 h → second notice on another channel),
``warn`` (unsigned after 3 days → HR alerted), ``fallback`` (after 7 days → registered mail / public
notice path opens), ``expire`` (the deadline). Thresholds come from the company's ReminderPolicy
(per document kind). Each handler acts on every still-open envelope of the request in one transaction;
the deadline row is marked done in the same transaction, so a crash never doubles a reminder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hrguard.deadlines.services import handler
from hrguard.evidence import services as evidence
from hrguard.platform import uploads

from . import notices, services, signals
from .models import (
    OPEN_STATUSES,
    DocumentFile,
    Envelope,
    EnvelopeStatus,
    FallbackKind,
    FallbackRecord,
    FileKind,
    SigningRequest,
)

MAX_SCAN_BYTES = 10 * 1024 * 1024
SCAN_KINDS = ("pdf", "png", "jpg")


def _request(deadline: Any) -> SigningRequest:
    return SigningRequest.objects.select_related("version__template", "created_by", "company").get(
        pk=int(deadline.subject_id))


def _events(request: SigningRequest, envelopes: list[Envelope], action: str, data: dict[str, Any]) -> None:
    evidence.record_many(request.company_id, None, [
        evidence.PendingEvent(action, evidence.Subject("documents.envelope", str(e.pk)),
                              {"document_id": e.document_id, "request": request.pk, **data}, e.employee_id)
        for e in envelopes
    ])


@handler("documents.remind_unopened")
def remind_unopened(deadline: Any) -> None:
    request = _request(deadline)
    envs = list(Envelope.objects.filter(request=request, status__in=OPEN_STATUSES, opened_at__isnull=True,
                                        reminded_at__isnull=True).select_related("employee__user"))
    if not envs:
        return
    available = [c for c in notices.CHANNEL_ORDER if notices.usable(request.company, c)]
    batch = []
    for env in envs:
        channel = notices.other_channel(env.employee, request.channels, available) or request.channels[0]
        batch.append((env, channel))
    by_channel: dict[str, list[Envelope]] = {}
    for env, channel in batch:
        by_channel.setdefault(channel, []).append(env)
    for channel, group in by_channel.items():
        notices.enqueue_bulk(request.company, [
            notices.Notice(
                employee=e.employee, channels=[channel], subject=f"提醒：请签署《{request.title}》",
                body=(f"{request.company.name}于{notices.deadline_text(e.sent_at)}向您发送了《{request.title}》，"
                      f"您尚未查看。请通过此前收到的链接查看并签署（截止{notices.deadline_text(request.deadline_at)}）；"
                      f"如未收到链接，请联系人力资源部。"),
                key=f"documents:remind:{e.pk}", about=e,
            ) for e in group
        ], notices.PURPOSE_REMINDER)
        _events(request, group, "documents.reminded", {"channel": channel, "rule": "unopened",
                                                       "after_hours": request.policy.get("unopened_hours")})
    Envelope.objects.filter(pk__in=[e.pk for e in envs]).update(reminded_at=deadline.due_at)


@handler("documents.warn_hr")
def warn_hr(deadline: Any) -> None:
    request = _request(deadline)
    envs = list(Envelope.objects.filter(request=request, status__in=OPEN_STATUSES, hr_warned_at__isnull=True)
                .select_related("employee"))
    if not envs:
        return
    names = "、".join(e.employee.name for e in envs[:20]) + ("等" if len(envs) > 20 else "")
    notices.alert_user(
        request.company, request.created_by, f"《{request.title}》有{len(envs)}人尚未签署",
        f"已发送{request.policy.get('warn_hr_hours', 72)}小时，以下人员尚未签署：{names}。请电话或当面联系本人。",
        f"documents:warn:{request.pk}", about=request,
    )
    _events(request, envs, "documents.hr_warned",
            {"rule": "unsigned", "after_hours": request.policy.get("warn_hr_hours")})
    Envelope.objects.filter(pk__in=[e.pk for e in envs]).update(hr_warned_at=deadline.due_at)


@handler("documents.open_fallback")
def open_fallback(deadline: Any) -> None:
    request = _request(deadline)
    envs = list(Envelope.objects.filter(request=request, fallback_opened_at__isnull=True)
                .exclude(status__in=[EnvelopeStatus.SIGNED, EnvelopeStatus.DECLINED]).select_related("employee"))
    if not envs:
        return
    notices.alert_user(
        request.company, request.created_by, f"《{request.title}》：请启用书面送达",
        f"{len(envs)}人在{request.policy.get('fallback_hours', 168)}小时内未签署。请以EMS挂号信寄送书面文件并登记"
        "运单号和签收凭证；无法送达的，可登报公告并上传公告扫描件。",
        f"documents:fallback:{request.pk}", about=request,
    )
    _events(request, envs, "documents.fallback_opened", {"after_hours": request.policy.get("fallback_hours")})
    Envelope.objects.filter(pk__in=[e.pk for e in envs]).update(fallback_opened_at=deadline.due_at)


@handler("documents.expire")
def expire(deadline: Any) -> None:
    request = _request(deadline)
    envs = list(Envelope.objects.filter(request=request, status__in=OPEN_STATUSES, expires_at__lte=deadline.due_at))
    if not envs:
        return
    Envelope.objects.filter(pk__in=[e.pk for e in envs]).update(status=EnvelopeStatus.EXPIRED,
                                                                expired_at=deadline.due_at)
    _events(request, envs, "documents.expired", {"deadline": request.deadline_at})


def record_fallback(envelope: Envelope, *, actor: Any, kind: str, tracking_no: str = "", note: str = "",
                    scan: bytes | None = None, scan_name: str = "", scan_type: str = "",
                    now: dt.datetime | None = None) -> FallbackRecord:
    """HR records notification by registered mail (tracking number + delivery proof) or public notice."""
    now = now or timezone.now()
    if not services.can_send(actor) or actor.company_id != envelope.company_id:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if kind not in FallbackKind.values:
        errors["kind"] = ["请选择送达方式。"]
    tracking_no = tracking_no.strip()
    if kind == FallbackKind.EMS and not (tracking_no.isalnum() and 8 <= len(tracking_no) <= 30):
        errors["tracking_no"] = ["请填写EMS运单号（8–30位字母或数字）。"]
    if kind == FallbackKind.PUBLIC_NOTICE and not scan:
        errors["scan"] = ["请上传公告扫描件。"]
    if scan is not None:
        detected = uploads.detect(scan)  # by content: the browser's content type is not trusted
        if detected not in SCAN_KINDS:
            errors["scan"] = ["扫描件须为PDF、PNG或JPEG文件。"]
        else:
            scan_type = uploads.MIME[detected]
        if len(scan) > MAX_SCAN_BYTES:
            errors["scan"] = ["扫描件不能超过10 MB。"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        doc = None
        if scan is not None:
            doc = DocumentFile.objects.create(
                company_id=envelope.company_id, envelope=envelope,
                kind=FileKind.EMS_PROOF if kind == FallbackKind.EMS else FileKind.PUBLIC_NOTICE,
                name=(scan_name or "scan")[:200], content_type=scan_type, sha256=services.pdfs.sha256(scan),
                data=scan,
            )
        rec = FallbackRecord.objects.create(company_id=envelope.company_id, envelope=envelope, kind=kind,
                                            tracking_no=tracking_no, note=note.strip()[:500], file=doc,
                                            recorded_by=actor, recorded_at=now)
        evidence.record(
            envelope.company_id, actor, "documents.notified_by_fallback",
            evidence.Subject("documents.envelope", str(envelope.pk)),
            {"document_id": envelope.document_id, "request": envelope.request_id, "kind": kind,
             "tracking_no": tracking_no, "note": rec.note, "scan_sha256": doc.sha256 if doc else "",
             "scan_name": doc.name if doc else ""},
            employee=envelope.employee_id,
        )
        transaction.on_commit(lambda: signals.fallback_recorded.send(FallbackRecord, envelope=envelope, record=rec))
    return rec
