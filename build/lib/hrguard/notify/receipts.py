"""Delivery reports pushed by providers.

Aliyun SMS "SmsReport" HTTP batch push: the console is given
``https://<host>/notify/receipts/sms/<company id>/<receipt_token>/`` (``receipt_token`` is a secret in the
company's SMS ChannelConfig) and POSTs a JSON array of reports such as
``{"phone_number": "138…", "success": true, "err_code": "DELIVERED", "err_msg": "用户接收成功",
"biz_id": "900619746936498440^0", "out_id": "…", "report_time": "2026-11-27 10:00:05"}``; it expects
``{"code": 0, "msg": "成功"}`` back (anything else makes it retry)."""

from __future__ import annotations

import hmac
import json
from typing import Any

from .adapters import secret_of
from .models import Channel, ChannelConfig
from .services import record_receipt


def token_ok(company_id: int, channel: str, token: str) -> bool:
    cfg = ChannelConfig.objects.filter(company_id=company_id, channel=channel, enabled=True).first()
    expected = str(secret_of(cfg).get("receipt_token", "")) if cfg else ""
    return bool(expected) and hmac.compare_digest(expected.encode(), token.encode())


def aliyun_sms_reports(raw: bytes) -> tuple[int, int]:
    """Apply a batch of SMS reports; returns (matched, total). Raises ValueError on a malformed body."""
    doc: Any = json.loads(raw.decode("utf-8"))
    reports = doc if isinstance(doc, list) else [doc]
    matched = 0
    for report in reports:
        if not isinstance(report, dict) or not report.get("biz_id"):
            raise ValueError("report without biz_id")
        matched += record_receipt(
            Channel.SMS, str(report["biz_id"]), delivered=bool(report.get("success")),
            details={k: str(report.get(k, "")) for k in ("err_code", "err_msg", "report_time", "out_id")},
        )
    return matched, len(reports)
