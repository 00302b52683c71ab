from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "hrguard.records"
    label = "records"
    verbose_name = "Record kernel"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the record apps' django-rules permissions)
