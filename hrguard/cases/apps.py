from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hrguard.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from hrguard.evidence import labels

        from . import permissions  # noqa: F401  (django-rules permissions)
        from .evidence_labels import LABELS

        labels.register(LABELS)
        from .types import register_builtin_types

        register_builtin_types()
