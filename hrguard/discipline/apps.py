from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "hrguard.discipline"
    label = "discipline"
    verbose_name = "Discipline and client complaints"

    def ready(self) -> None:
        # Evidence files are downloadable by whoever sees the record; the discipline part of the profile.
        from hrguard.records import files, summary

        from . import selectors

        files.register_owner("violation", selectors.violation_for)
        files.register_owner("complaint", selectors.complaint_for)
        summary.register(selectors.summary_part)
