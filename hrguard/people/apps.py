from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "hrguard.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # Evidence packages name the employees they concern (evidence sits below people).
        from django.db.models import F

        from hrguard.core import backends, jobs
        from hrguard.evidence import package

        from . import (
            import_jobs,
            permissions,  # noqa: F401  (registers the django-rules permissions)
        )
        from .scope import OWN_EMPLOYEE
        from .selectors import names_of

        package.register_party_names(names_of)
        # The background worker runs roster import jobs through this handler (core sits below people).
        jobs.register(import_jobs.KIND, import_jobs.roster_job)
        # Every page asks for the signed-in user's own employee (scope, navigation): fetched with the user.
        backends.annotate_user(OWN_EMPLOYEE, F("employee__id"))
