from typing import Any

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
        _register_alert_action()


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


def _register_alert_action() -> None:
    """"Open a case" on an early-warning alert: the new-case form prefilled with the employee (a key-person
    case for a core position) and the alert as linked record; opening it marks the alert acted on."""
    from urllib.parse import urlencode

    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from hrguard.risk.registry import AlertAction, register_alert_action

    def url(alert: Any) -> str:
        employee = alert.employee
        core = bool(employee.position_id and employee.position.is_core)
        query = {"case_type": "keyperson" if core else "general", "subject": employee.pk,
                 "title": f"{employee.name}：{alert.version.name}"[:200],
                 "category": "resignation_risk" if core else "", "link_type": "risk.alert", "link_id": alert.pk,
                 "link_label": f"{alert.version.name}（{alert.as_of:%Y-%m-%d}）"}
        return f"{reverse('cases:new')}?{urlencode(query)}"

    register_alert_action(AlertAction(key="open_case", label=_("Open a case"), url=url,
                                      allowed=lambda user, alert: user.has_perm("cases.open_case")))


def _register_report_section() -> None:
    from hrguard.calculators.risk_report import register_section_source

    from .keyperson_services import report_section

    register_section_source(report_section)
