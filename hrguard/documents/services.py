"""Signing requests: send one template version to one employee or a batch, on chosen channels.

A batch of 10,000 is a handful of bulk statements: envelopes, evidence events and outbox rows are
inserted in bulk; PDFs are rendered on first open (their SHA-256 is stored and recorded then), while
the SHA-256 of the wording each person receives is stored at sending.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hrguard.deadlines import services as deadlines
from hrguard.evidence import services as evidence
from hrguard.law.termination import certificate_blockers
from hrguard.platform import bulk
from hrguard.platform.pdf.render import content_digest

from . import contract_clauses, notices, pdfs, variables
from .models import (
    DocumentFile,
    DocumentKind,
    Envelope,
    FileKind,
    ReminderPolicy,
    SigningRequest,
    TemplateVersion,
)

ALLOWED_CHANNELS = ("sms", "email", "wecom", "inapp", "dingtalk", "feishu")
RENDER_AT_SEND = 20  # requests up to this size get their PDFs rendered at once
DEFAULT_POLICY = {"unopened_hours": 24, "warn_hr_hours": 72, "fallback_hours": 168}


def can_send(user: Any) -> bool:
    return bool(user is not None and user.has_perm("documents.send_requests"))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "ignore")).hexdigest()


def new_token() -> str:
    """192 random bits, URL-safe. Only its SHA-256 is stored."""
    return secrets.token_urlsafe(24)


def policy_for(company: Any, kind: str) -> dict[str, int]:
    rows = {p.kind: p for p in ReminderPolicy.objects.filter(company=company, kind__in=[kind, ""])}
    chosen = rows.get(kind) or rows.get("")
    return chosen.as_dict() if chosen else dict(DEFAULT_POLICY)


def deadline_key(request: SigningRequest) -> str:
    return f"documents:req:{request.pk}:"


@dataclass
class SendResult:
    request: SigningRequest
    tokens: dict[int, str] = field(default_factory=dict)  # employee id -> raw link token
    skipped: list[tuple[Any, str]] = field(default_factory=list)  # unreachable (employee, channel)


def _clean_channels(channels: Sequence[str]) -> list[str]:
    chosen = [c for c in dict.fromkeys(channels) if c]
    bad = [c for c in chosen if c not in ALLOWED_CHANNELS]
    if bad or not chosen:
        raise ValidationError({"channels": ["请至少选择一个有效的发送渠道。"] + [f"未知渠道：{c}" for c in bad]})
    return chosen


# Columns a document, the channel check and the outbox read (only these are loaded for a batch).
EMPLOYEE_FIELDS = (
    "id", "company_id", "employee_no", "name", "email", "status", "hire_date", "termination_date",
    "department_path", "department__id", "department__name", "position__id", "position__name",
    "user__id", "user__is_active", "user__username", "user__email", "user__company_id", "user__role",
    "user__first_name", "user__last_name",
)


def _employees(company: Any, employees: Iterable[Any], *, need_id: bool, need_phone: bool) -> list[Any]:
    """The employees, loaded in chunks; encrypted columns the documents do not need are not decrypted."""
    from hrguard.people.models import Employee

    ids = list(dict.fromkeys(getattr(e, "pk", e) for e in employees))
    fields = list(EMPLOYEE_FIELDS) + (["id_number"] if need_id else []) + (["phone"] if need_phone else [])
    rows: list[Any] = []
    for start in range(0, len(ids), 5000):
        rows += list(
            Employee.objects.filter(company=company, pk__in=ids[start:start + 5000])
            .select_related("user", "position", "department").only(*fields).order_by("pk")
        )
    if len(rows) != len(set(ids)):
        raise PermissionDenied("employee of another company")
    return rows


def send_request(
    company: Any, *, actor: Any, version: TemplateVersion, employees: Iterable[Any], channels: Sequence[str],
    deadline_at: dt.datetime, extra: Mapping[str, str] | None = None, title: str = "",
    skip_unreachable: bool = False, now: dt.datetime | None = None,
) -> SendResult:
    """Create the request, one envelope per employee, the invitations and the reminder deadlines.

    Refuses (ValidationError) before anything is written when a chosen channel cannot reach someone,
    unless ``skip_unreachable`` — then those people are left out and listed in the result."""
    now = now or timezone.now()
    if actor is not None and (not can_send(actor) or actor.company_id != company.pk):
        raise PermissionDenied
    if version.template.company_id != company.pk:
        raise PermissionDenied
    chosen = _clean_channels(channels)
    extra = {k: str(v).strip() for k, v in (extra or {}).items() if k in variables.REQUEST_VARIABLES}
    names = list(dict.fromkeys(variables.used_variables(version.title + version.addressee + version.body)))
    missing = variables.missing_request_values(names, extra)
    if missing:
        raise ValidationError({"extra": [
            f"请填写：{variables.REQUEST_VARIABLES[n]}（{n}）" for n in missing
        ]})
    if deadline_at <= now:
        raise ValidationError({"deadline_at": ["截止时间必须晚于现在。"]})
    config = notices.channel_problems(company, chosen)
    if config:
        raise ValidationError({"channels": list(config.values())})
    people = _employees(company, employees, need_id="id_number" in names, need_phone="sms" in chosen)
    if not people:
        raise ValidationError({"employees": ["请选择至少一名员工。"]})
    problems = notices.unreachable(people, chosen)
    if problems and not skip_unreachable:
        raise ValidationError({"channels": [
            f"{e.name}（{e.employee_no}）：{_channel_gap(c)}" for e, c in problems
        ]})
    dropped = {e.pk for e, _c in problems}
    people = [e for e in people if e.pk not in dropped]
    if not people:
        raise ValidationError({"employees": ["所选员工都无法通过所选渠道联系。"]})
    values = resolve_values(company, version, people, names, extra, timezone.localdate(now))
    clauses = contract_clauses.frozen_for([e.pk for e in people]) if contract_clauses.applies(version) else {}
    with transaction.atomic():
        result = _create(company, actor, version, people, chosen, deadline_at, extra, values, title, now, clauses)
    result.skipped = problems
    return result


def _channel_gap(channel: str) -> str:
    return {"sms": "未登记手机号码", "email": "未登记电子邮箱", "inapp": "没有系统账号"}.get(
        channel, "未开通该平台账号"
    )


MAX_LISTED = 20  # people named one by one in a refusal; the rest are counted


def resolve_values(company: Any, version: TemplateVersion, people: list[Any], names: list[str],
                   extra: Mapping[str, str], today: dt.date) -> dict[int, dict[str, str]]:
    """Each person's document values (frozen in the envelope at sending).

    Refuses — ValidationError naming each person and each item, nothing written — while any variable the
    wording uses would print empty (a certificate saying "已于解除（终止）" is worse than none), and a
    separation certificate for anyone whose employment has not ended (``law.certificate_blockers``)."""
    contracts = (variables.latest_contracts([e.pk for e in people])
                 if variables.CONTRACT_VARIABLES & set(names) else {})
    certificate = version.template.kind == DocumentKind.SEPARATION_CERTIFICATE
    out: dict[int, dict[str, str]] = {}
    problems: list[str] = []
    for emp in people:
        values = variables.employee_values(emp, company, show_full_id=version.show_full_id, today=today,
                                           names=names, contract=contracts.get(emp.pk))
        values.update(extra)
        values["_issued_on"] = today.isoformat()
        out[emp.pk] = values
        reasons = [v.message_zh for v in certificate_blockers(emp.termination_date, today)] if certificate else []
        blank = [n for n in names if not str(values.get(n, "")).strip()
                 and not (reasons and n == "termination_date")]
        if blank:
            reasons.append("以下内容为空：" + "、".join(variables.label(n) for n in blank))
        if reasons:
            problems.append(f"{emp.name}（{emp.employee_no}）：" + "；".join(reasons))
    if problems:
        shown = problems[:MAX_LISTED]
        if len(problems) > MAX_LISTED:
            shown.append(f"另有{len(problems) - MAX_LISTED}名员工的文件内容不完整。")
        raise ValidationError({"employees": [
            "文件内容不完整，未发送任何文件。请先在员工档案、劳动合同中补全以下内容后再发送：", *shown,
        ]})
    return out


def _create(company: Any, actor: Any, version: TemplateVersion, people: list[Any], channels: list[str],
            deadline_at: dt.datetime, extra: dict[str, str], resolved: dict[int, dict[str, str]], title: str,
            now: dt.datetime, clauses: Mapping[int, list[dict[str, Any]]]) -> SendResult:
    kind = version.template.kind
    policy = policy_for(company, kind)
    request = SigningRequest.objects.create(
        company=company, version=version, title=title.strip() or version.title, channels=channels, extra=extra,
        policy=policy, deadline_at=deadline_at, created_by=actor, created_at=now, size=len(people),
    )
    today = timezone.localdate(now)
    tokens: dict[int, str] = {}
    envelopes: list[Envelope] = []
    for emp in people:
        values = resolved[emp.pk]
        token = new_token()
        tokens[emp.pk] = token
        env = Envelope(
            company=company, request=request, employee=emp, document_id=f"HRG-{request.pk}-{emp.employee_no}",
            token_hash=token_hash(token), expires_at=deadline_at, values=values, sent_at=now,
            last_channel=",".join(channels), key_clauses=list(clauses.get(emp.pk, [])),
        )
        env.content_sha256 = content_digest(pdfs.build_content(
            version, values, document_id=env.document_id, company_name=company.name, issued_on=today,
        ))
        envelopes.append(env)
    created = _insert(envelopes, request)
    evidence.record_many(company, actor, [
        evidence.PendingEvent(
            "documents.sent", evidence.Subject("documents.envelope", str(e.pk)),
            {"request": request.pk, "document_id": e.document_id, "template": version.template.name,
             "version": version.number, "version_sha256": version.body_sha256, "content_sha256": e.content_sha256,
             "channels": channels, "deadline": deadline_at,
             **({"key_clauses": [{"id": c["id"], "title": c["title"], "sha256": c["sha256"]}
                                 for c in e.key_clauses]} if e.key_clauses else {})},
            e.employee_id,
        ) for e in created
    ])
    deadline = notices.deadline_text(deadline_at)
    notices.enqueue_bulk(company, [
        notices.Notice(
            employee=e.employee, channels=channels, subject=f"请签署《{request.title}》",
            body=(f"{company.name}请您查看并签署《{request.title}》，截止时间{deadline}。"
                  f"打开链接后需输入发送到您登记手机或邮箱的验证码，请勿转发：{notices.sign_url(tokens[e.employee_id])}"),
            key=f"documents:invite:{e.pk}", link=notices.sign_url(tokens[e.employee_id]), about=e,
        ) for e in created
    ], notices.PURPOSE_INVITE)
    _schedule(request, policy, now)
    if len(created) <= RENDER_AT_SEND:
        for e in created:
            e.request = request
            ensure_original(e)
    return SendResult(request=request, tokens=tokens)


def _insert(envelopes: list[Envelope], request: SigningRequest) -> list[Envelope]:
    """Through the one bulk-insert helper (``platform.bulk``: a prepared INSERT executed for all rows,
    several times faster than bulk_create for a batch of 10,000)."""
    if len(envelopes) <= 100:
        return Envelope.objects.bulk_create(envelopes)
    fields = [f.attname for f in Envelope._meta.concrete_fields if not f.primary_key]
    inserter = bulk.Inserter(Envelope, fields, chunk=2000)
    inserter.extend([getattr(e, name) for name in fields] for e in envelopes)
    inserter.finish()
    by_doc = dict(Envelope.objects.filter(request=request).values_list("document_id", "pk"))
    for e in envelopes:
        e.pk = by_doc[e.document_id]
        e._state.adding = False
    return envelopes


def _schedule(request: SigningRequest, policy: Mapping[str, int], now: dt.datetime) -> None:
    key = deadline_key(request)
    steps = (
        ("remind", "documents.remind_unopened", dt.timedelta(hours=policy["unopened_hours"])),
        ("warn", "documents.warn_hr", dt.timedelta(hours=policy["warn_hr_hours"])),
        ("fallback", "documents.open_fallback", dt.timedelta(hours=policy["fallback_hours"])),
    )
    for name, action, offset in steps:
        deadlines.schedule(request.company, key + name, action, request, now + offset)
    deadlines.schedule(request.company, key + "expire", "documents.expire", request, request.deadline_at)


def ensure_original(envelope: Envelope) -> DocumentFile:
    """The envelope's original PDF, rendered once and kept; its SHA-256 is stored and recorded."""
    existing = DocumentFile.objects.filter(envelope=envelope, kind=FileKind.ORIGINAL).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        locked = Envelope.objects.select_for_update().get(pk=envelope.pk)
        existing = DocumentFile.objects.filter(envelope=locked, kind=FileKind.ORIGINAL).first()
        if existing is not None:
            return existing
        data = pdfs.render_original(envelope)
        digest = pdfs.sha256(data)
        doc = DocumentFile.objects.create(
            company_id=envelope.company_id, envelope=locked, kind=FileKind.ORIGINAL,
            name=f"{envelope.document_id}-original.pdf", sha256=digest, data=data,
        )
        Envelope.objects.filter(pk=envelope.pk).update(original_sha256=digest)
        envelope.original_sha256 = digest
        evidence.record(
            envelope.company_id, None, "documents.rendered", evidence.Subject("documents.envelope", str(envelope.pk)),
            {"document_id": envelope.document_id, "original_sha256": digest,
             "content_sha256": envelope.content_sha256},
            employee=envelope.employee_id,
        )
    return doc


def file_bytes(envelope: Envelope, kind: str) -> bytes | None:
    row = DocumentFile.objects.filter(envelope=envelope, kind=kind).order_by("-pk").first()
    return bytes(row.data) if row is not None else None


def cancel_if_finished(request: SigningRequest) -> None:
    """Stop the reminder deadlines once nobody in the request still has to act."""
    from .models import EnvelopeStatus

    done = (EnvelopeStatus.SIGNED, EnvelopeStatus.DECLINED)
    if not Envelope.objects.filter(request=request).exclude(status__in=done).exists():
        deadlines.cancel(deadline_key(request))
