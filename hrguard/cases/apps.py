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
        _register_backtest_outcome()


def _register_backtest_outcome() -> None:
    """The early-warning back-test's "later had a case": people who became the subject of a case opened on
    or after the day (risk sits below cases and asks through its registry)."""
    import datetime as dt

    from django.utils import timezone

    from hrguard.risk.registry import register_outcome

    from .models import Case

    def had_case(company_id: int, employee_ids: set[int], after: dt.date) -> set[int]:
        start = timezone.make_aware(dt.datetime.combine(after, dt.time.min))
        return set(Case.objects.filter(company_id=company_id, subject_employee_id__in=employee_ids,
                                       opened_at__gte=start).values_list("subject_employee_id", flat=True))

    register_outcome("case", had_case)


def _register_report_section() -> None:
    from hrguard.calculators.risk_report import register_section_source

    from .keyperson_services import report_section

    register_section_source(report_section)
