"""Undeliverable messages are problems HR sees — never counted as delivered: nobody to reach on the channel,
the channel not set up, a provider that fails and is being retried, or failed for good."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from hrguard.evidence.models import EvidenceEvent
from hrguard.notify import delivery, services
from hrguard.notify.adapters import configure
from hrguard.notify.models import MessageState, OutboxMessage

from .fakes import SmtpServer

pytestmark = pytest.mark.django_db


def _page(world: Any) -> str:
    hr = Client()
    hr.force_login(world.users["hr"])
    return hr.get(reverse("notify:problems")).content.decode()


def test_unreachable_channels_can_be_recorded_as_failed(world: Any) -> None:
    rep = world.employees["sales_rep"]  # no user account: in-app cannot reach 欧阳娜娜
    with pytest.raises(ValidationError):
        services.enqueue(world.company, recipient=rep, channels=["inapp"], subject="s", body="b",
                         idempotency_key="strict")
    assert not OutboxMessage.objects.filter(idempotency_key="strict").exists()
    with transaction.atomic():
        inapp, email = services.enqueue(
            world.company, recipient=rep, channels=["inapp", "email"], subject="合同到期提醒", body="b",
            idempotency_key="lenient", if_unreachable="record", handoff=False,
        )
    assert inapp.state == MessageState.FAILED and "欧阳娜娜" in inapp.last_error
    assert email.state == MessageState.QUEUED  # the reachable channel is queued as usual
    assert services.problems(world.company.pk) == [inapp]
    ev = EvidenceEvent.objects.get(action="notify.undeliverable", subject_id=str(inapp.pk))
    assert "欧阳娜娜" in ev.record
    assert delivery.deliver(inapp.pk) is None  # a failed row is never sent
    page = _page(world)
    assert "合同到期提醒" in page and 'data-testid="no-problems"' not in page


def test_retrying_messages_are_problems_until_they_go_out(world: Any, smtp: SmtpServer) -> None:
    configure(world.company, "email", {"host": "127.0.0.1", "port": 1, "from_address": "hr@acme.test"})
    with transaction.atomic():
        (msg,) = services.enqueue(world.company, recipient=world.employees["east_rep"], channels=["email"],
                                  subject="薪资确认", body="b", idempotency_key="retry", handoff=False)
    assert services.problems(world.company.pk) == []  # queued, not yet tried: not a problem
    msg = services.deliver_now(msg)
    assert msg.state == MessageState.QUEUED and msg.attempts == 1 and msg.last_error
    assert services.is_problem(msg) and services.problems(world.company.pk) == [msg]
    page = _page(world)
    assert "薪资确认" in page and "重试中" in page
    configure(world.company, "email", {"host": "127.0.0.1", "port": smtp.port, "from_address": "hr@acme.test"})
    OutboxMessage.objects.filter(pk=msg.pk).update(next_attempt_at=None)
    assert delivery.deliver(msg.pk) == MessageState.SENT
    assert services.problems(world.company.pk) == []
    assert 'data-testid="no-problems"' in _page(world)


def test_retry_of_an_unreachable_message_checks_the_address_again(world: Any) -> None:
    rep = world.employees["sales_rep"]
    with transaction.atomic():
        (msg,) = services.enqueue(world.company, recipient=rep, channels=["inapp"], subject="s", body="b",
                                  idempotency_key="later", if_unreachable="record")
    with pytest.raises(ValidationError) as exc:
        services.retry_failed(msg, world.users["hr"])  # still no account: refused, nothing changes
    assert "欧阳娜娜" in " ".join(exc.value.messages)
    assert OutboxMessage.objects.get(pk=msg.pk).state == MessageState.FAILED
    from hrguard.core.models import User

    rep.user = User.objects.create_user(username="acme-ouyang", password="x", company=world.company, role="employee")
    rep.save(update_fields=["user"])
    msg.refresh_from_db()
    services.retry_failed(msg, world.users["hr"])
    msg.refresh_from_db()
    assert msg.address == str(rep.user.pk)
    assert delivery.deliver(msg.pk) == MessageState.DELIVERED
    assert OutboxMessage.objects.get(pk=msg.pk) in services.inbox(rep.user)


def test_a_row_without_an_address_fails_instead_of_being_delivered_to_nobody(world: Any) -> None:
    msg = OutboxMessage.objects.create(company=world.company, idempotency_key="noaddr", channel="inapp", address="",
                                       subject="s", body="b")
    assert delivery.deliver(msg.pk) == MessageState.FAILED
    assert OutboxMessage.objects.get(pk=msg.pk) in services.problems(world.company.pk)
