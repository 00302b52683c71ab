"""Issue 10 §12 in a browser: the employee, without an account, opens the conversation link HR sent on a
390 px phone, reads HR's message (the read receipt is recorded) and answers; the answer is in the thread
as evidence."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect


def test_employee_answers_hr_from_the_phone_link(page, e2e_world, console_log):  # type: ignore[no-untyped-def]
    from hrguard.evidence.models import EvidenceEvent
    from hrguard.offboarding import services, threads
    from hrguard.offboarding.models import ExitMessage

    hr = e2e_world.users["hr"]
    exit_ = services.start_exit(actor=hr, employee=e2e_world.employees["east_rep"], kind="resignation",
                                notice_date=dt.date(2026, 11, 2), reason="个人发展")
    threads.post_message(actor=hr, exit_id=exit_.pk, body="请于本周五前确认交接清单。")
    issued = threads.issue_link(actor=hr, exit_id=exit_.pk, channels=["email"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(re.sub(r"^https?://[^/]+", "", issued.url))
    expect(page.locator("body")).to_contain_text("请于本周五前确认交接清单。")
    page.fill("#body", "已收到，周四下午交接。")
    page.locator("#reply-form button[type=submit], #reply-form [type=submit]").first.click()
    expect(page.locator("body")).to_contain_text("已收到，周四下午交接。")
    answer = ExitMessage.objects.get(exit=exit_, body="已收到，周四下午交接。")
    assert EvidenceEvent.objects.filter(subject_id=str(answer.pk), action="offboarding.message_posted").exists()
    assert ExitMessage.objects.filter(exit=exit_, body="请于本周五前确认交接清单。", read_at__isnull=False).exists()
