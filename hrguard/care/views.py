"""Care pages: HR's talks, aid loans (HR and finance), programmes and EAP counts; the employee's own
care page (aid loans, courses, side jobs, flexible hours). The anonymous EAP pages: ``eap/views.py``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.people import queries_ui
from hrguard.people import selectors as people_selectors
from hrguard.people.pages import guard, may_open
from hrguard.records.pages import employee_by_number

from . import aid, programmes, selectors, services
from .eap import services as eap_services
from .eap_models import EapCategory, EapProvider
from .models import LINK_LABELS, AidLoan, CourseSession, SideJob, SideJobApplication

LIST_CAP = 200


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _employee(request: HttpRequest, pk: Any) -> Any:
    try:
        employee = people_selectors.employee_detail(request.user, int(pk))
    except (TypeError, ValueError):
        employee = None
    if employee is None:
        raise Http404
    return employee


# ---- talks -------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
@guard("care:talks")
def talks(request: HttpRequest) -> HttpResponse:
    """谈心记录: the list (dates and people only — the summary opens on its own page, as evidence) and
    the form to record one (employee by number)."""
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        employee = employee_by_number(request, request.POST.get("employee_no"))
        if employee is None:
            errors = {"employee_no": [_("No employee with this number.")]}
        else:
            try:
                talk = _save_talk(request, employee)
            except ValidationError as exc:
                errors = errors_of(exc)
            else:
                messages.success(request, _("Talk recorded."))
                return redirect("care:talk_detail", talk.pk)
    rows = list(selectors.talks_for(request.user).order_by("-held_on", "-pk")[:LIST_CAP])
    return render(request, "care/talks.html", {"rows": rows, "errors": errors, "data": request.POST,
                                               "link": _link(request), "link_label": _link_label(request)},
                  status=400 if errors else 200)


def _link(request: HttpRequest) -> dict[str, str]:
    src = request.POST if request.method == "POST" else request.GET
    return {k: str(src.get(k, ""))[:300] for k in ("link_type", "link_id", "link_url")}


def _link_label(request: HttpRequest) -> str:
    code = _link(request)["link_type"]
    return str(LINK_LABELS.get(code, _("Linked record"))) if code else ""


def _save_talk(request: HttpRequest, employee: Any) -> Any:
    p = request.POST
    return services.record_talk(
        actor=request.user, employee=employee, held_on=p.get("held_on"), participants=p.get("participants"),
        summary=p.get("summary"), follow_ups=p.get("follow_ups", ""), follow_up_on=p.get("follow_up_on") or None,
        shared_with_manager=p.get("shared_with_manager") == "on", **_link(request))


@login_required
@require_http_methods(["GET", "POST"])
def talk_new(request: HttpRequest, employee_pk: int) -> HttpResponse:
    """Start a talk about one employee — from a case or an alert, which pass ``link_type``, ``link_id``
    and ``link_url`` in the query."""
    employee = _employee(request, employee_pk)
    if not request.user.has_perm("care.record_talk", employee):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            talk = _save_talk(request, employee)
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("Talk recorded."))
            return redirect("care:talk_detail", talk.pk)
    return render(request, "care/talk_new.html", {"employee": employee, "errors": errors, "data": request.POST,
                                                  "link": _link(request), "link_label": _link_label(request)},
                  status=400 if errors else 200)


@login_required
@require_GET
def talk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "care/talk_detail.html", {"talk": selectors.talk_detail(request.user, pk)})


# ---- aid loans -----------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
@guard("care:aid_list")
def aid_list(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("op") == "limit":
                services.set_aid_limit(actor=request.user, company=request.user.company,
                                       limit=request.POST.get("aid_limit"))
                messages.success(request, _("Limit saved."))
                return redirect("care:aid_list")
            employee = employee_by_number(request, request.POST.get("employee_no"))
            if employee is None:
                raise ValidationError({"employee_no": [_("No employee with this number.")]})
            loan = aid.apply(actor=request.user, employee=employee, amount=request.POST.get("amount"),
                             reason=request.POST.get("reason"))
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("Application submitted for approval."))
            return redirect("care:aid_detail", loan.pk)
    rows = list(selectors.loans_for(request.user).order_by("-pk")[:LIST_CAP])
    return render(request, "care/aid_list.html", {
        "rows": rows, "errors": errors, "data": request.POST, "limit": services.aid_limit(request.user.company_id),
        "can_apply": request.user.has_perm("care.view_care"),
    }, status=400 if errors else 200)


@login_required
@require_GET
def aid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "care/aid_detail.html", {"d": selectors.loan_detail(request.user, pk)})


@login_required
@require_POST
def aid_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    loan: AidLoan = selectors.loan_for(request.user, pk)
    p = request.POST
    try:
        if op == "disburse":
            aid.disburse(actor=request.user, loan=loan, paid_on=p.get("paid_on"))
        elif op == "schedule":
            rows = [{"due_on": d, "amount": a} for d, a in zip(p.getlist("due_on"), p.getlist("amount"), strict=False)
                    if d or a]
            aid.set_schedule(actor=request.user, loan=loan, installments=rows)
        elif op == "repay":
            aid.repay(actor=request.user, loan=loan, amount=p.get("amount"), paid_on=p.get("paid_on"),
                      note=p.get("note", ""))
        elif op == "cancel":
            aid.cancel(actor=request.user, loan=loan)
        else:
            raise Http404
    except ValidationError as exc:
        d = selectors.loan_detail(request.user, pk)
        return render(request, "care/aid_detail.html", {"d": d, "errors": errors_of(exc), "op": op, "data": p},
                      status=400)
    messages.success(request, _("Saved."))
    return redirect("care:aid_detail", pk)


# ---- the employee's own care page ---------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
@guard("care:mine")
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    employee = queries_ui.own_employee(user)
    if employee is None:
        return render(request, "people/no_profile.html", status=404)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "aid":
                aid.apply(actor=user, employee=employee, amount=request.POST.get("amount"),
                          reason=request.POST.get("reason"))
                messages.success(request, _("Application submitted for approval."))
            elif op == "enrol":
                course = selectors.course_for(user, request.POST.get("course"))
                programmes.enrol(actor=user, employee=employee, course=course)
                messages.success(request, _("Enrolled."))
            elif op == "job":
                job = selectors.jobs_for(user).filter(pk=_int(request.POST.get("job"))).first()
                if job is None:
                    raise Http404
                programmes.apply_job(actor=user, employee=employee, job=job, note=request.POST.get("note", ""))
                messages.success(request, _("Application sent."))
            else:
                raise Http404
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            return redirect("care:mine")
    return render(request, "care/mine.html", {
        "employee": employee, "loans": list(selectors.my_loans(user).order_by("-pk")[:50]),
        "limit": services.aid_limit(user.company_id), "courses": list(selectors.courses_for(user)[:50]),
        "enrolled": selectors.my_enrolments(user), "jobs": list(selectors.jobs_for(user)[:50]),
        "applied": selectors.my_applications(user), "flex": list(selectors.my_flex(user)[:20]),
        "errors": errors, "data": request.POST,
    }, status=400 if errors else 200)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# ---- HR: programmes -----------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
@guard("care:programmes")
def programmes_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, list[str]] = {}
    op = request.POST.get("op", "")
    if request.method == "POST":
        p = request.POST
        try:
            if op == "flex":
                employee = employee_by_number(request, p.get("employee_no"))
                if employee is None:
                    raise ValidationError({"employee_no": [_("No employee with this number.")]})
                programmes.record_flex(actor=user, employee=employee, start_date=p.get("start_date"),
                                       end_date=p.get("end_date"), pattern=p.get("pattern"), reason=p.get("reason"))
            elif op == "job":
                programmes.post_job(actor=user, company=user.company, title=p.get("title"),
                                    description=p.get("description"), hours_per_week=p.get("hours_per_week"))
            elif op == "close_job":
                job = SideJob.objects.filter(company_id=user.company_id, pk=_int(p.get("job"))).first()
                if job is None:
                    raise Http404
                programmes.close_job(actor=user, job=job)
            elif op in ("accept", "decline"):
                row = SideJobApplication.objects.filter(company_id=user.company_id,
                                                        pk=_int(p.get("application"))).first()
                if row is None:
                    raise Http404
                programmes.decide_application(actor=user, application=row, accept=op == "accept")
            elif op == "course":
                programmes.create_course(actor=user, company=user.company, title=p.get("title"),
                                         description=p.get("description", ""), sessions=p.getlist("session"))
            else:
                raise Http404
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("care:programmes")
    return render(request, "care/programmes.html", {
        "flex": list(selectors.flex_for(user).order_by("-start_date")[:LIST_CAP]),
        "jobs": list(selectors.jobs_for(user)[:50]), "courses": list(selectors.courses_for(user)[:50]),
        "errors": errors, "op": op, "data": request.POST,
    }, status=400 if errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
@guard("care:programmes")
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_for(request.user, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("op") == "enrol":
                employee = employee_by_number(request, p.get("employee_no"))
                if employee is None:
                    raise ValidationError({"employee_no": [_("No employee with this number.")]})
                programmes.enrol(actor=request.user, employee=employee, course=course)
            else:
                session = CourseSession.objects.filter(course=course, pk=_int(p.get("session"))).first()
                if session is None:
                    raise Http404
                programmes.mark_attendance(actor=request.user, session=session,
                                           present_ids=[_int(v) for v in p.getlist("present")])
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("care:course_detail", pk)
    enrolments = selectors.enrolments_of(course)
    sessions = list(course.sessions.all())
    present = {(a.session_id, a.enrolment_id) for e in enrolments for a in e.attendance.all() if a.present}
    grid = [(e, [(s, (s.pk, e.pk) in present) for s in sessions]) for e in enrolments]
    return render(request, "care/course_detail.html", {"course": course, "sessions": sessions, "grid": grid,
                                                       "errors": errors}, status=400 if errors else 200)


# ---- HR: EAP counts and provider --------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
@guard("care:eap_admin")
def eap_admin(request: HttpRequest) -> HttpResponse:
    """Counts by category and month only, cells under 5 shown as "<5"; the provider's public key."""
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.set_provider(actor=request.user, company=request.user.company, name=request.POST.get("name"),
                                  public_key=request.POST.get("public_key"))
        except ValidationError as exc:
            errors = errors_of(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("care:eap_admin")
    provider = EapProvider.objects.filter(company_id=request.user.company_id).first()
    return render(request, "care/eap_admin.html", {
        "provider": provider, "months": eap_services.monthly_counts(request.user.company_id),
        "categories": EapCategory.choices, "min_cell": eap_services.MIN_CELL, "errors": errors,
        "data": request.POST,
    }, status=400 if errors else 200)


# /care/ itself: the first care page the user may open (HR: the talks; finance: emergency aid; an employee: 我的关怀).
INDEX_ORDER = ("care:talks", "care:aid_list", "care:mine")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    for url_name in INDEX_ORDER:
        if may_open(request.user, url_name):
            return redirect(url_name)
    raise PermissionDenied
