from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "hrguard.leave"
    label = "leave"
    verbose_name = "Leave"

    def ready(self) -> None:
        # The leave part of the employee profile's records section.
        from hrguard.attendance import compute
        from hrguard.records import summary

        from . import selectors
        from .models import LeaveRequest, LeaveStatus

        summary.register(selectors.summary_part)
        # Approved leave marks attendance days as leave days (attendance sits below leave).
        compute.register_absence_source(
            compute.AbsenceSource(table=lambda: LeaveRequest._meta.db_table, status=LeaveStatus.APPROVED.value)
        )
