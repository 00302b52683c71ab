"""One-time codes do not outlive their use in the outbox (expired bodies are wiped); bodies and links are
encrypted at rest, including rows written before the encryption."""

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



def test_migration_encrypts_bodies_and_links_written_in_clear(world: Any) -> None:
    """Rows from before the encryption (plaintext columns) are encrypted in place by the migration."""
    import importlib
    from types import SimpleNamespace

    from django.db import connection

    migration = importlib.import_module("hrguard.notify.migrations.0003_outbox_body_link_encrypted")
    msg = _send(world, "old:1", "signing_invite", "placeholder")
    wiped = _send(world, "old:2", "signing_code", "placeholder")
    with connection.cursor() as cur:
        cur.execute("UPDATE notify_outboxmessage SET body = %s, link = %s WHERE id = %s",
                    ["请签署：https://hr.example/sign/SECRET-TOKEN/", "https://hr.example/sign/SECRET-TOKEN/", msg.pk])
        cur.execute("UPDATE notify_outboxmessage SET body = %s WHERE id = %s", [delivery.REDACTED_BODY, wiped.pk])
    migration.encrypt_existing(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cur:
        cur.execute("SELECT body, link FROM notify_outboxmessage WHERE id = %s", [msg.pk])
        body, link = cur.fetchone()
    assert "SECRET-TOKEN" not in body + link and body.startswith("v1:") and link.startswith("v1:")
    again = OutboxMessage.objects.get(pk=msg.pk)
    assert again.body == "请签署：https://hr.example/sign/SECRET-TOKEN/" and again.safe_link.endswith("/SECRET-TOKEN/")
    assert OutboxMessage.objects.get(pk=wiped.pk).redacted_at is not None
    migration.encrypt_existing(None, SimpleNamespace(connection=connection))  # idempotent: not encrypted twice
    assert OutboxMessage.objects.get(pk=msg.pk).body == again.body
