from django.apps import AppConfig


class OffboardingConfig(AppConfig):
    name = "hrguard.offboarding"
    label = "offboarding"
    verbose_name = "Offboarding"

    def ready(self) -> None:
        from hrguard.evidence import labels

        from . import permissions  # noqa: F401  (django-rules permissions)
        from .evidence_labels import LABELS

        labels.register(LABELS)
