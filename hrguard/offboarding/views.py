"""Exit pages: the dashboard of exits in progress, starting an exit (HR), one exit (steps with their act
forms, gates with reasons and links, the law panel, handover items, interview, conversation), the
employee's own exits with the resignation form (员工自助). Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.calculators.risk_report import departure_risk_report
from hrguard.core.roles import Role
from hrguard.law.termination import Ground, Protection
from hrguard.people import selectors as people_selectors

from . import grounds, interviews, items, packages, processes, selectors, services, threads
from .models import ExitKind, ItemKind

KIND_CHOICES = [(k.value, k.label) for k in ExitKind]
CHANNELS = [("inapp", gettext_lazy("In-app inbox")), ("sms", gettext_lazy("SMS")), ("email", gettext_lazy("Email")),
            ("wecom", gettext_lazy("WeCom")), ("dingtalk", gettext_lazy("DingTalk")),
            ("feishu", gettext_lazy("Feishu"))]


def _errors(request: HttpRequest, exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"__all__": list(exc.messages)}


def _flash(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for msgs in _errors(request, exc).values():
            for msg in msgs:
                messages.error(request, msg)
    else:
        messages.error(request, str(exc) or _("You may not do this."))


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """离职看板: exits in progress with stage, days to the statutory dates, blocked gates, unsigned documents."""
    if not request.user.has_perm("offboarding.view_dashboard"):
        raise PermissionDenied
    rows = selectors.dashboard(request.user)
    recent = list(selectors.exits_for(request.user).exclude(state="open").order_by("-created_at")[:20])
    return render(request, "offboarding/dashboard.html", {"rows": rows, "recent": recent,
                                                          "can_start": request.user.is_hr,
                                                          "can_export": request.user.has_perm("offboarding.export_si")})


def _ground_choices() -> list[tuple[str, str, str]]:
    return [(kind, g.value, grounds.ground_label(g.value)) for kind, gs in grounds.KIND_GROUNDS.items() for g in gs]


def _form_context(request: HttpRequest, employee: Any, data: dict[str, Any], errors: dict[str, list[str]]) -> dict:
    return {"employee": employee, "data": data, "errors": errors, "kinds": KIND_CHOICES, "grounds": _ground_choices(),
            "protections": [(p.value, grounds.protection_label(p.value)) for p in Protection],
            "variants": [(k, _(v)) for k, v in processes.VARIANT_NAMES.items()],
            "today": timezone.localdate()}


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, employee_pk: int) -> HttpResponse:
    """HR starts an exit of any kind for one employee."""
    employee = people_selectors.employee_detail(request.user, employee_pk)
    if employee is None or not request.user.has_perm("offboarding.start_exit", employee):
        raise Http404(_("No such employee."))
    data: dict[str, Any] = {"kind": "", "ground": "", "notice_date": timezone.localdate().isoformat()}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        post = request.POST
        data = {k: str(post.get(k) or "")[:2000] for k in ("kind", "ground", "notice_date", "last_day", "reason",
                                                            "union_notified_on", "union_note", "variant")}
        try:
            exit_ = services.start_exit(
                actor=request.user, employee=employee, kind=data["kind"], ground=data["ground"],
                notice_date=data["notice_date"], last_day=data["last_day"] or None,
                persuasion=post.get("persuasion") == "1", pay_in_lieu=post.get("pay_in_lieu") == "1",
                reason=data["reason"], protections=post.getlist("protections")[:10],
                union_notified_on=data["union_notified_on"] or None, union_note=data["union_note"],
                variant=data["variant"])
        except ValidationError as exc:
            errors = _errors(request, exc)
        else:
            messages.success(request, _("Exit started. Last working day: %(d)s.") % {"d": exit_.last_day.isoformat()})
            return redirect("offboarding:detail", pk=exit_.pk)
    status = 400 if errors else 200
    return render(request, "offboarding/start.html", _form_context(request, employee, data, errors), status=status)


def _step_rows(detail: selectors.ExitDetail) -> list[dict[str, Any]]:
    if detail.process is None:
        return []
    rows = []
    for s in detail.process.steps:
        rows.append({"step": s, "actionable": s.pk in detail.process.actionable and s.state == "open",
                     "actions": [("complete", _("Mark as done"))] if s.kind == "task" else [
                         ("approve", _("Approve")), ("reject", _("Reject"))],
                     "assignee": (s.assignee_user.get_full_name() or s.assignee_user.username) if s.assignee_user
                     else (str(Role(s.assignee_role).label) if s.assignee_role in Role.values else "")})
    return rows


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.exit_detail(request.user, pk)
    if d.messages is not None and d.exit.state != "cancelled":
        threads.mark_read(actor=request.user, exit_id=d.exit.pk)
    by_kind: dict[str, list[Any]] = {}
    for item in d.items:
        by_kind.setdefault(item.kind, []).append(item)
    return render(request, "offboarding/detail.html", {
        "d": d, "exit": d.exit, "steps": _step_rows(d), "items_by_kind": [(ItemKind(k).label, v) for k, v in
                                                                           by_kind.items()],
        "item_kinds": [(k.value, k.label) for k in ItemKind], "roles": [(r.value, r.label) for r in Role],
        "reasons": [(k, v) for k, v in interviews.REASONS.items()], "ground_label": grounds.ground_label(d.exit.ground),
        "blocked": [g for g in d.gates if not g.ok], "link_channels": threads.LINK_CHANNELS,
        "channels": CHANNELS,
    })


def _post(request: HttpRequest, pk: int, fn: Any, success: str) -> HttpResponse:
    try:
        fn()
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, success)
    return redirect(reverse("offboarding:detail", args=[pk]))


@login_required
@require_POST
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    return _post(request, pk, lambda: items.add_item(
        actor=request.user, exit_id=pk, kind=str(p.get("kind") or ""), name=str(p.get("name") or ""),
        detail=str(p.get("detail") or ""), receiver_id=p.get("receiver_id") or None,
        receiver_role=str(p.get("receiver_role") or "")), _("Item added."))


@login_required
@require_POST
def confirm_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    p = request.POST
    return _post(request, pk, lambda: items.confirm_item(
        actor=request.user, item_id=item_pk, outcome=str(p.get("outcome") or "confirmed"),
        note=str(p.get("note") or "")), _("Confirmed."))


@login_required
@require_POST
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    back = {"1": True, "0": False}.get(str(p.get("would_return") or ""))
    return _post(request, pk, lambda: interviews.record_interview(
        actor=request.user, exit_id=pk, reasons=p.getlist("reasons")[:20], main_reason=str(p.get("main_reason") or ""),
        notes=str(p.get("notes") or ""), would_return=back), _("Interview saved."))


@login_required
@require_POST
def rehire(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    choice = {"1": True, "0": False}.get(str(p.get("eligible") or ""), "")
    return _post(request, pk, lambda: services.set_rehire(
        actor=request.user, exit_id=pk, eligible=choice, reason=str(p.get("reason") or "")),  # type: ignore[arg-type]
        _("Saved."))


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, pk, lambda: services.cancel_exit(actor=request.user, exit_id=pk,
                                                           reason=str(request.POST.get("reason") or "")),
                 _("The exit was withdrawn."))


@login_required
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, pk, lambda: threads.post_message(actor=request.user, exit_id=pk,
                                                           body=str(request.POST.get("body") or "")), _("Sent."))


@login_required
@require_POST
def send_link(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(request, pk, lambda: threads.issue_link(actor=request.user, exit_id=pk,
                                                         channels=request.POST.getlist("channels")[:6]),
                 _("The link was sent to the employee."))


@login_required
@require_GET
def package(request: HttpRequest, pk: int) -> HttpResponse:
    exit_ = selectors.exit_for(request.user, pk)
    if not request.user.has_perm("offboarding.manage_exit", exit_):
        raise PermissionDenied
    data = packages.exit_package(exit_, actor=request.user)
    resp = HttpResponse(data, content_type="application/zip")
    resp["Content-Disposition"] = f'attachment; filename="exit-{exit_.pk}-evidence.zip"'
    return resp


@login_required
@require_GET
def risk_report(request: HttpRequest, pk: int) -> HttpResponse:
    """离职风险报告 of this exit, generated from the records as they are now (so always up to date)."""
    exit_ = selectors.exit_for(request.user, pk)
    if not request.user.has_perm("offboarding.manage_exit", exit_):
        raise PermissionDenied
    pdf = departure_risk_report(actor=request.user, employee=exit_.employee, exit=exit_)
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="exit-{exit_.pk}-risk-report.pdf"'
    return resp


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """员工自助 离职申请: the employee's own exits and the resignation form."""
    errors: dict[str, list[str]] = {}
    data = {"notice_date": timezone.localdate().isoformat(), "last_day": "", "reason": ""}
    if request.method == "POST":
        data = {k: str(request.POST.get(k) or "")[:2000] for k in ("notice_date", "last_day", "reason")}
        try:
            exit_ = services.submit_resignation(actor=request.user, notice_date=data["notice_date"],
                                                last_day=data["last_day"] or None, reason=data["reason"])
        except ValidationError as exc:
            errors = _errors(request, exc)
        except PermissionDenied as exc:
            errors = {"__all__": [str(exc)]}
        else:
            messages.success(request, _("Your resignation was submitted. Last working day: %(d)s.")
                             % {"d": exit_.last_day.isoformat()})
            return redirect("offboarding:detail", pk=exit_.pk)
    return render(request, "offboarding/mine.html", {
        "exits": selectors.my_exits(request.user), "errors": errors, "data": data,
        "to_confirm": selectors.tasks_waiting(request.user),
        "notice_days": (grounds.law.RESIGNATION_NOTICE_DAYS, grounds.law.RESIGNATION_NOTICE_DAYS_PROBATION),
        "art37": grounds.law.ART_37.zh, "resignation": Ground.RESIGNATION.value,
    }, status=400 if errors else 200)
