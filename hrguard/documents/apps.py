from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "hrguard.documents"
    label = "documents"
    verbose_name = "Documents and signing"

    def ready(self) -> None:
        # Register the durable-deadline handlers (reminders, HR warning, fallback, expiry).
        from . import (
            permissions,  # noqa: F401  (registers the django-rules permissions)
            reminders,  # noqa: F401
        )
