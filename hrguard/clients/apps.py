from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "hrguard.clients"
    label = "clients"
    verbose_name = "Clients"

    def ready(self) -> None:
        from hrguard.evidence import labels

        from . import permissions  # noqa: F401  (django-rules permissions)
        from .evidence_labels import LABELS

        labels.register(LABELS)
