"""Company notices in the inbox of the demo accounts (some read, some not) and one message nobody can
deliver — an SMS to a person without a phone channel set up — which HR finds on the problems page;
through ``notify.services.enqueue`` (outbox rows with idempotency keys, evidence recorded)."""

from __future__ import annotations

from hrguard.notify import services as notify
from hrguard.notify.models import OutboxMessage

from .base import Demo

PURPOSE = "demo.notice"
NOTICES = [
    ("年度体检安排", "公司将于本月下旬组织年度体检，请在系统中预约体检时间。", True),
    ("新版员工手册已发布", "新版《员工手册》已发布，请在收到签署邀请后完成确认。", False),
    ("年末考勤核对提醒", "请于月底前核对本月考勤记录，如有缺卡请及时补卡或请假。", False),
]


def done(demo: Demo) -> bool:
    return OutboxMessage.objects.filter(company=demo.company, purpose=PURPOSE).exists()


def seed(demo: Demo) -> int:
    hr = demo.user("hr")
    count = 0
    for key in ("employee", "manager"):
        user = demo.user(key)
        for i, (subject, body, read) in enumerate(NOTICES):
            for msg in notify.enqueue(
                demo.company, recipient=user, channels=["inapp"], subject=subject, body=body,
                idempotency_key=f"demo:{demo.company.code}:notice:{i}:{user.pk}", purpose=PURPOSE, actor=hr,
                handoff=not read,
            ):
                count += 1
                if read:  # delivered and opened already
                    notify.mark_read(notify.deliver_now(msg), user)
    person = next((e for e in demo.current() if not e.user_id), None)
    if person is not None:  # no SMS provider configured: written as failed, with the reason, for HR
        count += len(notify.enqueue(
            demo.company, recipient=person, channels=["sms"], subject="体检通知",
            body=f"{person.name}您好：公司年度体检将于本月下旬进行，请登录系统预约。",
            idempotency_key=f"demo:{demo.company.code}:sms:{person.pk}", purpose=PURPOSE, actor=hr,
            if_unreachable="record",
        ))
    return count
