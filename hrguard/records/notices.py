"""Who hears about activity records. Notices go through the notify outbox (``notify.services.enqueue``) in
the business transaction, so they are sent only if the change commits, and once per event and person
(idempotency key). In-app first (every person with an account has an inbox); email when the person has
no account but an address and the company set email up; nobody is skipped silently for any other
reason than having neither.

* a leave request → the people who decide it (line manager; HR when there is none);
* a leave decision → the employee;
* a violation decision → the employee (to acknowledge it) and their line manager;
* a trip or expense claim submitted → the line manager; approved by the manager → finance; each
  decision → the employee.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.core.roles import Role
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


def leave_requested(actor: Any, leave: Any) -> int:
    employee = leave.employee
    approvers: list[Any] = line_managers(employee) or _role_users(leave.company_id, Role.HR)
    return _send(
        leave.company_id, approvers, key=f"leave-requested:{leave.pk}",
        subject=_("Leave request from %(name)s") % {"name": employee.name},
        body=_("%(name)s asks for %(type)s from %(start)s to %(end)s (%(days)s days). Please approve or reject it.")
        % {"name": employee.name, "type": leave.get_leave_type_display(), "start": leave.start_date,
           "end": leave.end_date, "days": leave.days},
        link=reverse("activity:leave_approvals"), about=leave, employee=employee, actor=actor,
        purpose="leave.requested",
    )


def leave_decided(actor: Any, leave: Any) -> int:
    approved = leave.status == "approved"
    subject = _("Your leave request was approved") if approved else _("Your leave request was rejected")
    body = _("%(type)s from %(start)s to %(end)s: %(outcome)s.") % {
        "type": leave.get_leave_type_display(), "start": leave.start_date, "end": leave.end_date,
        "outcome": leave.get_status_display(),
    }
    if leave.decision_note:
        body += " " + _("Note: %(note)s") % {"note": leave.decision_note}
    return _send(
        leave.company_id, [leave.employee], key=f"leave-decided:{leave.pk}:{leave.status}", subject=subject,
        body=body, link=reverse("activity:my_leave"), about=leave, employee=leave.employee, actor=actor,
        purpose="leave.decided",
    )


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


def expense_submitted(actor: Any, obj: Any, kind: str) -> int:
    employee = obj.employee
    # Without a line manager the company administrator decides (expenses.services.may_decide_as_manager).
    approvers: list[Any] = line_managers(employee) or _role_users(obj.company_id, Role.ADMIN)
    return _send(
        obj.company_id, approvers, key=f"{kind}-submitted:{obj.pk}",
        subject=_("Approval needed: %(what)s from %(name)s") % {"what": _what(kind), "name": employee.name},
        body=_("%(name)s submitted %(what)s. Please approve or reject it.") % {"name": employee.name,
                                                                              "what": _what(kind)},
        link=reverse("activity:expense_approvals"), about=obj, employee=employee, actor=actor,
        purpose=f"{kind}.submitted",
    )


def expense_decided(actor: Any, obj: Any, kind: str) -> int:
    """The employee hears of every step; finance hears when the manager has approved (its turn)."""
    employee, status = obj.employee, obj.status
    sent = _send(
        obj.company_id, [employee], key=f"{kind}-decided:{obj.pk}:{status}",
        subject=_("%(what)s: %(status)s") % {"what": _what(kind), "status": obj.get_status_display()},
        body=(_("Note: %(note)s") % {"note": obj.decision_note}) if obj.decision_note else obj.get_status_display(),
        link=reverse("activity:my_expenses"), about=obj, employee=employee, actor=actor, purpose=f"{kind}.decided",
    )
    if status == "manager_ok":
        sent += _send(
            obj.company_id, _role_users(obj.company_id, Role.FINANCE), key=f"{kind}-finance:{obj.pk}",
            subject=_("Approval needed: %(what)s from %(name)s") % {"what": _what(kind), "name": employee.name},
            body=_("The manager approved %(what)s of %(name)s. Please approve or reject it.")
            % {"what": _what(kind), "name": employee.name},
            link=reverse("activity:expense_approvals"), about=obj, employee=employee, actor=actor,
            purpose=f"{kind}.submitted",
        )
    return sent


def _what(kind: str) -> str:
    return _("a business trip") if kind == "trip" else _("an expense claim")
