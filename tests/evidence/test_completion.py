"""The certificate of completion: the employee's own steps on the signing link are attributed to the
employee (never "system"), file types and event names are Chinese, and no cell holds a run of text too
long to wrap inside its column (which is how columns ran into each other)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from hrguard.core import context
from hrguard.documents import packages, signer
from hrguard.evidence import completion
from hrguard.platform.pdf.poppler import extract_text
from tests.documents.conftest import docs, last_code, signature_png  # noqa: F401 - fixtures
from tests.documents.test_signing_flow import send_certificate

pytestmark = pytest.mark.django_db
PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "Mobile/15E148 MicroMessenger/8.0.47")


def _signed_package(world, png: bytes) -> bytes:  # type: ignore[no-untyped-def]
    env, token = send_certificate(world)
    tok = context.set_current(context.RequestContext(ip="203.0.113.7", user_agent=PHONE, channel="web"))
    try:
        env = signer.find(token)
        signer.mark_opened(env)
        signer.send_code(env, "email")
        signer.verify_code(env, "000001" if last_code(env) != "000001" else "000002")
        assert signer.verify_code(env, last_code(env)).ok
        signer.sign(env, verified=True, consent=True, drawn_png=png)
    finally:
        context.reset(tok)
    return packages.envelope_package(env, actor=world.users["hr"])


def _rows(text: str) -> dict[str, str]:
    """Event table rows by machine name: the text from the row's start to its machine name."""
    flat = re.sub(r"\s+", "", text.replace("\u200b", ""))
    out = {}
    for m in re.finditer(r"(\d{4}年\d{1,2}月\d{1,2}日\d{2}:\d{2}:\d{2}\(UTC\+08:00\)|（UTC\+08:00）)(.*?)（([a-z_.]+)）",
                         flat):
        out.setdefault(m.group(3), m.group(2))
    return out


def test_certificate_attributes_the_employees_steps_and_is_chinese(docs, signature_png) -> None:  # noqa: F811
    data = _signed_package(docs, signature_png)
    pdf = zipfile.ZipFile(io.BytesIO(data)).read("completion.pdf")
    text = extract_text(pdf)
    rows = _rows(text)
    for action, label in [("documents.opened", "打开签署链接"), ("documents.code_failed", "验证码错误"),
                          ("documents.verified", "已验证身份"), ("documents.signed", "完成签署")]:
        assert rows.get(action, "").startswith("张测试（本人）"), (action, rows.get(action))
        assert rows[action].endswith(label), (action, rows[action])
    assert rows["documents.sent"].startswith("acme-hr")
    assert "system" not in text.lower()
    flat = re.sub(r"\s+", "", text)
    assert "签名图像" in flat and "原件" in flat and "签署件" in flat
    assert "其他事件" not in flat  # every action in a signing case has a Chinese name


def test_cells_have_no_unwrappable_runs() -> None:
    record = {
        "seq": 3, "at": "2026-11-27T09:49:42.123456Z", "actor": {"id": None, "name": "system"},
        "action": "documents.notified_by_fallback", "employee": 7,
        "ctx": {"ip": "2001:db8:85a3::8a2e:370:7334", "ua": PHONE, "channel": "web"},
    }
    row = completion.event_rows([record], {7: "欧阳娜娜"})[0]
    widths = [0.07, 0.19, 0.12, 0.22, 0.13, 0.17, 0.1]  # as in render_completion
    for cell, width in zip(row, widths, strict=True):
        longest = max(len(run) for run in re.split(r"[\s\u200b]+|(?<=[\u3000-\u9fff（）])", cell) if run)
        assert longest <= int(width * 100), (cell, longest)  # ~1 latin char per 1% of the text width
    assert row[2] == "系统"  # a system step stays the system's: not attributed to the employee


def test_unknown_roles_and_actions_are_named_in_chinese() -> None:
    assert completion.role_label("signature") == "签名图像"
    assert completion.role_label("something_new") == "其他文件"
    assert completion.action_label("documents.something_new").startswith("其他事件（")
    assert completion.action_label("documents.signed").startswith("完成签署（")
    signer_step = {"action": "documents.signed", "actor": {"id": None, "name": "system"}, "employee": 7}
    assert completion.actor_label(signer_step, {7: "张测试"}) == "张测试（本人）"
    by_user = {"action": "documents.signed", "actor": {"id": 3, "name": "acme-hr"}, "employee": 7}
    assert completion.actor_label(by_user, {7: "张测试"}) == "acme-hr"
