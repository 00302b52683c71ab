"""Process pages: my tasks (act on them), the processes I may see, one process with its steps (state,
assignee, due / overdue, durations, pauses, gate reasons with links), pause / resume / cancel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hrguard.core.models import User
from hrguard.people import selectors as people
from hrguard.records.pages import PAGE_SIZE, page_number

from .. import engine, gates, selectors, services
from ..models import OPEN_STATES, Step, StepKind, StepState
from .common import assignee_label, back_to, duration, report, running_seconds, subject_url

STEP_OPS = ("act", "pause", "resume")


def _actions(step: Step) -> list[tuple[str, str]]:
    names = {"approve": _("Approve"), "reject": _("Reject"), "complete": _("Mark as done")}
    return [(a, names[a]) for a in services.KIND_ACTIONS.get(step.kind, ()) if a in names]


@login_required
@require_GET
def tasks(request: HttpRequest) -> HttpResponse:
    """我的待办: steps assigned to me or my role, due first, overdue marked; act on them here."""
    found = selectors.open_tasks_for(user=request.user, limit=100)
    rows = [{"task": t, "step": t.step, "actions": _actions(t.step), "url": subject_url(t.instance)} for t in found]
    return render(request, "workflows/tasks.html", {"rows": rows, "started": selectors.started_by(
        user=request.user, limit=20)})


def _visible_step(request: HttpRequest, step: Step) -> None:
    """404 unless the user sees the process and this step (a party never sees a restricted one)."""
    detail = selectors.instance_detail(user=request.user, instance_id=step.instance_id)
    if step.pk not in {s.pk for s in detail.steps}:
        raise Http404


@login_required
@require_GET
def task(request: HttpRequest, pk: int) -> HttpResponse:
    """The link in a task's notification: the process page at that step."""
    step = Step.objects.filter(company_id=request.user.company_id, pk=pk).only("instance_id").first()
    if step is None:
        raise Http404
    _visible_step(request, step)
    return redirect(reverse("workflows:instance_detail", args=[step.instance_id]) + f"#step-{pk}")


@login_required
@require_GET
def instance_list(request: HttpRequest) -> HttpResponse:
    number = page_number(request)
    rows, has_next = people.page(selectors.instances_for(user=request.user), number, PAGE_SIZE)
    return render(request, "workflows/instance_list.html", {
        "rows": rows, "page": number, "oversees": request.user.has_perm("workflows.oversee"),
        "prev_query": urlencode({"page": number - 1}) if number > 1 else "",
        "next_query": urlencode({"page": number + 1}) if has_next else "",
    })


def _gate_reasons(detail: Any) -> dict[int, list[Any]]:
    """For each open step with a gate (and the process gate under key 0): the reasons it blocks now."""
    instance = detail.instance
    if instance.state != "running":
        return {}
    defs = engine.step_defs(instance)
    ctx = engine.gate_context(instance)
    out: dict[int, list[Any]] = {}
    for step in detail.steps:
        expr = (defs.get(step.key) or {}).get("gate")
        if expr and step.state in OPEN_STATES:
            result = gates.evaluate(expr, ctx)
            if not result.passed:
                out[step.pk] = list(result.reasons)
    expr = instance.template_version.definition.get("gate")
    if expr:
        result = gates.evaluate(expr, ctx)
        if not result.passed:
            out[0] = list(result.reasons)
    return out


@login_required
@require_GET
def instance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.instance_detail(user=request.user, instance_id=pk)
    instance, user, now = detail.instance, request.user, timezone.now()
    may_manage = engine.oversees(user, instance)
    blocked = _gate_reasons(detail)
    rows = []
    for step in detail.steps:
        is_open = step.state in OPEN_STATES
        rows.append({
            "step": step, "duration": duration(running_seconds(step, now)),
            "overdue": is_open and step.due_at is not None and step.due_at < now and step.state == StepState.OPEN,
            "pauses": detail.pauses.get(step.pk, []), "blocked": blocked.get(step.pk, []),
            "actionable": step.pk in detail.actionable,
            "actions": _actions(step) if step.pk in detail.actionable else [],
            "may_pause": is_open and (step.pk in detail.actionable or may_manage),
            "pause_op": "resume" if step.state == StepState.PAUSED else "pause",
            "assignee": assignee_label(step), "paused": duration(step.paused_seconds),
        })
    total = instance.total_seconds if instance.total_seconds is not None else int(
        (now - instance.started_at).total_seconds())
    employee = instance.subject_employee
    timeline = employee is not None and user.has_perm("evidence.view_timeline", employee)
    return render(request, "workflows/instance_detail.html", {
        "detail": detail, "instance": instance, "rows": rows, "total": duration(total),
        "process_blocked": blocked.get(0, []), "subject_url": subject_url(instance),
        "timeline_url": reverse("evidence:employee_timeline", args=[employee.pk]) if timeline else "",
        "kinds": StepKind,
    })


def _delegate_to(request: HttpRequest) -> int | None:
    username = str(request.POST.get("delegate_to") or "").strip()[:150]
    if not username:
        return None
    found = User.objects.filter(company_id=request.user.company_id, username=username, is_active=True).first()
    if found is None:
        raise ValidationError({"delegate_to": _("No active colleague with this user name.")})
    return found.pk


@login_required
@require_POST
def step_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    if op not in STEP_OPS:
        raise Http404
    step = Step.objects.filter(company_id=request.user.company_id, pk=pk).only("instance_id").first()
    if step is None:
        raise Http404
    _visible_step(request, step)
    user, post = request.user, request.POST
    try:
        if op == "act":
            action = str(post.get("action") or "")[:20]
            services.act(actor=user, step_id=pk, action=action, note=str(post.get("note") or ""),
                         delegate_to=_delegate_to(request) if action == "delegate" else None)
        elif op == "pause":
            services.pause(actor=user, step_id=pk, reason=str(post.get("reason") or ""))
        else:
            services.resume(actor=user, step_id=pk, reason=str(post.get("reason") or ""))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("This task is not yours to act on."))
    except ValidationError as exc:
        report(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect(back_to(request, reverse("workflows:tasks")))


@login_required
@require_POST
def instance_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.instance_detail(user=request.user, instance_id=pk)  # 404 unless visible
    try:
        services.cancel(actor=request.user, instance_id=pk, reason=str(request.POST.get("reason") or ""))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not cancel this process."))
    except ValidationError as exc:
        report(request, exc)
    else:
        messages.success(request, _("The process was cancelled."))
    return redirect("workflows:instance_detail", pk=pk)
