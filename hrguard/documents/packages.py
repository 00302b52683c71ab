"""Evidence packages for signings (via hrguard.evidence.package), previews, policy edits, event rows."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.evidence import services as evidence
from hrguard.evidence.labels import SIGNER_ACTIONS
from hrguard.platform.pdf.render import render_document

from . import contract_clauses, pdfs, services
from .models import DocumentFile, Envelope, FileKind, ReminderPolicy, SigningRequest, TemplateVersion

MAX_REQUEST_PACKAGE = 50
ROLE = {
    FileKind.ORIGINAL: "original",
    FileKind.SIGNED: "signed",
    FileKind.SIGNATURE: "signature",
    FileKind.EMS_PROOF: "ems_proof",
    FileKind.PUBLIC_NOTICE: "public_notice",
}
SAMPLE = {
    "employee_name": "张测试",
    "employee_no": "S002",
    "id_number": "110105********123X",
    "position": "客户经理",
    "department": "销售部",
    "hire_date": "2020年1月6日",
    "termination_date": "2026年11月30日",
    "contract_type": "固定期限",
    "contract_start": "2020年1月6日",
    "contract_end": "2027年1月5日",
    "contract_term": "2020年1月6日至2027年1月5日",
    "years_of_service": "6年10个月",
    "company_credit_code": "91310000MA1FL8XQ3K",
    "reason": "（事由）",
    "effective_date": "（生效日期）",
    "amount": "（金额）",
    "agency_name": "（催收机构）",
    "law_firm": "（律师事务所）",
    "handbook_version": "（版本）",
    "items": "（事项清单）",
    "reply_days": "7",
    "contract_no": "HT-2020-001",
    "work_location": "上海",
    "wage": "12,000.00",
    "probation": "2个月",
    "contract_clauses": "第1条　个人财务状况告知【关键条款，须单独确认】\n（条款正文）",
}


def preview_pdf(version: TemplateVersion, company: Any) -> bytes:
    today = timezone.localdate()
    values = {**SAMPLE, "company_name": company.name, "today": f"{today.year}年{today.month}月{today.day}日"}
    content = pdfs.build_content(
        version,
        values,
        document_id=f"预览-{version.template_id}-v{version.number}",
        company_name=company.name,
        issued_on=today,
    )
    return render_document(content)


def _events(company_id: int, envelopes: list[Envelope]) -> list[Any]:
    from hrguard.evidence.models import EvidenceEvent
    from hrguard.notify.models import OutboxMessage

    env_ids = [str(e.pk) for e in envelopes]
    msg_ids = [
        str(pk)
        for pk in OutboxMessage.objects.filter(
            company_id=company_id, about_type="documents.envelope", about_id__in=env_ids
        ).values_list("pk", flat=True)
    ]
    request_ids = {str(e.request_id) for e in envelopes}
    q = Q(subject_type="documents.envelope", subject_id__in=env_ids) | Q(
        subject_type="notify.outboxmessage", subject_id__in=msg_ids
    )
    q |= Q(subject_type="documents.signingrequest", subject_id__in=request_ids)
    versions = {str(e.request.version_id) for e in envelopes}
    q |= Q(subject_type="documents.templateversion", subject_id__in=versions)
    return list(EvidenceEvent.objects.filter(q, company_id=company_id).order_by("seq"))


def _documents(envelopes: list[Envelope]) -> list[tuple[str, bytes, str]]:
    for env in envelopes:
        services.ensure_original(env)
    rows = DocumentFile.objects.filter(envelope__in=envelopes).order_by("envelope_id", "pk")
    return [(row.name, bytes(row.data), ROLE.get(row.kind, row.kind)) for row in rows]


def envelope_package(envelope: Envelope, *, actor: Any) -> bytes:
    from hrguard.evidence.package import build_package

    docs = _documents([envelope])
    title = f"{envelope.employee.name} 《{envelope.request.title}》 签署（{envelope.document_id}）"
    events = _events(envelope.company_id, [envelope])
    return build_package(
        envelope.company,
        title=title,
        events=events,
        documents=docs,
        actor=actor,
        employee=envelope.employee,
        certificates=_ca_files(envelope.company_id),
        appendices=_appendices(events),
    )


def _appendices(events: list[Any]) -> list[Any]:
    section = contract_clauses.completion_section(events)
    return [section] if section is not None else []


def request_package(request: SigningRequest, *, actor: Any) -> bytes:
    from hrguard.evidence.package import build_package

    envelopes = list(
        Envelope.objects.filter(request=request).select_related("request", "employee")[: MAX_REQUEST_PACKAGE + 1]
    )
    if len(envelopes) > MAX_REQUEST_PACKAGE:
        raise ValidationError(f"批量请求超过{MAX_REQUEST_PACKAGE}人，请按人员下载证据包。")
    events = _events(request.company_id, envelopes)
    return build_package(
        request.company,
        title=f"《{request.title}》 签署（请求 {request.pk}）",
        events=events,
        documents=_documents(envelopes),
        actor=actor,
        certificates=_ca_files(request.company_id),
        appendices=_appendices(events),
    )


def _ca_files(company_id: int) -> dict[str, bytes]:
    """The signing CA's certificate(s) and its CRLs as of now — the company CA's, or those an external CA's
    adapter supplies —, so the offline verifier anchors employees' event certificates there and reports
    revocations the CRLs list (revoked after the document was signed too); and the TSA roots the company
    configured (``HRGUARD_TSA_ROOTS``), which the verifier trusts unless given its own ``--tsa-roots``."""
    from pathlib import Path

    from cryptography.hazmat.primitives.serialization import Encoding

    from . import certificates, keystore

    roots = keystore.signing_ca_roots(company_id)
    files = {"signing-ca.pem": b"".join(c.public_bytes(Encoding.PEM) for c in roots)}
    for n, der in enumerate(certificates.current_crls(company_id)):
        files["signing-ca.crl" if n == 0 else f"signing-ca-{n + 1}.crl"] = der
    tsa_roots = getattr(settings, "HRGUARD_TSA_ROOTS", None)
    if tsa_roots:
        files["tsa-roots.pem"] = Path(tsa_roots).read_bytes()
    return files


@transaction.atomic
def save_policy(user: Any, data: dict[str, int], kind: str = "") -> ReminderPolicy:
    policy, _created = ReminderPolicy.objects.update_or_create(
        company_id=user.company_id,
        kind=kind,
        defaults={k: int(data[k]) for k in ("unopened_hours", "warn_hr_hours", "fallback_hours")},
    )
    evidence.record(user.company_id, user, "documents.policy_saved", policy, {"kind": kind, **policy.as_dict()})
    return policy


ACTION_LABELS = {
    "documents.sent": "已发送",
    "documents.rendered": "生成原件",
    "documents.delivered": "已送达",
    "documents.opened": "已打开",
    "documents.code_sent": "发送验证码",
    "documents.code_failed": "验证码错误",
    "documents.verified": "身份已验证",
    "documents.signed": "已签署",
    "documents.clause_acknowledged": "员工已确认关键条款",
    "documents.declined": "已拒签",
    "documents.sign_refused": "拒绝签署（身份或证书核验未通过）",
    "documents.certificate_revoked": "签名证书已吊销",
    "documents.identity_policy_saved": "修改签署身份核验规则",
    "documents.expired": "已过期",
    "documents.downloaded": "已下载",
    "documents.reminded": "二次提醒",
    "documents.hr_warned": "已提醒HR",
    "documents.fallback_opened": "启用书面送达",
    "documents.notified_by_fallback": "书面送达登记",
    "documents.unlocked": "HR解锁",
}


def event_row(event: Any, signer_name: str = "") -> dict[str, Any]:
    """One envelope event for the detail page; the signer's own steps (through the link, signed in as
    nobody) are attributed to ``signer_name`` as themself, never to the system."""
    record = json.loads(event.record)
    actor = event.actor_name if event.actor_name and event.actor_name != "system" else str(_("System"))
    if signer_name and event.actor_id is None and event.action in SIGNER_ACTIONS:
        actor = _("%(name)s (self)") % {"name": signer_name}
    ctx = record.get("ctx") or {}
    data = record.get("data") or {}
    return {
        "seq": event.seq,
        "at": timezone.localtime(event.at),
        "action": event.action,
        "label": _label(event.action, data),
        "actor": actor,
        "ip": data.get("ip") or ctx.get("ip", ""),
        "device": (data.get("device") or ctx.get("ua", ""))[:120],
        "channel": data.get("code_channel") or data.get("channel") or ctx.get("channel", ""),
        "hash": event.hash,
    }


def _label(action: str, data: dict[str, Any]) -> str:
    """The Chinese label of an envelope event (never the machine name on a Chinese screen)."""
    from hrguard.evidence.labels import label_zh

    text = ACTION_LABELS.get(action) or label_zh(action)
    if action == contract_clauses.ACTION and data.get("clause_title"):
        text += f"《{data['clause_title']}》"
    return text


def as_local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value else None
