from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "hrguard.attendance"
    label = "attendance"
    verbose_name = "Attendance"

    def ready(self) -> None:
        from hrguard.core import jobs as core_jobs

        from . import jobs

        core_jobs.register(jobs.KIND, jobs.punch_job)
