"""The conversation of an exit between HR and the employee: in the app, and from the employee's phone
through a tokenised link when they no longer have an account (192-bit token, only its hash stored, as
the signing links of ``hrguard.documents``). Every message and every read is an evidence event, so "the
employee never answers" is a record of what was said and when it was read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.core.validation import clean_plain_text
from hrguard.documents.services import new_token, token_hash
from hrguard.evidence import services as evidence
from hrguard.notify import services as notify
from hrguard.people.scope import scope_of
from hrguard.platform.errors import require

from .models import Exit, ExitLink, ExitMessage, ExitState

MAX_BODY = 4000
LINK_DAYS = 90
LINK_CHANNELS = ("sms", "email", "wecom", "dingtalk", "feishu")


def _body(value: Any) -> str:
    return clean_plain_text(value, "body", max_length=MAX_BODY, required=True)


def _is_subject(user: User, exit_: Exit) -> bool:
    return scope_of(user).employee_id == exit_.employee_id


def _record(exit_: Exit, actor: Any, action: str, msg: ExitMessage | None, data: dict[str, Any]) -> None:
    evidence.record(exit_.company_id, actor, action, msg if msg is not None else exit_, employee=exit_.employee_id,
                    data={"exit": exit_.pk, **data})


def _tell_employee(exit_: Exit, msg: ExitMessage, actor: Any) -> None:
    user = exit_.employee.user if exit_.employee.user_id else None
    if user is None or not user.is_active:
        return  # reached through the link HR sends (issue_link)
    notify.enqueue(exit_.company_id, recipient=user, channels=["inapp"], subject=_("New message about your exit"),
                   body=msg.body[:500], idempotency_key=f"offboarding.msg:{msg.pk}", link=reverse(
                       "offboarding:mine"), about=exit_, employee=exit_.employee, purpose="offboarding.message",
                   actor=actor, if_unreachable="record")


def _tell_hr(exit_: Exit, msg: ExitMessage) -> None:
    hr = exit_.created_by if exit_.created_by_id and not exit_.submitted_by_employee else None
    if hr is None or not hr.is_active:
        return
    notify.enqueue(exit_.company_id, recipient=hr, channels=["inapp"], subject=_("The employee answered"),
                   body=msg.body[:500], idempotency_key=f"offboarding.msg:{msg.pk}",
                   link=reverse("offboarding:detail", args=[exit_.pk]), about=exit_, employee=exit_.employee,
                   purpose="offboarding.message", if_unreachable="record")


@transaction.atomic
def post_message(*, actor: User, exit_id: Any, body: str) -> ExitMessage:
    from .services import locked_exit

    exit_ = locked_exit(actor, exit_id)
    require(actor, "offboarding.talk", exit_)
    text = _body(body)
    mine = _is_subject(actor, exit_)
    msg = ExitMessage.objects.create(company_id=exit_.company_id, exit=exit_, from_employee=mine, author=actor,
                                     body=text)
    _record(exit_, actor, "offboarding.message_posted", msg, {"from_employee": mine, "body": text, "via": "app"})
    if mine:
        _tell_hr(exit_, msg)
    else:
        _tell_employee(exit_, msg, actor)
    return msg


def _mark(exit_: Exit, *, from_employee: bool, reader: User | None, via: str) -> list[int]:
    now = timezone.now()
    unread = list(ExitMessage.objects.filter(company_id=exit_.company_id, exit=exit_, from_employee=from_employee,
                                             read_at__isnull=True).values_list("pk", flat=True))
    if unread:
        ExitMessage.objects.filter(pk__in=unread).update(read_at=now, read_by=reader, read_via=via)
        _record(exit_, reader, "offboarding.messages_read", None, {"messages": unread, "via": via,
                                                                    "reader": "employee" if not from_employee
                                                                    else "hr"})
    return unread


@transaction.atomic
def mark_read(*, actor: User, exit_id: Any) -> list[int]:
    """Read receipts: the messages of the other side, read now by the actor."""
    from .services import locked_exit

    exit_ = locked_exit(actor, exit_id)
    require(actor, "offboarding.talk", exit_)
    return _mark(exit_, from_employee=not _is_subject(actor, exit_), reader=actor, via="app")


@dataclass
class IssuedLink:
    link: ExitLink
    token: str
    url: str


@transaction.atomic
def issue_link(*, actor: User, exit_id: Any, channels: list[str], now: dt.datetime | None = None) -> IssuedLink:
    """Send the employee a link to the conversation (SMS, email or a chat app), valid 90 days."""
    from .services import locked_exit

    exit_ = locked_exit(actor, exit_id)
    require(actor, "offboarding.manage_exit", exit_)
    chosen = [c for c in dict.fromkeys(channels or []) if c in LINK_CHANNELS]
    if not chosen or len(chosen) != len(set(channels or [])):
        raise ValidationError({"channels": _("Choose how to send the link: SMS, email or a chat app.")})
    problems = notify.check_channels(exit_.employee, chosen)
    if len(problems) == len(chosen):
        raise ValidationError({"channels": "；".join(problems.values())})
    now = now or timezone.now()
    token = new_token()
    link = ExitLink.objects.create(company_id=exit_.company_id, exit=exit_, token_hash=token_hash(token),
                                   created_by=actor, expires_at=now + dt.timedelta(days=LINK_DAYS))
    url = reverse("exit_thread:page", args=[token])
    notify.enqueue(exit_.company_id, recipient=exit_.employee, channels=[c for c in chosen if c not in problems],
                   subject=_("Messages from HR about your exit"),
                   body=_("HR has written to you about your exit. Open the link to read and answer."),
                   idempotency_key=f"offboarding.link:{link.pk}", link=url, about=exit_, employee=exit_.employee,
                   purpose="offboarding.link", actor=actor, if_unreachable="record")
    _record(exit_, actor, "offboarding.link_issued", None, {"link": link.pk, "channels": chosen,
                                                            "expires_at": link.expires_at})
    return IssuedLink(link, token, url)


def find_link(token: str, *, now: dt.datetime | None = None) -> ExitLink:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise Http404(_("This link is not valid."))
    link = ExitLink.objects.select_related("exit", "exit__employee").filter(token_hash=token_hash(token)).first()
    if link is None:
        raise Http404(_("This link is not valid."))
    if link.revoked_at is not None or link.expires_at < (now or timezone.now()):
        raise PermissionDenied(_("This link has expired. Please contact HR for a new one."))
    return link


@transaction.atomic
def open_by_link(*, token: str) -> tuple[Exit, list[ExitMessage]]:
    """The employee opens the conversation on their phone: HR's messages are marked read (via the link)."""
    link = find_link(token)
    exit_ = link.exit
    ExitLink.objects.filter(pk=link.pk).update(last_opened_at=timezone.now())
    _mark(exit_, from_employee=False, reader=None, via="link")
    return exit_, list(ExitMessage.objects.filter(company_id=exit_.company_id, exit=exit_).order_by("created_at", "id"))


@transaction.atomic
def post_by_link(*, token: str, body: str) -> ExitMessage:
    link = find_link(token)
    exit_ = Exit.objects.select_for_update(of=("self",)).select_related("employee").get(pk=link.exit_id)
    if exit_.state == ExitState.CANCELLED:
        raise ValidationError(_("This exit was withdrawn; please contact HR directly."))
    text = _body(body)
    msg = ExitMessage.objects.create(company_id=exit_.company_id, exit=exit_, from_employee=True, body=text)
    _record(exit_, None, "offboarding.message_posted", msg, {"from_employee": True, "body": text, "via": "link",
                                                             "link": link.pk})
    _tell_hr(exit_, msg)
    return msg


def messages_of(user: User, exit_: Exit) -> list[ExitMessage] | None:
    if not user.has_perm("offboarding.talk", exit_):
        return None
    return list(ExitMessage.objects.filter(company_id=exit_.company_id, exit=exit_).select_related("author")
                .order_by("created_at", "id")[:500])
