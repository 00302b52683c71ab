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
        _register_report_section()
        from .types import register_builtin_types

        register_builtin_types()


def _register_report_section() -> None:
    from hrguard.calculators.risk_report import register_section_source

    from .keyperson_services import report_section

    register_section_source(report_section)
