from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "hrguard.care"
    label = "care"
    verbose_name = "Employee care"

    def ready(self) -> None:
        from hrguard.evidence import labels

        from . import pages, permissions  # noqa: F401  (django-rules permissions, page predicates)
        from .eap import quiet
        from .evidence_labels import LABELS

        labels.register(LABELS)
        quiet.silence_request_logs()
