"""SMS through the outbox against a fake Aliyun endpoint, then the provider's delivery report."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from hrguard.evidence.models import EvidenceEvent
from hrguard.notify import services
from hrguard.notify.adapters import configure
from hrguard.notify.models import MessageState

from .fakes import FakeProvider, Request

pytestmark = pytest.mark.django_db(transaction=True)


def test_sms_sent_then_delivery_report(world: Any, provider: FakeProvider) -> None:
    def send_sms(req: Request) -> tuple[int, Any]:
        assert req.query["Action"] == "SendSms" and req.query["Signature"]
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"BIZ-{req.query['OutId']}", "RequestId": "R"}

    provider.routes[("GET", "/")] = send_sms
    configure(world.company, "sms", {"base_url": provider.base_url, "sign_name": "甲公司", "template_code": "SMS_1"},
              {"access_key_id": "id", "access_key_secret": "secret", "receipt_token": "tok-123"})
    with transaction.atomic():
        a, b = (
            services.enqueue(world.company, recipient=world.employees[k], channels=["sms"], subject="提醒",
                             body="b", idempotency_key=f"sms-{k}")[0]
            for k in ("east_rep", "engineer")
        )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.state == b.state == MessageState.SENT
    assert a.provider_id == "BIZ-sms-east_rep:sms"
    assert len(provider.hits("/")) == 2

    url = reverse("notify:sms_receipts", args=[world.company.pk, "tok-123"])
    reports = [
        {"phone_number": a.address, "success": True, "err_code": "DELIVERED", "err_msg": "用户接收成功",
         "biz_id": a.provider_id, "out_id": "sms-east_rep:sms", "report_time": "2026-11-27 10:00:05"},
        {"phone_number": b.address, "success": False, "err_code": "MK:0001", "err_msg": "号码停机",
         "biz_id": b.provider_id, "out_id": "sms-engineer:sms", "report_time": "2026-11-27 10:00:06"},
    ]
    client = Client()
    bad = client.post(reverse("notify:sms_receipts", args=[world.company.pk, "wrong"]), json.dumps(reports),
                      content_type="application/json")
    assert bad.status_code == 404
    ok = client.post(url, json.dumps(reports), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["code"] == 0 and ok.json()["matched"] == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.state == MessageState.DELIVERED and a.delivered_at is not None
    assert b.state == MessageState.FAILED and b in services.problems(world.company.pk)
    assert "号码停机" in b.last_error
    receipt = EvidenceEvent.objects.get(action="notify.receipt", subject_id=str(b.pk))
    assert "号码停机" in receipt.record
    assert client.post(url, "not json", content_type="application/json").status_code == 400
