"""Who hears about activity records. Notices go through the notify outbox (``notify.services.enqueue``) in
the business transaction, so they are sent only if the change commits, and once per event and person
(idempotency key). In-app first (every person with an account has an inbox); email when the person has
no account but an address and the company set email up; nobody is skipped silently for any other
reason than having neither.

* a violation decision → the employee (to acknowledge it) and their line manager.

Leave, trips and expense claims are approved on the process engine, which notifies each step
(``hrguard.workflows.notices``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.notify import services as notify
from hrguard.notify.models import Channel

PREFERRED = (Channel.INAPP, Channel.EMAIL)


def _channel_for(recipient: Any) -> str:
    for channel in PREFERRED:
        if not notify.check_channels(recipient, [channel]):
            return channel
    return ""


def _send(
    company_id: int, recipients: Iterable[Any], *, key: str, subject: str, body: str, link: str, about: Any,
    employee: Any, actor: Any, purpose: str,
) -> int:
    """Enqueue one notice per distinct recipient (never the actor themself); returns how many."""
    seen: set[tuple[str, int]] = set()
    sent = 0
    for recipient in recipients:
        if recipient is None:
            continue
        user = recipient if isinstance(recipient, User) else getattr(recipient, "user", None)
        ident = ("user", user.pk) if user is not None else ("employee", recipient.pk)
        if ident in seen or (user is not None and actor is not None and user.pk == actor.pk):
            continue
        seen.add(ident)
        channel = _channel_for(recipient)
        if not channel:
            continue
        notify.enqueue(
            company_id, recipient=recipient, channels=[channel], subject=subject, body=body,
            idempotency_key=f"{key}:{ident[0]}:{ident[1]}", link=link, about=about, employee=employee,
            purpose=purpose, actor=actor,
        )
        sent += 1
    return sent


def line_managers(employee: Any) -> list[Any]:
    """The employee's direct manager and the nearest department manager up the tree (not the employee):
    the people the ``line_manager`` permission lets decide."""
    found = [employee.manager] if employee.manager_id and employee.manager_id != employee.pk else []
    dept, hops = employee.department, 0
    while dept is not None and hops < 20:  # the tree is shallow; the bound guards against a cycle
        if dept.manager_id and dept.manager_id != employee.pk:
            found.append(dept.manager)
            break
        dept, hops = dept.parent, hops + 1
    return found


def _role_users(company_id: int, role: str) -> list[User]:
    return list(User.objects.filter(company_id=company_id, role=role, is_active=True).order_by("pk")[:20])


def violation_decided(actor: Any, violation: Any) -> int:
    employee = violation.employee
    substantiated = violation.decision not in ("", "not_substantiated")
    outcome = violation.get_decision_display() if substantiated else _("not substantiated")
    link = reverse("activity:violation_detail", args=[violation.pk])
    sent = 0
    if substantiated:  # the employee sees decided violations only, and is asked to acknowledge
        sent += _send(
            violation.company_id, [employee], key=f"violation-decided:{violation.pk}",
            subject=_("A violation decision concerns you"),
            body=_("Decision: %(outcome)s. Please read it and acknowledge it or state your objection.")
            % {"outcome": outcome},
            link=link, about=violation, employee=employee, actor=actor, purpose="violation.decided",
        )
    sent += _send(
        violation.company_id, line_managers(employee), key=f"violation-decided-manager:{violation.pk}",
        subject=_("Violation decided: %(name)s") % {"name": employee.name},
        body=_("Decision: %(outcome)s.") % {"outcome": outcome},
        link=link, about=violation, employee=employee, actor=actor, purpose="violation.decided",
    )
    return sent
