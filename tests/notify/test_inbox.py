"""The in-app inbox page: own messages only; opening marks read once, with evidence."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from hrguard.evidence.models import EvidenceEvent
from hrguard.notify import services
from hrguard.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


def _send(world: Any, key: str, recipient: Any, subject: str, link: str = "") -> OutboxMessage:
    with transaction.atomic():
        (msg,) = services.enqueue(
            world.company, recipient=recipient, channels=["inapp"], subject=subject,
            body="第一行\n第二行 <script>alert(1)</script>", idempotency_key=key, link=link,
        )
    msg.refresh_from_db()
    return msg


def test_inbox_shows_only_own_messages_and_marks_read(world: Any, other_world: Any, client_for: Any) -> None:
    mine = _send(world, "m1", world.employees["east_rep"], "合同续签通知", link="/documents/")
    _send(world, "m2", world.employees["engineer"], "别人的通知")
    evil = _send(world, "m3", world.users["employee"], "链接测试", link="javascript:alert(1)")
    client = client_for(world.users["employee"], password="pw-employeeemployee")

    page = client.get(reverse("notify:inbox"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "合同续签通知" in html and "链接测试" in html and "别人的通知" not in html

    other = OutboxMessage.objects.get(idempotency_key="m2")
    assert client.get(reverse("notify:message", args=[other.pk])).status_code == 404
    outsider = client_for(other_world.users["employee"], password="pw-employeeemployee")
    assert outsider.get(reverse("notify:message", args=[mine.pk])).status_code == 404

    detail = client.get(reverse("notify:message", args=[mine.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "第一行<br>第二行" in body and "<script>alert(1)" not in body
    assert 'href="/documents/"' in body
    client.get(reverse("notify:message", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at is not None
    reads = EvidenceEvent.objects.filter(action="notification.read", subject_id=str(mine.pk))
    assert reads.count() == 1 and reads[0].actor_id == world.users["employee"].pk
    assert reads[0].employee_id == world.employees["east_rep"].pk
    assert services.unread_count(world.users["employee"]) == 1

    evil_page = client.get(reverse("notify:message", args=[evil.pk])).content.decode()
    assert "javascript:" not in evil_page


def test_inbox_requires_login(world: Any) -> None:
    response = Client().get(reverse("notify:inbox"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_hr_problems_page_and_decisions(world: Any, other_world: Any, client_for: Any) -> None:
    from hrguard.notify.models import MessageState

    unknown = OutboxMessage.objects.create(
        company=world.company, idempotency_key="u1", channel="inapp", address="1", subject="结果未知的通知", body="b",
        state=MessageState.UNKNOWN, employee=world.employees["east_rep"], user=world.users["employee"],
    )
    failed = OutboxMessage.objects.create(
        company=world.company, idempotency_key="f1", channel="inapp", address="1", subject="发送失败的通知", body="b",
        state=MessageState.FAILED, last_error="HTTP 503", user=world.users["employee"],
    )
    hr = client_for(world.users["hr"], password="pw-hrhr")
    page = hr.get(reverse("notify:problems")).content.decode()
    assert "结果未知的通知" in page and "发送失败的通知" in page and "张测试" in page
    assert client_for(world.users["employee"], password="pw-employeeemployee").get(reverse("notify:problems")).status_code == 403
    outsider = client_for(other_world.users["hr"], password="pw-hrhr")
    assert "结果未知的通知" not in outsider.get(reverse("notify:problems")).content.decode()
    assert outsider.post(reverse("notify:decide", args=[unknown.pk]), {"action": "confirm"}).status_code == 404

    assert hr.post(reverse("notify:decide", args=[unknown.pk]), {"action": "confirm"}).status_code == 302
    unknown.refresh_from_db()
    assert unknown.state == MessageState.SENT
    assert EvidenceEvent.objects.filter(action="notify.confirmed_sent", actor_id=world.users["hr"].pk).exists()
    hr.post(reverse("notify:decide", args=[failed.pk]), {"action": "resend"})
    failed.refresh_from_db()
    assert failed.state == MessageState.DELIVERED  # in-app: delivered on retry
    assert EvidenceEvent.objects.filter(action="notify.retry_requested", subject_id=str(failed.pk)).exists()


def _badge(html: str) -> str:
    import re

    found = re.search(r'data-unread="([^"]*)"', html)
    assert found, "the navigation's unread badge is missing"
    return found.group(1)


def test_unread_badge_comes_with_the_user_and_counts_the_message_just_opened(world: Any, client_for: Any) -> None:
    """The badge's count is part of the signed-in user's own query (no query of its own), and the page of a
    message opened for the first time no longer counts that message (the count is dropped on reading)."""
    from hrguard.core.backends import UserBackend

    user = world.users["employee"]
    first = _send(world, "badge-1", user, "第一条")
    _send(world, "badge-2", user, "第二条")
    client = client_for(user)
    assert _badge(client.get(reverse("notify:inbox")).content.decode()) == "2"

    loaded = UserBackend().get_user(user.pk)
    assert getattr(loaded, services.UNREAD_ATTR) == 2
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as asked:
        assert services.unread_up_to(loaded, services.BADGE_CAP) == 2
    assert asked.captured_queries == []

    page = client.get(reverse("notify:message", args=[first.pk])).content.decode()
    assert _badge(page) == "1"
    assert _badge(client.get(reverse("notify:inbox")).content.decode()) == "1"


def test_unread_badge_stops_counting_past_the_cap(world: Any, client_for: Any) -> None:
    user = world.users["employee"]
    with transaction.atomic():
        services.enqueue_many(world.company, [
            {"recipient": user, "channels": ["inapp"], "subject": f"第{i}条", "body": "正文",
             "idempotency_key": f"cap-{i}"} for i in range(services.BADGE_CAP + 2)
        ])
    html = client_for(user).get(reverse("notify:inbox")).content.decode()
    assert _badge(html) == f"{services.BADGE_CAP}+"
    from hrguard.core.backends import UserBackend

    assert getattr(UserBackend().get_user(user.pk), services.UNREAD_ATTR) == services.BADGE_CAP + 1


def test_inbox_heading_counts_every_unread_message_like_the_badge(world: Any, client_for: Any) -> None:
    """The heading counted only the unread among the 50 listed (49 beside a badge of 84 in the demo)."""
    import re

    user = world.users["employee"]
    with transaction.atomic():
        services.enqueue_many(world.company, [
            {"recipient": user, "channels": ["inapp"], "subject": f"通知{i}", "body": "正文",
             "idempotency_key": f"heading-{i}"} for i in range(60)
        ])
    html = client_for(user).get(reverse("notify:inbox")).content.decode()
    assert _badge(html) == "60"
    assert 'data-inbox-unread="60"' in html and "60 条未读" in html
    assert len(re.findall(r'href="/notify/inbox/\d+/"', html)) == 50  # the list still shows the latest 50
    with transaction.atomic():
        services.enqueue_many(world.company, [
            {"recipient": user, "channels": ["inapp"], "subject": f"更多{i}", "body": "正文",
             "idempotency_key": f"heading-more-{i}"} for i in range(45)
        ])
    html = client_for(user).get(reverse("notify:inbox")).content.decode()
    assert _badge(html) == "99+" and 'data-inbox-unread="99+"' in html and "超过 99 条未读" in html
