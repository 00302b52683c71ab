"""Leave (假勤): requests (approved on the process engine), and balances for the kinds that have one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LeaveType(models.TextChoices):
    ANNUAL = "annual", _("Annual leave")  # 年假
    SICK = "sick", _("Sick leave")  # 病假
    PERSONAL = "personal", _("Personal leave")  # 事假
    MARRIAGE = "marriage", _("Marriage leave")  # 婚假
    MATERNITY = "maternity", _("Maternity leave")  # 产假
    PATERNITY = "paternity", _("Paternity leave")  # 陪产假
    BEREAVEMENT = "bereavement", _("Bereavement leave")  # 丧假
    COMPENSATORY = "compensatory", _("Time off in lieu")  # 调休
    OTHER = "other", _("Other leave")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class LeaveRequest(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="leave_requests")
    leave_type = models.CharField(_("leave type"), max_length=12, choices=LeaveType.choices)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # The outcome of the approval process (leave.request on hrguard.workflows), written only by its action
    # ``leave.apply_outcome`` — and by HR cancelling approved leave. Who decided, when, with what note:
    # the process's steps (``hrguard.records.processes.status``).
    status = models.CharField(_("status"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        indexes = [
            models.Index(fields=["employee", "start_date"], name="leave_employee_start"),
            models.Index(fields=["company", "status", "start_date"], name="leave_company_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="leave_dates_order"),
        ]
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.leave_type} {self.start_date}–{self.end_date}"


class LeaveBalance(models.Model):
    """Entitlement of one employee for one leave type and year; used days are summed from requests."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="leave_balances")
    leave_type = models.CharField(_("leave type"), max_length=12, choices=LeaveType.choices)
    year = models.PositiveIntegerField(_("year"))
    entitled_days = models.DecimalField(_("entitlement (days)"), max_digits=5, decimal_places=1, default=0)
    adjustment_days = models.DecimalField(_("adjustment (days)"), max_digits=5, decimal_places=1, default=0)
    basis = models.CharField(_("basis"), max_length=300, blank=True)  # e.g. the statute and years counted
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("leave balance")
        verbose_name_plural = _("leave balances")
        constraints = [
            models.UniqueConstraint(fields=["employee", "leave_type", "year"], name="uniq_leave_balance"),
        ]
