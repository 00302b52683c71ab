"""Delivery errors are stored in the adapters' words; HR reads them as Chinese sentences with the
provider's text as the detail — never a bare English message on a Chinese page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from hrguard.notify.labels import error_label
from hrguard.notify.models import MessageState, OutboxMessage


@pytest.mark.parametrize(("stored", "expected"), [
    ("HTTP 401 from provider", "服务商拒绝了请求（HTTP 401）"),
    ("HTTP 503 from provider (attempt 8 of 8)", "服务商内部错误（HTTP 503）"),
    ("network error: [Errno 111] Connection refused", "无法连接服务商"),
    ("SMTP authentication failed (535)", "邮件服务器拒绝了用户名或密码"),
    ("SMTP unavailable: timed out", "无法连接邮件服务器"),
    ("WeChat Work: invalid user zhangsan", "找不到此人的用户ID"),
    ("no SMS template configured for purpose 'signing_code'", "尚未配置短信模板"),
    ("the worker stopped while sending; check with the provider before resending", "发送进程中断"),
    ("something nobody foresaw", "发送失败"),
])
def test_stored_errors_read_as_chinese_sentences(stored: str, expected: str) -> None:
    with translation.override("zh-hans"):
        text = error_label(stored)
    assert expected in text and f"服务商返回：{stored[:300]}" in text


def test_already_translated_errors_are_shown_as_they_are() -> None:
    with translation.override("zh-hans"):
        assert error_label("无可送达的地址") == "无可送达的地址"
        assert error_label("") == ""
    with translation.override("en"):
        assert error_label("HTTP 401 from provider").startswith("The provider refused the request (HTTP 401)")


def test_problems_page_shows_the_sentence(world: Any, client_for: Any) -> None:
    OutboxMessage.objects.create(
        company=world.company, idempotency_key="f-401", channel="inapp", address="1", subject="签署验证码",
        body="b", state=MessageState.FAILED, last_error="HTTP 401 from provider", user=world.users["employee"],
    )
    page = client_for(world.users["hr"]).get(reverse("notify:problems")).content.decode()
    assert "服务商拒绝了请求（HTTP 401）：请检查渠道设置" in page
