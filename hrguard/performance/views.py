"""Performance pages: cycles, a cycle's reviews, one review (KPIs, weights, scores), improvement plans."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.people import selectors as people
from hrguard.people.pages import guard
from hrguard.records import excel
from hrguard.records.pages import apply_errors, employee_or_404

from . import selectors, services
from .forms import ClosePlanForm, CycleForm, KpiForm, PlanForm


def safe_back(request: HttpRequest) -> str:
    """Where to go after a plan action: a path on this site only (no open redirect)."""
    back = str(request.POST.get("back") or "")
    if back.startswith("/activity/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return back
    return reverse("activity:cycles")


@login_required
@require_http_methods(["GET", "POST"])
@guard("activity:cycles")
def cycles(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CycleForm()
    if request.method == "POST":
        if not user.has_perm("performance.manage_cycles"):
            raise PermissionDenied
        form = CycleForm(request.POST)
        form.is_valid()
        try:
            cycle = services.create_cycle(user, user.company, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("activity:cycle_detail", pk=cycle.pk)
    return render(request, "performance/cycles.html", {
        "cycles": selectors.cycles(user), "form": form, "plans": selectors.plans(user, open_only=True)[:50],
    })


@login_required
@require_GET
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cycle = selectors.cycle_for(user, pk)
    if cycle is None:
        raise Http404
    reviews = {r.employee_id: r for r in selectors.reviews(user, cycle_id=cycle.pk)}
    team = list(people.visible_employees(user).select_related("department").order_by("employee_no")[:300])
    rows = [{"employee": e, "review": reviews.get(e.pk)} for e in team]
    return render(request, "performance/cycle_detail.html", {"cycle": cycle, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int, employee_pk: int) -> HttpResponse:
    """One person's review in a cycle: set or re-set KPIs (weights add up to 100 %), then score."""
    user = request.user
    cycle = selectors.cycle_for(user, pk)
    if cycle is None:
        raise Http404
    employee = employee_or_404(request, employee_pk)
    current = selectors.reviews(user, cycle_id=cycle.pk, employee_id=employee.pk).first()
    can_manage = user.has_perm("performance.manage_performance", employee)
    kpi_form = KpiForm(initial={"kpis": "\n".join(
        f"{k.name} | {services.plain(k.weight)} | {k.target}" for k in (current.kpis.all() if current else []))})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if request.POST.get("step") == "score":
                if current is None:
                    raise ValidationError({"kpis": _("Set the KPIs before scoring.")})
                scores = {k[len("score-"):]: v for k, v in request.POST.items() if k.startswith("score-")}
                services.score_review(user, current, scores, request.POST.get("comment"))
            else:
                kpi_form = KpiForm(request.POST)
                kpi_form.is_valid()
                services.set_kpis(user, employee, cycle, kpi_form.items(), kpi_form.cleaned_data.get("reason"))
        except ValidationError as exc:
            apply_errors(kpi_form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("activity:review", pk=cycle.pk, employee_pk=employee.pk)
    return render(request, "performance/review.html", {
        "cycle": cycle, "employee": employee, "review": current, "kpi_form": kpi_form, "can_manage": can_manage,
        "plans": selectors.plans(user, employee_id=employee.pk), "plan_form": PlanForm(),
        "close_form": ClosePlanForm(),
    })


@login_required
@require_POST
def plan_create(request: HttpRequest, employee_pk: int) -> HttpResponse:
    employee = employee_or_404(request, employee_pk)
    form = PlanForm(request.POST)
    form.is_valid()
    data = dict(form.cleaned_data)
    data["review"] = request.POST.get("review", "")
    try:
        services.create_plan(request.user, employee, data)
    except ValidationError as exc:
        messages.error(request, " ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
    else:
        messages.success(request, _("Improvement plan created."))
    return redirect(safe_back(request))


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plans(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    try:
        services.close_plan(request.user, plan, request.POST.get("status"), request.POST.get("outcome"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(safe_back(request))


@login_required
@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_for(request.user, pk)
    if cycle is None:
        raise Http404
    headers = [_("Employee number"), _("Name"), _("KPI"), _("Weight (%)"), _("Target"), _("Score"),
               _("Total score"), _("Rating")]
    rows = ((r.employee.employee_no, r.employee.name, k.name, k.weight, k.target, k.score, r.total_score, r.rating)
            for r in selectors.reviews(request.user, cycle_id=cycle.pk) for k in r.kpis.all())
    return excel.response(f"performance-{cycle.pk}.xlsx", cycle.name, headers, rows)


@login_required
@require_GET
def export_plans(request: HttpRequest) -> HttpResponse:
    """Improvement plans the user may see (goals, period, status, outcome)."""
    headers = [_("Employee number"), _("Name"), _("Goals"), pgettext("period", "Start"), _("Deadline"), _("Status"),
               _("Outcome")]
    rows = ((p.employee.employee_no, p.employee.name, p.goals, p.start_date, p.deadline, p.get_status_display(),
             p.outcome) for p in selectors.plans(request.user).order_by("-start_date", "-id").iterator(chunk_size=2000))
    return excel.response("improvement-plans.xlsx", _("Improvement plans"), headers, rows)
