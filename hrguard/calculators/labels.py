"""Evidence labels of the calculators' actions (registered with ``hrguard.evidence.labels`` at start-up)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "wage_month.recorded": _("Monthly wage recorded"),
    "wage_month.imported": _("Wage history imported"),
    "risk_report.generated": _("Departure risk report generated"),
}


def register() -> None:
    from hrguard.evidence.labels import register as register_labels

    register_labels(ACTIONS)
