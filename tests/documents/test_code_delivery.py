"""The one-time code reaches the signer on a channel they can be reached on, and nobody is told "sent" when
nothing went out: an undeliverable code is on HR's problems page (never "delivered")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrguard.documents import services, signer
from hrguard.documents.models import Envelope
from hrguard.notify import services as notify
from hrguard.notify.adapters import configure
from hrguard.notify.models import OutboxMessage
from tests.notify.fakes import SmtpServer

from .conftest import template_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def _send(world: Any, key: str = "east_rep", channels: tuple[str, ...] = ("email",)) -> tuple[Envelope, str]:
    res = services.send_request(
        world.company, actor=world.users["hr"], version=template_version(world.company, "离职证明"),
        employees=[world.employees[key]], channels=list(channels), deadline_at=timezone.now() + dt.timedelta(days=5),
    )
    env = Envelope.objects.get(request=res.request)
    return env, res.tokens[env.employee_id]


def _code_message(env: Envelope) -> OutboxMessage:
    msg = OutboxMessage.objects.filter(purpose="signing_code", about_id=str(env.pk)).order_by("-pk").first()
    assert msg is not None
    return msg


def _problems_page(world: Any) -> str:
    hr = Client()
    hr.force_login(world.users["hr"])
    return hr.get(reverse("notify:problems")).content.decode()


def test_signer_with_an_account_gets_the_code_in_the_inbox(docs: Any) -> None:
    """The demo case: no mail server, but the employee has an account — the in-app inbox carries the code."""
    env, token = _send(docs)
    env = signer.find(token)
    channels = [c for c, _label in signer.code_destinations(env)]
    assert "inapp" in channels and "email" in channels
    sent = signer.send_code(env, "inapp")
    assert sent.ok and sent.state == "delivered"
    employee = Client()
    employee.force_login(docs.users["employee"])
    inbox = employee.get(reverse("notify:inbox")).content.decode()
    assert "签署验证码" in inbox
    msg = _code_message(env)
    detail = employee.get(reverse("notify:message", args=[msg.pk])).content.decode()
    code = re.search(r"签署验证码为 (\d{6})", detail).group(1)  # type: ignore[union-attr]
    assert signer.verify_code(signer.find(token), code).ok


def test_email_without_a_mail_server_is_not_called_sent(docs: Any) -> None:
    configure(docs.company, "email", {"host": "127.0.0.1", "port": 1, "from_address": "hr@acme.test"})
    env, token = _send(docs, channels=("inapp",))
    sent = signer.send_code(signer.find(token), "email")
    assert not sent.ok and sent.state == "queued"
    assert "could not be sent" in sent.message or "未能发送" in sent.message
    msg = _code_message(env)
    assert notify.is_problem(msg) and msg in notify.problems(docs.company.pk)
    page = _problems_page(docs)
    assert "签署验证码" in page and "重试" in page
    assert "no-problems" not in page  # never "no problems" while a code is stuck


def test_signer_page_says_sent_only_when_it_was(docs: Any, smtp: SmtpServer) -> None:
    configure(docs.company, "email", {"host": "127.0.0.1", "port": 1, "from_address": "hr@acme.test"})
    phone = Client()
    _env, token = _send(docs, channels=("inapp",))
    phone.get(reverse("signing:page", args=[token]))
    failed = phone.post(reverse("signing:send_code", args=[token]), {"channel": "email"}).content.decode()
    assert 'data-testid="sign-error"' in failed and 'data-testid="sign-notice"' not in failed
    assert "已发送" not in failed.split('data-testid="sign-error"')[1].split("</div>")[0]
    assert 'value="inapp" id="dest-inapp" checked' in failed  # the other way is offered first
    inbox = phone.post(reverse("signing:send_code", args=[token]), {"channel": "inapp"}).content.decode()
    assert 'data-testid="sign-notice"' in inbox and "站内信" in inbox.split('data-testid="sign-notice"')[1][:300]

    configure(docs.company, "email", {"host": "127.0.0.1", "port": smtp.port, "from_address": "hr@acme.test"})
    other, other_token = _send(docs, "sales_rep")
    phone = Client()
    phone.get(reverse("signing:page", args=[other_token]))
    ok = phone.post(reverse("signing:send_code", args=[other_token]), {"channel": "email"}).content.decode()
    notice = ok.split('data-testid="sign-notice"')[1][:300]
    assert "已发送" in notice and "s***@acme.test" in notice and 'data-testid="sign-error"' not in ok
    assert smtp.wait_for(1) and _code_message(other).state == "sent"


def test_unreachable_signer_is_a_problem_for_hr(docs: Any) -> None:
    """Nobody can carry the code (no account, no registered address): the page says so, HR sees it."""
    env, token = _send(docs, "sales_rep")  # 欧阳娜娜: email only, no account
    rep = docs.employees["sales_rep"]
    rep.email = ""
    rep.save(update_fields=["email"])
    phone = Client()
    page = phone.get(reverse("signing:page", args=[token])).content.decode()
    assert 'data-testid="no-destination"' in page and 'data-testid="send-code"' not in page
    phone.get(reverse("signing:page", args=[token]))  # reported once, not per visit
    rows = OutboxMessage.objects.filter(idempotency_key=f"documents:code-unreachable:{env.pk}")
    assert [(m.channel, m.state) for m in rows] == [("email", "failed")]
    assert "欧阳娜娜" in rows[0].last_error
    page = _problems_page(docs)
    assert "签署验证码（无法发送）" in page and "欧阳娜娜" in page
    with pytest.raises(signer.SigningError) as exc:
        signer.send_code(signer.find(token), "email")
    assert exc.value.code == "channel"


def test_a_failed_channel_can_be_swapped_at_once(docs: Any) -> None:
    configure(docs.company, "email", {"host": "127.0.0.1", "port": 1, "from_address": "hr@acme.test"})
    _env, token = _send(docs)
    t0 = timezone.now()
    assert not signer.send_code(signer.find(token), "email", now=t0).ok
    assert signer.send_code(signer.find(token), "inapp", now=t0 + dt.timedelta(seconds=2)).ok  # no minute's wait
    with pytest.raises(signer.SigningError) as exc:
        signer.send_code(signer.find(token), "inapp", now=t0 + dt.timedelta(seconds=5))
    assert exc.value.code == "rate"  # the same channel still waits
