"""Flexible-hours arrangements (弹性工作), internal side jobs (内部兼职) and training courses (培训课程,
e.g. the quarterly financial-literacy course): keyword-only services, one transaction, permission,
evidence."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require
from hrguard.records.inputs import Errors, as_int

from .models import (
    ApplicationStatus,
    Course,
    CourseSession,
    Enrolment,
    FlexArrangement,
    SessionAttendance,
    SideJob,
    SideJobApplication,
)

MAX_FLEX_DAYS = 366


@transaction.atomic
def record_flex(*, actor: User, employee: Employee, start_date: Any, end_date: Any, pattern: Any,
                reason: Any) -> FlexArrangement:
    """HR records an approved arrangement (the approver is the actor)."""
    require(actor, "care.record_talk", employee)
    errors = Errors()
    start = errors.date(start_date, "start_date")
    end = errors.date(end_date, "end_date")
    if start and end and end < start:
        errors.add("end_date", _("The end is before the start."))
    elif start and end and (end - start).days > MAX_FLEX_DAYS:
        errors.add("end_date", _("An arrangement lasts at most %(n)d days; renew it after.") % {"n": MAX_FLEX_DAYS})
    how = errors.text(pattern, "pattern", max_length=200, required=True)
    why = errors.text(reason, "reason", max_length=500, required=True)
    errors.raise_if_any()
    row = FlexArrangement.objects.create(company_id=employee.company_id, employee=employee, start_date=start,
                                         end_date=end, pattern=how, reason=why, approved_by=actor)
    evidence.record(employee.company_id, actor, "care.flex_approved", row, employee=employee,
                    data={"from": start, "to": end, "pattern": how})
    return row


@transaction.atomic
def post_job(*, actor: User, company: Company, title: Any, description: Any, hours_per_week: Any) -> SideJob:
    require(actor, "care.manage_programmes")
    errors = Errors()
    name = errors.text(title, "title", max_length=200, required=True)
    text = errors.text(description, "description", max_length=2000, required=True)
    hours = as_int(hours_per_week)
    if hours is None or not 1 <= hours <= 20:
        errors.add("hours_per_week", _("Between 1 and 20 hours a week."))
    errors.raise_if_any()
    job = SideJob.objects.create(company=company, title=name, description=text, hours_per_week=hours,
                                 created_by=actor)
    evidence.record(company, actor, "care.job_posted", job, data={"title": name, "hours": hours})
    return job


@transaction.atomic
def close_job(*, actor: User, job: SideJob) -> SideJob:
    require(actor, "care.manage_programmes")
    job = SideJob.objects.select_for_update().get(pk=job.pk, company_id=actor.company_id)
    job.open = False
    job.save(update_fields=["open"])
    evidence.record(job.company_id, actor, "care.job_closed", job, data={"title": job.title})
    return job


@transaction.atomic
def apply_job(*, actor: User, employee: Employee, job: SideJob, note: Any = "") -> SideJobApplication:
    require(actor, "care.self_service", employee)
    errors = Errors()
    text = errors.text(note, "note", max_length=500)
    if job.company_id != employee.company_id or not job.open:
        errors.add("job", _("This side job is not open."))
    elif SideJobApplication.objects.filter(job=job, employee=employee).exists():
        errors.add("job", _("You already applied."))
    errors.raise_if_any()
    row = SideJobApplication.objects.create(company_id=job.company_id, job=job, employee=employee, note=text)
    evidence.record(job.company_id, actor, "care.job_applied", row, employee=employee, data={"title": job.title})
    return row


@transaction.atomic
def decide_application(*, actor: User, application: SideJobApplication, accept: bool) -> SideJobApplication:
    row = SideJobApplication.objects.select_for_update().select_related("employee", "job").get(pk=application.pk)
    require(actor, "care.record_talk", row.employee)
    if row.status != ApplicationStatus.APPLIED:
        raise ValidationError({"status": _("Already decided.")})
    row.status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.DECLINED
    row.save(update_fields=["status"])
    evidence.record(row.company_id, actor, f"care.job_{row.status}", row, employee=row.employee_id,
                    data={"title": row.job.title})
    return row


@transaction.atomic
def create_course(*, actor: User, company: Company, title: Any, description: Any = "",
                  sessions: list[Any] = ()) -> Course:
    require(actor, "care.manage_programmes")
    errors = Errors()
    name = errors.text(title, "title", max_length=200, required=True)
    text = errors.text(description, "description", max_length=2000)
    days = [errors.date(s, f"sessions.{i}") for i, s in enumerate(sessions, start=1) if s not in (None, "")]
    if not days:
        errors.add("sessions", _("Add at least one session date."))
    errors.raise_if_any()
    course = Course.objects.create(company=company, title=name, description=text, created_by=actor)
    CourseSession.objects.bulk_create([CourseSession(company=company, course=course, held_on=d)
                                       for d in sorted(d for d in days if d)])
    evidence.record(company, actor, "care.course_created", course, data={"title": name, "sessions": days})
    return course


@transaction.atomic
def enrol(*, actor: User, employee: Employee, course: Course) -> Enrolment:
    """The employee enrols themself, or HR enrols them."""
    if not (actor.has_perm("care.self_service", employee) or actor.has_perm("care.record_talk", employee)):
        require(actor, "care.self_service", employee)
    if course.company_id != employee.company_id:
        raise ValidationError({"course": _("Not a course of this company.")})
    row, created = Enrolment.objects.get_or_create(company_id=course.company_id, course=course, employee=employee)
    if not created:
        raise ValidationError({"course": _("Already enrolled.")})
    evidence.record(course.company_id, actor, "care.enrolled", row, employee=employee, data={"title": course.title})
    return row


@transaction.atomic
def mark_attendance(*, actor: User, session: CourseSession, present_ids: list[int]) -> int:
    """HR marks who attended a session (enrolment ids present; the others absent). A course is complete
    for an enrolment when it attended every session."""
    require(actor, "care.manage_programmes")
    course = Course.objects.select_for_update().get(pk=session.course_id, company_id=actor.company_id)
    enrolments = list(Enrolment.objects.filter(course=course).select_related("employee"))
    present = set(present_ids)
    for e in enrolments:
        SessionAttendance.objects.update_or_create(company_id=course.company_id, session=session, enrolment=e,
                                                   defaults={"present": e.pk in present})
    n_sessions = course.sessions.count()
    for e in enrolments:
        attended = SessionAttendance.objects.filter(enrolment=e, present=True).count()
        done = session.held_on if attended >= n_sessions else None
        if (e.completed_on is None) != (done is None):
            e.completed_on = done
            e.save(update_fields=["completed_on"])
    evidence.record(course.company_id, actor, "care.attendance_marked", session,
                    data={"title": course.title, "session": session.held_on, "present": len(present)})
    return len(present)
