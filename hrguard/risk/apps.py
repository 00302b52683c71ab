from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "hrguard.risk"
    label = "risk"
    verbose_name = "Early warning"

    def ready(self) -> None:
        from hrguard.evidence import labels

        from . import checks, permissions, providers  # noqa: F401  (permissions: django-rules)
        from .evidence_labels import LABELS

        labels.register(LABELS)
        providers.register_builtin()
        checks.register()
