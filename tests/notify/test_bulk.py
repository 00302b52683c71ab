"""enqueue_many: bulk, idempotent, all-or-nothing on channel problems, delivered after commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from hrguard.evidence.models import EvidenceEvent
from hrguard.notify import services
from hrguard.notify.adapters import configure
from hrguard.notify.models import ChannelIdentity, MessageState, OutboxMessage

from .fakes import SmtpServer

pytestmark = pytest.mark.django_db(transaction=True)


def _items(world: Any, keys: list[str], channels: list[str]) -> list[dict[str, Any]]:
    people = [world.employees["east_rep"], world.employees["engineer"], world.employees["sales_manager"]]
    return [
        {"recipient": p, "channels": channels, "subject": f"签署邀请 {k}", "body": "请签署", "idempotency_key": f"{k}:{p.pk}",
         "purpose": "signing_invite", "about": p, "link": "/sign/x/"}
        for k in keys for p in people
    ]


def test_enqueue_many_is_idempotent_and_delivers(world: Any, smtp: SmtpServer, email_channel: Any) -> None:
    with transaction.atomic():
        msgs = services.enqueue_many(world.company, _items(world, ["a", "b"], ["email", "inapp"]))
    assert len(msgs) == 12 and len({m.pk for m in msgs}) == 12
    assert smtp.wait_for(6) and smtp.count() == 6
    assert OutboxMessage.objects.filter(channel="email", state=MessageState.SENT).count() == 6
    assert OutboxMessage.objects.filter(channel="inapp", state=MessageState.DELIVERED).count() == 6
    assert EvidenceEvent.objects.filter(action="notify.queued").count() == 12

    with transaction.atomic():
        again = services.enqueue_many(world.company, _items(world, ["a", "b", "c"], ["email", "inapp"]))
    assert len(again) == 18
    assert [m.pk for m in again[:12]] == [m.pk for m in msgs]
    assert smtp.wait_for(9) and smtp.count() == 9
    assert OutboxMessage.objects.count() == 18


def test_enqueue_many_all_or_nothing(world: Any) -> None:
    configure(world.company, "wecom", {"corp_id": "ww", "agent_id": 1}, {"corp_secret": "s"})
    ChannelIdentity.objects.create(company=world.company, employee=world.employees["east_rep"], channel="wecom",
                                   external_id="ZhangCeShi")
    with pytest.raises(ValidationError) as err, transaction.atomic():
        services.enqueue_many(world.company, _items(world, ["x"], ["wecom"]))
    text = " ".join(err.value.messages)
    assert "李工程" in text and "王经理" in text and "张测试" not in text
    assert not OutboxMessage.objects.exists()
