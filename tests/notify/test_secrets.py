"""One-time codes do not outlive their use in the outbox: expired code bodies are wiped."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from hrguard.evidence.models import EvidenceEvent
from hrguard.notify import delivery, services
from hrguard.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _send(world: Any, key: str, purpose: str, body: str) -> OutboxMessage:
    with transaction.atomic():
        (msg,) = services.enqueue(
            world.company, recipient=world.employees["east_rep"], channels=["inapp"], subject="验证码",
            body=body, idempotency_key=key, purpose=purpose,
        )
    return msg


def test_expired_code_bodies_are_wiped_and_the_wipe_is_evidenced(world: Any) -> None:
    code = _send(world, "code:1", "signing_code", "您的签署验证码：482913，10分钟内有效。")
    notice = _send(world, "notice:1", "contract.expiry", "您的劳动合同将于30日后到期。")
    now = timezone.now()
    assert delivery.redact_secrets(now) == 0  # still fresh: the employee may need it
    later = now + delivery.SECRET_LIFETIME + dt.timedelta(seconds=1)
    assert delivery.redact_secrets(later) == 1
    assert "482913" not in OutboxMessage.objects.get(pk=code.pk).body
    assert OutboxMessage.objects.get(pk=notice.pk).body == "您的劳动合同将于30日后到期。"
    event = EvidenceEvent.objects.get(action="notify.secrets_redacted")
    assert event.company_id == world.company.pk and str(code.pk) in event.record
    assert delivery.redact_secrets(later) == 0  # idempotent
