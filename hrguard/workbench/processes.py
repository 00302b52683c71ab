"""What the process engine (``hrguard.workflows``) contributes to the 工作台: my open steps, the processes I
started and where they wait, and for HR the overdue steps. Each a fixed number of queries (the engine's
selectors), capped at ``LIMIT``."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from hrguard.core.roles import Role
from hrguard.workflows import selectors as engine

from .items import Item

LIMIT = 20
# Where a process about a record is looked at until the engine has its own instance page.
SUBJECT_PAGES = {
    "leave.leaverequest": "activity:leave_approvals",
    "expenses.trip": "activity:expense_approvals",
    "expenses.expenseclaim": "activity:expense_approvals",
}
INSTANCE_PAGES = ("workflows:instance_detail", "workflows:instance", "processes:instance")


def instance_url(instance: Any) -> str:
    for name in INSTANCE_PAGES:
        try:
            return reverse(name, args=[instance.pk])
        except NoReverseMatch:
            continue
    try:
        return reverse(SUBJECT_PAGES.get(instance.subject_type, "notify:inbox"))
    except NoReverseMatch:
        return reverse("home")


def task_url(step: Any) -> str:
    """The step's own page (where the assignee acts), else its process's."""
    try:
        return reverse("workflows:task", args=[step.pk])
    except NoReverseMatch:
        return instance_url(step.instance)


def _process_name(instance: Any) -> str:
    return instance.title or instance.template_key


def _who(step: Any) -> str:
    if step.assignee_user_id and step.assignee_user is not None:
        return step.assignee_user.get_full_name() or step.assignee_user.get_username()
    if step.assignee_role:
        try:
            return str(Role(step.assignee_role).label)
        except ValueError:
            return step.assignee_role
    return ""


def my_tasks(user: Any) -> list[Item]:
    out = []
    for task in engine.open_tasks_for(user=user, limit=LIMIT):
        step, instance = task.step, task.instance
        subject = instance.subject_employee
        out.append(Item(
            "task", f"{step.name} · {_process_name(instance)}", task_url(step),
            _("Process step: %(step)s") % {"step": step.get_kind_display()},
            due=localdate(step.due_at) if step.due_at else None, overdue=task.overdue,
            who=subject.name if subject else "", badge=step.get_state_display(),
            tone="warning" if step.state == "paused" else "primary",
        ))
    return out


def started(user: Any) -> tuple[list[Item], frozenset[tuple[str, str]]]:
    """The running processes the user started, and the (subject type, id) of their records."""
    out, subjects = [], set()
    for instance in engine.started_by(user=user, limit=LIMIT):
        waiting = getattr(instance, "waiting_at", [])
        if instance.state != "running":
            continue
        subjects.add((instance.subject_type, instance.subject_id))
        names = "、".join(dict.fromkeys(filter(None, (_who(s) for s in waiting))))
        due = min((s.due_at for s in waiting if s.due_at), default=None)
        out.append(Item(
            "process", _process_name(instance), instance_url(instance),
            _("Waiting for %(who)s") % {"who": names} if names else ", ".join(s.name for s in waiting),
            due=localdate(due) if due else None, badge=instance.get_state_display(), tone="info",
        ))
    return out, frozenset(subjects)


def overdue(user: Any) -> list[Item]:
    """Every overdue step of the company, for HR who oversee the processes."""
    if not user.has_perm("workflows.oversee"):
        return []
    return [
        Item("overdue_step", f"{s.name} · {_process_name(s.instance)}", instance_url(s.instance),
             _("Waiting for %(who)s") % {"who": _who(s) or "—"}, due=localdate(s.due_at), overdue=True,
             badge=_("Overdue since %(date)s") % {"date": f"{localdate(s.due_at):%Y-%m-%d}"}, tone="danger")
        for s in engine.overdue_steps(company=user.company_id, limit=LIMIT)
    ]
