from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "hrguard.activity"
    label = "activity"
    verbose_name = "Activity"

    def ready(self) -> None:
        from hrguard.core import jobs as core_jobs

        from .attendance import jobs

        core_jobs.register(jobs.KIND, jobs.punch_job)
