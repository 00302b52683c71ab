"""Who hears about a step: assigned → the assignee(s); approved / rejected / completed → the starter and
the subject; overdue → the assignee(s); escalated → the superior or the new assignee(s). In-app plus
every chat channel the company has set up and the person is reachable on, through the outbox in the
transition's transaction. One idempotency key per step, event and person: a retried sweep or a second
call never sends twice; unreachable channels are recorded as failed rows (HR sees them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.notify import services as notify
from hrguard.notify.addressing import CHAT_CHANNELS
from hrguard.notify.models import Channel

from .models import ProcessInstance, Step

MAX_ROLE_RECIPIENTS = 20


def role_users(company_id: int, role: str, exclude: Iterable[int] = ()) -> list[User]:
    return list(User.objects.filter(company_id=company_id, role=role, is_active=True)
                .exclude(pk__in=list(exclude)).order_by("pk")[:MAX_ROLE_RECIPIENTS])


def assignees(step: Step, parties: Iterable[int] = ()) -> list[User]:
    if step.assignee_user_id:
        user = step.assignee_user
        return [user] if user is not None and user.is_active else []
    if step.assignee_role:
        return role_users(step.company_id, step.assignee_role, parties)
    return []


def task_link(step: Step) -> str:
    try:
        return reverse("workflows:task", args=[step.pk])
    except NoReverseMatch:
        return "/processes/tasks/"


def _channels(user: User) -> list[str]:
    chats = [c for c in CHAT_CHANNELS if c not in notify.check_channels(user, list(CHAT_CHANNELS))]
    return [Channel.INAPP, *chats]


def send(step: Step | None, instance: ProcessInstance, event: str, users: Iterable[User | None], *,
         actor: Any, subject: str, body: str, level: int = 0) -> int:
    """Enqueue ``event`` for each distinct user (never the actor); returns how many were notified."""
    with notify.config_scope():
        return _send(step, instance, event, users, actor=actor, subject=subject, body=body, level=level)


def _send(step: Step | None, instance: ProcessInstance, event: str, users: Iterable[User | None], *,
          actor: Any, subject: str, body: str, level: int = 0) -> int:
    seen: set[int] = set()
    about = step if step is not None else instance
    link = task_link(step) if step is not None and event in ("assigned", "overdue", "escalated") else ""
    for user in users:
        if user is None or user.pk in seen or (actor is not None and user.pk == getattr(actor, "pk", None)):
            continue
        seen.add(user.pk)
        ref = f"s{step.pk}" if step is not None else f"i{instance.pk}"
        notify.enqueue(
            instance.company_id, recipient=user, channels=_channels(user), subject=subject, body=body,
            idempotency_key=f"workflows:{ref}:{event}:{level}:u{user.pk}", link=link, about=about,
            employee=instance.subject_employee_id and instance.subject_employee, purpose=f"workflows.{event}",
            actor=actor, if_unreachable="record",
        )
    return len(seen)


def texts(event: str, instance: ProcessInstance, step: Step | None, note: str = "") -> tuple[str, str]:
    """Subject and body in Chinese (the product's language; a background sweep has no request language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _texts(event, instance, step, note)


def _texts(event: str, instance: ProcessInstance, step: Step | None, note: str = "") -> tuple[str, str]:
    what = instance.title or instance.template_key
    name = step.name if step is not None else ""
    table = {
        "assigned": (_("To do: %(step)s — %(what)s"), _("A step is waiting for you: %(step)s (%(what)s).")),
        "approved": (_("Approved: %(step)s — %(what)s"), _("%(step)s was approved (%(what)s).")),
        "rejected": (_("Rejected: %(what)s"), _("%(step)s was rejected (%(what)s).")),
        "completed": (_("Completed: %(what)s"), _("%(what)s is complete.")),
        "completed_approved": (_("Approved: %(what)s"), _("%(what)s was approved.")),
        "cancelled": (_("Cancelled: %(what)s"), _("%(what)s was cancelled.")),
        "overdue": (_("Overdue: %(step)s — %(what)s"), _("%(step)s is past its due date (%(what)s).")),
        "escalated": (_("Escalated: %(step)s — %(what)s"),
                      _("%(step)s is overdue and was escalated to you (%(what)s).")),
    }
    key = "completed_approved" if event == "completed" and instance.outcome == "approved" else event
    subject, body = table[key]
    body = body % {"step": name, "what": what}
    if note and event in ("approved", "rejected", "completed", "cancelled"):
        body += " " + _("Note: %(note)s") % {"note": note}
    return subject % {"step": name, "what": what}, body
