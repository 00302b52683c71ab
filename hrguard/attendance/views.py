"""Attendance pages: punch import, daily view, monthly summary, shifts, calendar, exports."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.core import jobs as core_jobs
from hrguard.people import selectors as people
from hrguard.people.pages import guard
from hrguard.platform import uploads
from hrguard.records import excel
from hrguard.records.pages import PAGE_SIZE, apply_errors, date_param, month_param, need, page_number

from . import calendar, importer, profiles, selectors, shifts, statutory
from . import jobs as punch_jobs
from .forms import CalendarDayForm, ImportForm, ProfileForm, ShiftForm
from .models import DayStatus, Shift


def _department_path(request: HttpRequest) -> tuple[str, Any]:
    dept_id = request.GET.get("department") or ""
    dept = people.departments_for(request.user).filter(pk=dept_id).first() if str(dept_id).isdigit() else None
    return (dept.path if dept else ""), dept


@login_required
@require_GET
@guard("activity:attendance_daily")
def daily(request: HttpRequest) -> HttpResponse:
    user = request.user
    day = date_param(request, "date", timezone.localdate())
    status = str(request.GET.get("status", "") or "")
    path, dept = _department_path(request)
    number = page_number(request)
    rows, has_next = people.page(selectors.days(user, day, day, status=status, department_path=path), number, PAGE_SIZE)
    if not rows and "date" not in request.GET and (last := selectors.latest_day(user, day)) and last != day:
        day = last  # today not imported yet: open on the last day that was
        rows, has_next = people.page(selectors.days(user, day, day, status=status, department_path=path), number,
                                     PAGE_SIZE)
    params = {k: v for k, v in (("date", day.isoformat()), ("status", status), ("department", dept.pk if dept else ""))
              if v}
    context = {
        "rows": rows, "day": day, "status": status, "department": dept, "statuses": DayStatus.choices,
        "departments": people.departments_for(user), "has_next": has_next, "page": number,
        "prev_query": urlencode({**params, "page": number - 1}) if number > 1 else "",
        "next_query": urlencode({**params, "page": number + 1}) if has_next else "",
        "export_query": urlencode(params),
        "prev_day": day - dt.timedelta(days=1), "next_day": day + dt.timedelta(days=1),
        "warning": calendar.calendar_warning(user.company_id, day, day) if user.company_id else "",
        "can_import": user.has_perm("attendance.manage_attendance"),
    }
    return render(request, "attendance/attendance_daily.html", context)


@login_required
@require_GET
def monthly(request: HttpRequest) -> HttpResponse:
    user = request.user
    year, month = month_param(request)
    path, dept = _department_path(request)
    number = page_number(request)
    rows, has_next = selectors.monthly_summary_page(user, year, month, number, PAGE_SIZE, department_path=path)
    for row in rows:  # display only (one page)
        row["overtime_hours"] = round(row["overtime_minutes"] / 60, 1)
    start, end = selectors.month_range(year, month)
    params = {k: v for k, v in (("month", f"{year:04d}-{month:02d}"), ("department", dept.pk if dept else "")) if v}
    prev_month = start - dt.timedelta(days=1)
    next_month = end + dt.timedelta(days=1)
    context = {
        "rows": rows, "year": year, "month": month, "department": dept, "departments": people.departments_for(user),
        "has_next": has_next, "page": number,
        "prev_query": urlencode({**params, "page": number - 1}) if number > 1 else "",
        "next_query": urlencode({**params, "page": number + 1}) if has_next else "",
        "export_query": urlencode(params),
        "prev_month": f"{prev_month.year:04d}-{prev_month.month:02d}",
        "next_month": f"{next_month.year:04d}-{next_month.month:02d}",
        "monthly_limit_hours": statutory.monthly_overtime_limit_minutes() // 60,
        "daily_limit_hours": statutory.daily_overtime_limit_minutes() // 60,
        "citation": statutory.overtime_citation(),
        "warning": calendar.calendar_warning(user.company_id, start, end) if user.company_id else "",
        "can_import": user.has_perm("attendance.manage_attendance"),
    }
    return render(request, "attendance/attendance_monthly.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_punches(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Upload (size and content type checked) → a background job (progress bar, htmx polling) →
    its report on the same page (``pk``)."""
    need(request, "attendance.manage_attendance")
    user = request.user
    importer.get_default_profile(user.company)
    profiles = selectors.profiles(user)
    job = None
    if pk is not None:
        job = core_jobs.visible(user).filter(pk=pk, kind=punch_jobs.KIND).first()
        if job is None:
            raise Http404
        if request.headers.get("HX-Request"):
            return render(request, "attendance/_punch_job.html", {"job": job})
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, profiles=profiles)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            profile = profiles.filter(pk=form.cleaned_data.get("profile") or 0).first()
            try:
                if upload is None:
                    raise ValidationError({"file": _("Choose a file.")})
                if profile is None:
                    raise ValidationError({"profile": _("Choose a device model.")})
                content = uploads.read(upload)
                try:
                    uploads.check(upload.name, content, uploads.SPREADSHEETS)
                except uploads.UploadError as exc:
                    raise ValidationError({"file": str(exc)}) from exc
                job = core_jobs.create(user, punch_jobs.KIND, content, upload.name,
                                       hashlib.sha256(content).hexdigest(), params={"profile": profile.pk},
                                       step="import")
                return redirect("activity:attendance_import_job", pk=job.pk)
            except ValidationError as exc:
                apply_errors(form, exc)
    else:
        form = ImportForm(profiles=profiles)
    return render(request, "attendance/attendance_import.html", {
        "form": form, "job": job, "imports": selectors.imports(user)[:10], "profiles": profiles,
        "profile_form": ProfileForm(initial={"has_header": True}),
    }, status=422 if form.errors else 200)


@login_required
@require_POST
def profile_create(request: HttpRequest) -> HttpResponse:
    need(request, "attendance.manage_attendance")
    data = {k: request.POST.get(k, "") for k in ("name", *profiles.COLUMNS, "datetime_format")}
    data["has_header"] = bool(request.POST.get("has_header"))
    try:
        profiles.save_profile(request.user, request.user.company, data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Device model saved."))
    return redirect("activity:attendance_import")


@login_required
@require_http_methods(["GET", "POST"])
def shift_list(request: HttpRequest) -> HttpResponse:
    need(request, "attendance.manage_attendance")
    user = request.user
    shifts.default_shift(user.company_id)
    editing = None
    if request.GET.get("edit", "").isdigit():
        editing = Shift.objects.filter(company_id=user.company_id, pk=request.GET["edit"]).first()
    if request.method == "POST":
        editing = Shift.objects.filter(company_id=user.company_id, pk=request.POST.get("id") or 0).first()
        form = ShiftForm(request.POST)
        if form.is_valid():
            try:
                shifts.save_shift(user, user.company, form.cleaned_data, instance=editing)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Shift saved."))
                return redirect("activity:shift_list")
    elif editing:
        form = ShiftForm(initial={f: getattr(editing, f) for f in ShiftForm.base_fields})
    else:
        form = ShiftForm(initial={"break_minutes": 60, "grace_minutes": 0, "overtime_threshold_minutes": 30})
    return render(request, "attendance/shift_list.html", {"shifts": selectors.shifts(user), "form": form,
                                                        "editing": editing})


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    need(request, "attendance.manage_attendance")
    user = request.user
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
        year = min(max(year, 2000), 2100)
    except ValueError:
        year = timezone.localdate().year
    form = CalendarDayForm()
    if request.method == "POST":
        if request.POST.get("action") == "reseed":
            result = calendar.reseed_year(user, user.company, year)
            messages.success(request, _("Calendar %(year)d re-seeded.") % {"year": result["year"]})
            return redirect(f"{reverse('activity:calendar')}?year={year}")
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                calendar.set_day(user, user.company, data.get("date"), data.get("kind"), data.get("name"))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Calendar day saved."))
                return redirect(f"{reverse('activity:calendar')}?year={year}")
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    calendar.ensure_calendar(user.company_id, start, end)
    days = [d for d in selectors.calendar_days(user, year) if d.kind != "workday" or d.date.weekday() >= 5]
    return render(request, "attendance/calendar.html", {
        "year": year, "days": days, "form": form, "warning": calendar.calendar_warning(user.company_id, start, end),
    })


@login_required
@require_GET
def export_days(request: HttpRequest) -> HttpResponse:
    user = request.user
    start = date_param(request, "date", timezone.localdate())
    end = date_param(request, "end", start)
    if (end - start).days > 62 or end < start:
        end = start
    path, _dept = _department_path(request)
    qs = selectors.days(user, start, end, status=str(request.GET.get("status", "") or ""), department_path=path)
    labels = dict(DayStatus.choices)
    rows = (
        (d.date, d.employee.employee_no, d.employee.name, d.employee.department.name, d.get_day_kind_display(),
         d.shift.name if d.shift else "", d.first_clock, d.last_clock, d.punches, labels.get(d.status, d.status),
         d.late_minutes, d.early_minutes, round(d.overtime_minutes / 60, 2))
        for d in qs.iterator(chunk_size=2000)
    )
    headers = [_("Date"), _("Employee number"), _("Name"), _("Department"), _("Day type"), _("Shift"),
               _("First punch"), _("Last punch"), _("Punches"), _("Status"), _("Late (minutes)"),
               _("Left early (minutes)"), _("Overtime (hours)")]
    return excel.response(f"attendance-{start.isoformat()}.xlsx", _("Daily attendance"), headers, rows)


@login_required
@require_GET
def export_monthly(request: HttpRequest) -> HttpResponse:
    user = request.user
    year, month = month_param(request)
    path, _dept = _department_path(request)
    headers = [_("Employee number"), _("Name"), _("Department"), _("Workdays"), _("Late days"), _("Late (minutes)"),
               _("Early leave days"), _("Absent days"), _("Missing punches"), _("Leave days"),
               _("Overtime (hours)"), _("Workday overtime (hours)"), _("Rest-day overtime (hours)"),
               _("Holiday overtime (hours)"), _("Over the monthly overtime limit")]
    rows = (
        (r["employee__employee_no"], r["employee__name"], r["employee__department__name"], r["workdays"],
         r["late_days"], r["late_minutes"], r["early_days"], r["absent_days"], r["missing_days"], r["leave_days"],
         round(r["overtime_minutes"] / 60, 2), round(r["workday_overtime"] / 60, 2),
         round(r["restday_overtime"] / 60, 2), round(r["holiday_overtime"] / 60, 2), bool(r["over_monthly_limit"]))
        for r in selectors.monthly_summary(user, year, month, department_path=path)
    )
    return excel.response(f"attendance-{year:04d}-{month:02d}.xlsx", _("Monthly attendance"), headers, rows)
