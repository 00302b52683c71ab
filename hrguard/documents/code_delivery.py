"""Where a signer's one-time code can go, and what to tell the signer about its delivery — truthfully.

A code goes to a channel the employee can be reached on and the company can deliver on: the registered
phone (SMS), the employee's WeChat Work / DingTalk / Feishu account, the HRGuard in-app inbox when the
employee has an account, or the registered email. It is delivered at once (not left to the worker), so the
page says "sent" only when the provider accepted it (in-app: when it is in the inbox); otherwise it says
so and the message is on HR's problems page (``hrguard.notify.services.problems``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from . import notices
from .models import Envelope

# Preference order on the signer's page: the first reachable one is pre-selected.
CODE_CHANNELS = ("sms", "wecom", "dingtalk", "feishu", "inapp", "email")
SETTLE_SECONDS = 3.0  # how long to wait for a worker that took the message first


def mask_address(address: str) -> str:
    if "@" in address:
        local, _at, domain = address.partition("@")
        return (local[:1] + "***@" + domain) if local else address
    digits = address.strip()
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 8 else "****"


def where(channel: str, address: str) -> str:
    """Where a code went, for "sent to …" sentences (masked: the page is seen before the code is entered)."""
    if channel == "sms":
        return _("the phone %(to)s") % {"to": mask_address(address)}
    if channel == "email":
        return _("the email address %(to)s") % {"to": mask_address(address)}
    if channel == "inapp":
        return _("your HRGuard inbox")
    return _("your %(channel)s account") % {"channel": _channel_label(channel)}


def choice_label(channel: str, address: str) -> str:
    """How the signer's page offers a destination."""
    if channel == "sms":
        return _("SMS to %(to)s") % {"to": mask_address(address)}
    if channel == "email":
        return _("Email to %(to)s") % {"to": mask_address(address)}
    if channel == "inapp":
        return _("your HRGuard inbox (sign in to HRGuard to read it)")
    return _("%(channel)s message") % {"channel": _channel_label(channel)}


def _channel_label(channel: str) -> str:
    from hrguard.notify.models import Channel

    return str(Channel(channel).label)


def destinations(envelope: Envelope) -> list[tuple[str, str]]:
    """(channel, description) of every channel the code can be sent on for this envelope's employee."""
    out = []
    for channel in CODE_CHANNELS:
        if not notices.usable(envelope.company, channel):
            continue
        address = notices.address_for(envelope.employee, channel)
        if address:
            out.append((channel, choice_label(channel, address)))
    return out


@dataclass(frozen=True)
class CodeDelivery:
    """What happened to a code message: ``ok`` only when it was delivered or accepted by the provider."""

    ok: bool
    channel: str
    destination: str  # where it went, masked, e.g. "手机 138****0002"
    state: str
    message: str  # for the signer's page


def outcome(msg: Any, channel: str, destination: str) -> CodeDelivery:
    from hrguard.notify.models import MessageState

    msg = _settled(msg)
    state = msg.state
    if state == MessageState.DELIVERED and channel == "inapp":
        text = _("The code is in your HRGuard inbox: sign in to HRGuard, open the code message in “Inbox” and "
                 "follow its button back to this page to enter the code. It is valid for 10 minutes.")
        return CodeDelivery(True, channel, destination, state, text)
    if state in (MessageState.SENT, MessageState.DELIVERED):
        text = _("A 6-digit code was sent to %(to)s. It is valid for 10 minutes.") % {"to": destination}
        return CodeDelivery(True, channel, destination, state, text)
    if state == MessageState.SENDING:
        text = _("The code is being sent to %(to)s. If it has not arrived within a minute, choose another way "
                 "below or contact HR.") % {"to": destination}
        return CodeDelivery(False, channel, destination, state, text)
    if state == MessageState.QUEUED:
        text = _("The code could not be sent to %(to)s just now; it will be retried for a few minutes. Choose "
                 "another way below, or contact HR.") % {"to": destination}
        return CodeDelivery(False, channel, destination, state, text)
    if state == MessageState.UNKNOWN:
        text = _("It is not certain that the code reached %(to)s. If it does not arrive, choose another way "
                 "below or contact HR.") % {"to": destination}
        return CodeDelivery(False, channel, destination, state, text)
    text = _("The code could not be sent to %(to)s. Choose another way below, or contact HR.") % {"to": destination}
    return CodeDelivery(False, channel, destination, state, text)


def _settled(msg: Any) -> Any:
    """The message once no worker is in the middle of sending it (or after a short wait)."""
    from hrguard.notify.models import MessageState, OutboxMessage

    deadline = time.monotonic() + SETTLE_SECONDS
    while msg.state == MessageState.SENDING and time.monotonic() < deadline:
        time.sleep(0.2)
        msg = OutboxMessage.objects.get(pk=msg.pk)
    return msg


def report_unreachable(envelope: Envelope) -> None:
    """No channel can carry a code to this signer: put it on HR's problems page, once per envelope, with the
    reason for each channel HR chose for the request (nothing is sent)."""
    from hrguard.notify import services as notify

    chosen = [c for c in envelope.request.channels if c in CODE_CHANNELS] or ["inapp"]
    channels = list(notify.check_channels(envelope.employee, chosen))  # only those that cannot reach them
    if not channels:
        return
    notify.enqueue(
        envelope.company, recipient=envelope.employee, channels=channels, subject="签署验证码（无法发送）",
        body=f"无法向{envelope.employee.name}发送《{envelope.request.title}》的签署验证码：没有可用的发送渠道。"
             "请为其登记手机号码、电子邮箱或开通系统账号，或配置相应渠道。",
        idempotency_key=f"documents:code-unreachable:{envelope.pk}", purpose=notices.PURPOSE_CODE,
        about=envelope, employee=envelope.employee, if_unreachable="record", handoff=False,
    )
