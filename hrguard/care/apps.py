from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "hrguard.care"
    label = "care"
    verbose_name = "Employee care"

    def ready(self) -> None:
        from hrguard.evidence import labels

        from . import permissions  # noqa: F401  (django-rules permissions)
        from .eap import quiet
        from .evidence_labels import LABELS

        labels.register(LABELS)
        quiet.silence_request_logs()
