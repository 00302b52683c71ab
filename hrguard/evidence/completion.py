"""Certificate of completion (证据完成证明 / 签署完成证书) for an evidence package.

A Chinese A4 report rendered with the typst report template: the package's documents with their
SHA-256, the parties, every event (time in Asia/Shanghai, actor, action, IP, device, channel, record
hash) and the checkpoint (tree size, root, signing time), then sealed with the company key (PAdES).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from hrguard.evidence import labels
from hrguard.evidence.labels import SIGNER_ACTIONS
from hrguard.platform.pdf.keys import SigningIdentity
from hrguard.platform.pdf.render import ReportSection, format_cn_datetime, render_table_report
from hrguard.platform.pdf.seal import seal_pdf

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEAL_FIELD = "HRGuardCompletion"

ROLE_LABELS = {
    "original": "原件", "signed": "签署件", "attachment": "附件", "notice": "通知", "signature": "签名图像",
    "ems_proof": "邮寄凭证", "public_notice": "公告凭证", "receipt": "回执",
}
OTHER_ROLE = "其他文件"
SYSTEM_ACTOR = "系统"
OTHER_EVENT = "其他事件"
ZWSP = "\u200b"  # lets a long machine name wrap inside its table cell
CHANNEL_LABELS = {
    "web": "网页", "api": "接口", "cli": "命令行", "worker": "后台任务", "import": "导入", "system": "系统",
    "email": "邮件", "sms": "短信",
}


@dataclass(frozen=True)
class PackagedDocument:
    file: str
    role: str
    sha256: str
    size: int


def shanghai_time(at_text: str) -> str:
    """``2026年11月27日 17:49:42（UTC+08:00）`` from a record's UTC ``at``."""
    at = dt.datetime.strptime(at_text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    return format_cn_datetime(at.astimezone(SHANGHAI))


def breakable(text: str) -> str:
    """Allow line breaks after dots, underscores, slashes and colons (machine names, paths, IPv6)."""
    for ch in "._/-:":
        text = text.replace(ch, ch + ZWSP)
    return text


def action_label(action: str) -> str:
    """Chinese label, then the machine name (wrappable) for matching events.jsonl."""
    label = labels.label_zh(action)
    if label == action or label.isascii():
        label = OTHER_EVENT
    return f"{label}（{breakable(action)}）"


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, OTHER_ROLE)


def actor_label(record: dict[str, Any], people: dict[int, str]) -> str:
    """Who acted: the user; for the signer's own steps the employee; otherwise the system."""
    actor = record.get("actor") or {}
    if actor.get("id") is not None and actor.get("name"):
        return str(actor["name"])
    employee = record.get("employee")
    if str(record.get("action")) in SIGNER_ACTIONS and employee in people:
        return f"{people[employee]}（本人）"
    name = str(actor.get("name") or "")
    return name if name and name != "system" else SYSTEM_ACTOR


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def event_rows(records: Sequence[dict[str, Any]], people: dict[int, str] | None = None) -> list[list[str]]:
    rows = []
    for r in records:
        ctx = r.get("ctx") or {}
        channel = str(ctx.get("channel") or "")
        rows.append([
            str(r["seq"]),
            shanghai_time(r["at"]),
            breakable(actor_label(r, people or {})),
            action_label(str(r["action"])),
            breakable(str(ctx.get("ip") or "—")),
            breakable(_short(str(ctx.get("ua") or "—"), 60)),
            CHANNEL_LABELS.get(channel, "其他" if channel else "—"),
        ])
    return rows


def render_completion(
    *,
    company_name: str,
    title: str,
    package_id: str,
    documents: Sequence[PackagedDocument],
    records: Sequence[dict[str, Any]],
    record_hashes: Sequence[str],
    parties: Sequence[str],
    people: dict[int, str] | None = None,
    checkpoint: dict[str, Any],
    certificate_fingerprint: str,
    identity: SigningIdentity,
    timestamp_url: str | None = None,
    appendices: Sequence[ReportSection] = (),
) -> bytes:
    """Render and seal the certificate. ``records`` are the decoded canonical records, in seq order;
    ``appendices`` (e.g. the key clauses a signer acknowledged) follow the offline-verification section."""
    built = records[-1]
    summary = ReportSection(
        heading="一、基本信息",
        pairs=[
            ("事项", title),
            ("公司", company_name),
            ("当事人", "、".join(parties) or "—"),
            ("证据包编号", package_id),
            ("生成时间", shanghai_time(built["at"])),
            ("事件数量", str(len(records))),
        ],
    )
    docs = ReportSection(
        heading="二、文件及其 SHA-256 哈希值",
        columns=["文件", "类型", "字节数", "SHA-256"],
        rows=[[breakable(d.file), role_label(d.role), str(d.size), d.sha256] for d in documents],
        widths=[0.26, 0.09, 0.1, 0.55],
    )
    events = ReportSection(
        heading="三、事件记录（时间为北京时间）",
        paragraphs=["每条事件均为规范 JSON 记录，按哈希链（prev）相连，并作为 RFC 6962 默克尔树的叶子。"],
        columns=["序号", "时间", "操作人", "事件", "IP 地址", "设备", "渠道"],
        rows=event_rows(records, people),
        widths=[0.07, 0.19, 0.12, 0.22, 0.13, 0.17, 0.1],
    )
    hashes = ReportSection(
        heading="四、事件记录哈希（SHA-256）",
        columns=["序号", "记录哈希"],
        rows=[[str(r["seq"]), h] for r, h in zip(records, record_hashes, strict=True)],
        widths=[0.1, 0.9],
    )
    anchor = ReportSection(
        heading="五、签名检查点",
        pairs=[
            ("默克尔树大小", str(checkpoint["tree_size"])),
            ("默克尔树根", checkpoint["root"]),
            ("签发时间", shanghai_time(checkpoint["issued_at"])),
            ("签名算法", "ECDSA P-256 / SHA-256"),
            ("签名证书指纹（SHA-256）", certificate_fingerprint),
            ("可信时间戳", "已附 RFC 3161 时间戳" if checkpoint.get("timestamp_token") else "未配置"),
        ],
    )
    howto = ReportSection(
        heading="六、离线验证方法",
        paragraphs=[
            "解压证据包后运行：python3 verify.py 证据包.zip（仅需安装 Python 3 与 cryptography）。",
            "验证程序将逐项检查：文件哈希、事件哈希与哈希链、默克尔包含证明、检查点签名、时间戳与 PDF 签名。",
        ],
    )
    pdf = render_table_report(
        "证据完成证明（签署完成证书）",
        [summary, docs, events, hashes, anchor, howto, *appendices],
        document_id=package_id,
        company_name=company_name,
    )
    return seal_pdf(
        pdf, identity, reason="证据完成证明", location=company_name, field_name=SEAL_FIELD,
        timestamp_url=timestamp_url, signer_name=company_name,
    )
