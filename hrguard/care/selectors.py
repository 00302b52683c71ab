"""Tenant-scoped reads of care. Reading a talk's content is evidence (``talk_detail``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.people.scope import scope_of
from hrguard.workflows import selectors as workflow_selectors

from .models import (
    AidLoan,
    AidStatus,
    Course,
    Enrolment,
    FlexArrangement,
    SideJob,
    SideJobApplication,
    Talk,
)


def _pk(value: Any) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**62:
        raise Http404
    return pk


def talks_for(user: User) -> QuerySet[Talk]:
    """Care roles: the company's talks but never about themself; a line manager: those shared with them."""
    if not user.is_authenticated or not user.company_id:
        return Talk.objects.none()
    qs = Talk.objects.filter(company_id=user.company_id).select_related("employee", "employee__department")
    own = scope_of(user).employee_id
    if user.has_perm("care.view_care"):
        return qs.exclude(employee_id=own) if own else qs
    managed = [t.pk for t in qs.filter(shared_with_manager=True) if user.has_perm("care.view_talk", t)]
    return qs.filter(pk__in=managed)


def talk_detail(user: User, pk: Any) -> Talk:
    """One talk with its summary: the read is recorded as evidence."""
    talk = talks_for(user).filter(pk=_pk(pk)).first()
    if talk is None or not user.has_perm("care.view_talk", talk):
        raise Http404
    evidence.record_standalone(talk.company_id, user, "care.talk_read", talk, employee=talk.employee_id,
                               data={"held_on": talk.held_on})
    return talk


def loans_for(user: User) -> QuerySet[AidLoan]:
    """Care roles and finance: the company's loans; an employee: their own."""
    if not user.is_authenticated or not user.company_id:
        return AidLoan.objects.none()
    qs = AidLoan.objects.filter(company_id=user.company_id).select_related("employee")
    own = scope_of(user).employee_id
    if user.has_perm("care.view_aid_list"):
        return qs
    return qs.filter(employee_id=own) if own else qs.none()


def my_loans(user: User) -> QuerySet[AidLoan]:
    own = scope_of(user).employee_id
    if not own:
        return AidLoan.objects.none()
    return AidLoan.objects.filter(company_id=user.company_id, employee_id=own)


@dataclass
class LoanDetail:
    loan: AidLoan
    installments: list[Any]
    repayments: list[Any]
    process: Any
    can_pay: bool
    can_schedule: bool


def loan_for(user: User, pk: Any) -> AidLoan:
    pk = _pk(pk)
    loan = loans_for(user).filter(pk=pk).first()
    if loan is None or not user.has_perm("care.view_aid", loan):
        raise Http404
    return loan


def loan_detail(user: User, pk: Any) -> LoanDetail:
    loan = loan_for(user, pk)
    process = workflow_selectors.instance_for(subject=loan)
    return LoanDetail(loan, list(loan.installments.all()), list(loan.repayments.all()), process,
                      user.has_perm("care.pay_aid", loan), user.has_perm("care.schedule_aid", loan))


def outstanding_loans(employee: Any) -> list[AidLoan]:
    return list(AidLoan.objects.filter(company_id=employee.company_id, employee_id=employee.pk,
                                       status=AidStatus.DISBURSED).order_by("pk"))


def flex_for(user: User) -> QuerySet[FlexArrangement]:
    if not user.has_perm("care.view_care"):
        return FlexArrangement.objects.none()
    return FlexArrangement.objects.filter(company_id=user.company_id).select_related("employee", "approved_by")


def my_flex(user: User) -> QuerySet[FlexArrangement]:
    own = scope_of(user).employee_id
    return FlexArrangement.objects.filter(company_id=user.company_id, employee_id=own) if own else \
        FlexArrangement.objects.none()


def jobs_for(user: User) -> QuerySet[SideJob]:
    if not user.is_authenticated or not user.company_id:
        return SideJob.objects.none()
    qs = SideJob.objects.filter(company_id=user.company_id)
    if user.has_perm("care.view_care"):
        return qs.annotate(n_applications=Count("applications")).prefetch_related(
            Prefetch("applications", queryset=SideJobApplication.objects.select_related("employee")))
    return qs.filter(open=True)


def my_applications(user: User) -> dict[int, SideJobApplication]:
    own = scope_of(user).employee_id
    if not own:
        return {}
    return {a.job_id: a for a in SideJobApplication.objects.filter(company_id=user.company_id, employee_id=own)}


def courses_for(user: User) -> QuerySet[Course]:
    if not user.is_authenticated or not user.company_id:
        return Course.objects.none()
    qs = Course.objects.filter(company_id=user.company_id).prefetch_related("sessions")
    if user.has_perm("care.view_care"):
        return qs.annotate(n_enrolled=Count("enrolments", distinct=True),
                           n_completed=Count("enrolments", filter=Q(enrolments__completed_on__isnull=False),
                                             distinct=True))
    return qs


def course_for(user: User, pk: Any) -> Course:
    course = courses_for(user).filter(pk=_pk(pk)).first()
    if course is None:
        raise Http404
    return course


def enrolments_of(course: Course) -> list[Enrolment]:
    return list(course.enrolments.select_related("employee").prefetch_related("attendance")
                .order_by("employee__employee_no"))


def my_enrolments(user: User) -> dict[int, Enrolment]:
    own = scope_of(user).employee_id
    if not own:
        return {}
    return {e.course_id: e for e in Enrolment.objects.filter(company_id=user.company_id, employee_id=own)}
