"""Shared builders for the evidence-package tests: a small signing case and zip tampering."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from django.db import transaction

from hrguard.core import context
from hrguard.evidence import checkpoints, services
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.package import build_package
from hrguard.platform.pdf.render import DocumentContent, render_document
from hrguard.platform.pdf.seal import seal_pdf

ACTIONS = ["esign.sent", "esign.viewed", "esign.otp_verified", "esign.signed"]


def case_documents(world: Any) -> tuple[bytes, bytes]:
    content = DocumentContent(
        title="解除劳动合同通知书", paragraphs=["张测试同志：", "根据《劳动合同法》第三十六条，双方协商一致解除劳动合同。"],
        document_id="DOC-1", company_name=world.company.name, issued_on=dt.date(2026, 11, 27),
    )
    original = render_document(content)
    identity = checkpoints.company_identity(world.company.pk)
    signed = seal_pdf(original, identity, reason="员工签署", location="上海", field_name="EmployeeSignature")
    return original, signed


def record_case(world: Any, original: bytes, signed: bytes) -> list[EvidenceEvent]:
    emp = world.employees["east_rep"]
    token = context.set_current(context.RequestContext(
        ip="203.0.113.7", user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) 微信", channel="web",
    ))
    try:
        with transaction.atomic():
            services.record(world.company, world.users["hr"], "other.noise", None, {"x": 1})
            events = [
                services.record(world.company, world.users["hr"], ACTIONS[0], emp, {"sha256": _h(original)},
                                employee=emp),
                services.record(world.company, world.users["employee"], ACTIONS[1], emp, {}, employee=emp),
                services.record(world.company, world.users["hr"], "other.noise", None, {"x": 2}),
                services.record(world.company, world.users["employee"], ACTIONS[2], emp, {"channel": "sms"},
                                employee=emp),
                services.record(world.company, world.users["employee"], ACTIONS[3], emp,
                                {"original_sha256": _h(original), "signed_sha256": _h(signed), "名": "张测试"},
                                employee=emp),
            ]
    finally:
        context.reset(token)
    return [e for e in events if e.action != "other.noise"]


def _h(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_case_package(world: Any) -> bytes:
    original, signed = case_documents(world)
    events = record_case(world, original, signed)
    return build_package(
        world.company, title="张测试 解除劳动合同通知书 签署", events=events,
        documents=[("解除通知-原件.pdf", original, "original"), ("解除通知-已签署.pdf", signed, "signed")],
        actor=world.users["hr"],
    )


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def rezip(data: bytes, edit: Callable[[dict[str, bytes]], None], *, fix_manifest: bool = True) -> bytes:
    """Apply ``edit`` to the files; with ``fix_manifest`` also forge a matching manifest.json."""
    files = unzip(data)
    edit(files)
    if fix_manifest:
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = {
            n: {"sha256": _h(b), "size": len(b)} for n, b in sorted(files.items()) if n != "manifest.json"
        }
        files["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return buf.getvalue()
