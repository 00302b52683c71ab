from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "hrguard.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from hrguard.core import jobs

        from . import import_jobs

        jobs.register(import_jobs.KIND, import_jobs.roster_job)
