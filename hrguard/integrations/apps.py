from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "hrguard.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from hrguard.evidence import labels

        from . import permissions, receivers  # noqa: F401  (django-rules permissions, signal receivers)
        from .evidence_labels import LABELS

        labels.register(LABELS)
        receivers.connect()
