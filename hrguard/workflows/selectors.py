"""Reads of the process engine, scoped to the caller's company; a constant number of queries whatever
the data size (each list is a few indexed queries with a limit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User

from . import engine
from .models import OPEN_STATES, InstanceState, ProcessInstance, ProcessParty, ProcessTemplate, Step, StepPause


@dataclass
class Task:
    step: Step
    overdue: bool

    @property
    def instance(self) -> ProcessInstance:
        return self.step.instance


def _not_party(user: User) -> Exists:
    return Exists(ProcessParty.objects.filter(company_id=user.company_id, instance_id=OuterRef("instance_id"),
                                              user_id=user.pk))


def _own_tasks(user: User, subject_type: str, state: str) -> QuerySet[Step]:
    # One state only, as an equality and nothing else on ``state``: with a redundant ``state IN (open,
    # paused)`` beside it, SQLite (once ANALYZE has run) takes the IN for the index's state column and sorts
    # every step of the assignee in a temporary B-tree to find the first ``limit``.
    base = Step.objects.filter(company_id=user.company_id, state=state)
    if subject_type:
        base = base.filter(instance__subject_type=subject_type)
    return base.select_related("instance", "instance__subject_employee")


def open_tasks_for(*, user: User, limit: int = 50, now: dt.datetime | None = None,
                   subject_type: str = "") -> list[Task]:
    """Open (and paused) steps the user may act on — assigned to them, or to their role and to no one
    in particular — due first, undated last, overdue flagged. Never a step of a process the user is a
    party to, unless it is the subject's own step. At most 8 queries."""
    if not user.is_authenticated or user.company_id is None:
        return []
    now = now or timezone.now()
    party = _not_party(user)
    found: list[Step] = []
    # One query per (assignee kind, state, dated or not): each is an ordered range of the (company,
    # assignee, state, due_at, id) index read only up to ``limit`` rows — an IN over both states would sort
    # every open step of a busy manager first. At most 8 queries, whatever the number of steps.
    for state in OPEN_STATES:
        mine = _own_tasks(user, subject_type, state).filter(assignee_user=user).filter(
            ~party | Q(assignee_rule="subject"))
        role = _own_tasks(user, subject_type, state).filter(assignee_user__isnull=True,
                                                             assignee_role=user.role).filter(~party)
        for qs in (mine, role):
            dated = list(qs.filter(due_at__isnull=False).order_by("due_at", "id")[:limit])
            found += dated
            if len(dated) < limit:
                found += list(qs.filter(due_at__isnull=True).order_by("id")[: limit - len(dated)])
    found.sort(key=lambda s: (s.due_at is None, s.due_at or now, s.pk))
    return [Task(s, s.due_at is not None and s.due_at < now) for s in found[:limit]]


def started_by(*, user: User, limit: int = 50) -> list[ProcessInstance]:
    """Processes the user started, running first, newest first; ``waiting_at`` lists the open steps."""
    instances = list(ProcessInstance.objects.filter(company_id=user.company_id, started_by=user)
                     .order_by("-started_at", "-id")[:limit])
    steps: dict[int, list[Step]] = {}
    # By instance only (the ids are this company's): with a state filter the planner walks the
    # (company, state, due_at) index over every open step of the company instead of the 50 instances'.
    for step in (Step.objects.filter(instance_id__in=[i.pk for i in instances])
                 .select_related("assignee_user").order_by("group", "order")):
        if step.state in OPEN_STATES:
            steps.setdefault(step.instance_id, []).append(step)
    for instance in instances:
        instance.waiting_at = steps.get(instance.pk, [])  # type: ignore[attr-defined]
    instances.sort(key=lambda i: i.state != InstanceState.RUNNING)
    return instances


def overdue_steps(*, company: Any, limit: int = 100, now: dt.datetime | None = None) -> list[Step]:
    now = now or timezone.now()
    company_id = getattr(company, "pk", company)
    # One ordered range of the (company, state, due_at) index per state, read only up to ``limit`` rows:
    # an IN over both states sorts every overdue step of the company first.
    found: list[Step] = []
    for state in OPEN_STATES:
        found += list(Step.objects.filter(company_id=company_id, state=state, due_at__lt=now)
                      .select_related("instance", "assignee_user").order_by("due_at", "id")[:limit])
    found.sort(key=lambda s: (s.due_at, s.pk))
    return found[:limit]


def instance_for(*, subject: Any) -> ProcessInstance | None:
    """The latest process about a record (e.g. a leave request)."""
    subject_type = f"{subject._meta.app_label}.{subject._meta.model_name}"
    return (ProcessInstance.objects.filter(company_id=subject.company_id, subject_type=subject_type,
                                           subject_id=str(subject.pk))
            .select_related("template_version", "subject_employee").order_by("-started_at", "-id").first())


def can_see(user: User, instance: ProcessInstance) -> bool:
    """HR, the starter, the parties, anyone who held a step, and those who see the subject employee."""
    if not user.is_authenticated or user.company_id != instance.company_id:
        return False
    if user.has_perm("workflows.oversee") or instance.started_by_id == user.pk or engine.is_party(user, instance):
        return True
    if instance.subject_employee_id and user.has_perm("people.view_employee", instance.subject_employee):
        return True
    return Step.objects.filter(company_id=instance.company_id, instance=instance).filter(
        Q(assignee_user=user) | Q(acted_by=user) | Q(assignee_user__isnull=True, assignee_role=user.role)).exists()


@dataclass
class InstanceDetail:
    instance: ProcessInstance
    steps: list[Step]
    pauses: dict[int, list[StepPause]] = field(default_factory=dict)
    hidden_steps: int = 0  # restricted steps not shown to a party
    can_cancel: bool = False
    actionable: set[int] = field(default_factory=set)  # step ids the user may act on now


def instance_detail(*, user: User, instance_id: Any) -> InstanceDetail:
    """One process with its steps (per-step durations, pause history); restricted steps hidden from
    the parties. Raises Http404 when the user may not see it (or it is another company's)."""
    try:
        pk = int(instance_id)
    except (TypeError, ValueError):
        raise Http404(_("No such process.")) from None
    instance = (ProcessInstance.objects.filter(company_id=user.company_id, pk=pk)
                .select_related("template_version__template", "subject_employee", "started_by").first())
    if instance is None or not can_see(user, instance):
        raise Http404(_("No such process."))
    steps = list(Step.objects.filter(company_id=instance.company_id, instance=instance)
                 .select_related("assignee_user", "acted_by").order_by("group", "order"))
    party = engine.is_party(user, instance)
    shown = [s for s in steps if not (party and s.restricted)]
    pauses: dict[int, list[StepPause]] = {}
    for p in StepPause.objects.filter(company_id=instance.company_id, step_id__in=[s.pk for s in shown]):
        pauses.setdefault(p.step_id, []).append(p)
    for s in shown:
        s.instance = instance
    return InstanceDetail(
        instance=instance, steps=shown, pauses=pauses, hidden_steps=len(steps) - len(shown),
        can_cancel=instance.state == InstanceState.RUNNING and engine.may_cancel(user, instance),
        actionable={s.pk for s in shown if s.state in OPEN_STATES and engine.may_act(user, s)},
    )


def _held(*, user: User, company_id: int, instance_id: int) -> QuerySet[Step]:
    return Step.objects.filter(company_id=company_id, instance_id=instance_id).filter(
        Q(assignee_user_id=user.pk) | Q(acted_by_id=user.pk))


def holds_step(*, user: User, company_id: int, instance_id: int) -> bool:
    """Whether the user is assigned one of the process's steps, or acted on one (a delegated step)."""
    return user.is_authenticated and _held(user=user, company_id=company_id, instance_id=instance_id).exists()


def held_steps(*, user: User, company_id: int, instance_id: int) -> list[Step]:
    """The process's steps assigned to the user or acted on by them, in their order."""
    return list(_held(user=user, company_id=company_id, instance_id=instance_id)
                .select_related("instance", "assignee_user").order_by("group", "order"))


def may_act(*, user: User, step: Step) -> bool:
    """Whether the user may act on the step now (its assignee or role; a party never, but for the
    subject's own step)."""
    return step.state in OPEN_STATES and engine.may_act(user, step)


def instances_for(*, user: User, limit: int = 100) -> QuerySet[ProcessInstance]:
    """Processes the user may list: all of the company for HR, else those they started."""
    qs = ProcessInstance.objects.filter(company_id=user.company_id).select_related("subject_employee")
    if not user.has_perm("workflows.oversee"):
        qs = qs.filter(started_by=user)
    return qs.order_by("-started_at", "-id")


def templates_for(*, user: User) -> QuerySet[ProcessTemplate]:
    return ProcessTemplate.objects.filter(company_id=user.company_id).order_by("key")


def template_detail(*, user: User, template_id: Any) -> ProcessTemplate:
    try:
        pk = int(template_id)
    except (TypeError, ValueError):
        raise Http404(_("No such process template.")) from None
    template = ProcessTemplate.objects.filter(company_id=user.company_id, pk=pk).first()
    if template is None:
        raise Http404(_("No such process template."))
    return template


def current_version(template: ProcessTemplate) -> Any:
    return template.versions.order_by("-number").first()


def open_steps_by_instance(*, company_id: int, instance_ids: list[int]) -> dict[int, list[Step]]:
    """The open (and paused) steps of several instances at once, by instance id (one query): for lists
    that show where each process waits (e.g. the exits dashboard)."""
    out: dict[int, list[Step]] = {}
    for step in (Step.objects.filter(company_id=company_id, instance_id__in=instance_ids, state__in=OPEN_STATES)
                 .select_related("assignee_user").order_by("group", "order")):
        out.setdefault(step.instance_id, []).append(step)
    return out


def any_escalated(*, company_id: int) -> bool:
    """Has any step of the company climbed its escalation ladder (the demo seed backdates only once)?"""
    return Step.objects.filter(company_id=company_id, escalation_level__gt=0).exists()


def first_step(*, company_id: int, instance_id: int) -> Step | None:
    """The instance's first step in definition order (group, then order), whatever its state."""
    return Step.objects.filter(company_id=company_id, instance_id=instance_id).order_by("group", "order").first()
