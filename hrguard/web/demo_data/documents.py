"""Documents in every tracker state, through ``documents.services`` / ``signer`` / ``library``: a handbook
acknowledgement sent 40 days ago (signed with a one-time code from the inbox, declined, opened, never
opened), a compliance commitment whose deadline passed (expired after the sweep), a background-check
consent sent today, and a new template not sent yet (draft). Then the durable deadlines run once, as the
worker would: reminders, HR warnings, fallbacks and expiry happen for real."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from hrguard.deadlines import services as deadlines
from hrguard.documents import keystore, library, services, signer
from hrguard.documents.models import DocumentTemplate, Envelope, SigningRequest
from hrguard.notify.models import OutboxMessage

from .base import Demo

DRAFT_NAME = "居家办公协议"
DRAFT_BODY = (
    "{{ company_name }}与员工{{ employee_name }}（工号：{{ employee_no }}）就居家办公事宜约定如下：\n\n"
    "一、居家办公期间，员工应保持通讯畅通，按公司规定的工作时间在线；\n\n"
    "二、员工应妥善保管公司设备和数据，不得在公共网络处理涉密资料；\n\n"
    "三、居家办公不改变劳动合同约定的工资待遇。"
)


def done(demo: Demo) -> bool:
    return SigningRequest.objects.filter(company=demo.company).exists()


def _version(demo: Demo, name: str):  # type: ignore[no-untyped-def]
    return DocumentTemplate.objects.get(company=demo.company, name=name).latest


def _sign(env: Envelope, at: dt.datetime) -> None:
    """What the employee does on the signing page: open, get the code in the inbox, enter it, sign."""
    env = Envelope.objects.select_related("employee", "request").get(pk=env.pk)
    signer.mark_opened(env, now=at)
    signer.send_code(env, "inapp", now=at)
    msg = OutboxMessage.objects.filter(purpose="signing_code", about_id=str(env.pk)).order_by("-pk").first()
    code = re.search(r"(\d{6})", msg.body).group(1) if msg else ""  # type: ignore[union-attr]
    verified = signer.verify_code(env, code, now=at + dt.timedelta(minutes=1)).ok
    signer.sign(env, verified=verified, consent=True, typed_name=env.employee.name, now=at + dt.timedelta(minutes=2))


def _decline(env: Envelope, at: dt.datetime, reason: str) -> None:
    env = Envelope.objects.select_related("employee", "request").get(pk=env.pk)
    signer.mark_opened(env, now=at)
    signer.send_code(env, "inapp", now=at)
    msg = OutboxMessage.objects.filter(purpose="signing_code", about_id=str(env.pk)).order_by("-pk").first()
    code = re.search(r"(\d{6})", msg.body).group(1) if msg else ""  # type: ignore[union-attr]
    verified = signer.verify_code(env, code, now=at + dt.timedelta(minutes=1)).ok
    signer.decline(env, verified=verified, reason=reason, now=at + dt.timedelta(minutes=2))


def seed(demo: Demo) -> int:
    hr = demo.user("hr")
    people = [e for e in demo.with_login() if e.user_id != demo.user("manager").pk]
    if len(people) < 4:
        return 0
    now = timezone.now()
    sent = now - dt.timedelta(days=40)
    keystore.signing_ca(demo.company, now=now - dt.timedelta(days=400))  # the CA predates the history it signs
    handbook = services.send_request(
        demo.company, actor=hr, version=_version(demo, "员工手册确认书"), employees=people, channels=["inapp"],
        deadline_at=now + dt.timedelta(days=20), extra={"handbook_version": f"{demo.today.year}版"}, now=sent,
    )
    envs = list(Envelope.objects.filter(request=handbook.request).order_by("pk"))
    own = next((e for e in envs if e.employee.user_id == demo.user("employee").pk), None)
    rest = [e for e in envs if e is not own]
    signed = rest[: max(1, len(rest) // 2)]
    for i, env in enumerate(signed):
        _sign(env, sent + dt.timedelta(days=1 + i % 5, hours=i % 7))
    if len(rest) > len(signed):
        _decline(rest[len(signed)], sent + dt.timedelta(days=3),
                 "手册第七章奖惩条款与劳动合同约定不一致，需人事说明后再签")
    for env in rest[len(signed) + 1 : len(signed) + 3]:
        signer.mark_opened(Envelope.objects.get(pk=env.pk), now=sent + dt.timedelta(days=2))
    # The demo employee's copy stays unsigned: they see it on their pages, HR sees it age.
    commitment_sent = now - dt.timedelta(days=30)
    commitment = services.send_request(
        demo.company, actor=hr, version=_version(demo, "合规承诺书"), employees=people[:4], channels=["inapp"],
        deadline_at=now - dt.timedelta(days=10) + dt.timedelta(seconds=1), now=commitment_sent,
    )
    first = Envelope.objects.filter(request=commitment.request).order_by("pk").first()
    if first is not None:
        _sign(first, commitment_sent + dt.timedelta(days=2))
    newest = sorted(people, key=lambda e: e.hire_date)[-3:]
    services.send_request(
        demo.company, actor=hr, version=_version(demo, "背景调查及征信授权书"), employees=newest, channels=["inapp"],
        deadline_at=now + dt.timedelta(days=7), extra={"reason": "入职背景调查"}, now=now - dt.timedelta(hours=2),
    )
    if not DocumentTemplate.objects.filter(company=demo.company, name=DRAFT_NAME).exists():
        library.create_template(demo.company, actor=hr, kind="other", name=DRAFT_NAME, title=DRAFT_NAME,
                                body=DRAFT_BODY)
    return Envelope.objects.filter(company=demo.company).count()


def run_deadlines() -> int:
    """Due reminders, HR warnings, fallbacks and expiries — what the worker's sweep does every minute."""
    total = 0
    while (n := deadlines.sweep()) > 0:
        total += n
    return total
