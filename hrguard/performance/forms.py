"""Page forms of the performance app. They only parse the request; the services validate (every field at
once) and the views put the services' errors back under the fields with ``apply_errors``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrguard.records.forms import BootstrapForm
from hrguard.records.forms import choice_field as _choice
from hrguard.records.forms import date_field as _date
from hrguard.records.forms import text_field as _text


class CycleForm(BootstrapForm):
    name = _text(pgettext_lazy("object", "Name"))
    start_date = _date(pgettext_lazy("period", "Start"))
    end_date = _date(pgettext_lazy("period", "End"))


class KpiForm(BootstrapForm):
    kpis = _text(_("KPIs: one per line, “name | weight % | target”"), rows=6)
    reason = _text(_("Reason for the change (required when changing during the cycle)"))

    def items(self) -> list[dict[str, str]]:
        out = []
        for line in str(self.cleaned_data.get("kpis") or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("｜", "|").split("|")]
            out.append({"name": parts[0], "weight": parts[1] if len(parts) > 1 else "",
                        "target": parts[2] if len(parts) > 2 else ""})
        return out


class PlanForm(BootstrapForm):
    goals = _text(_("Goals"), rows=4)
    start_date = _date(pgettext_lazy("period", "Start"))
    deadline = _date(_("Deadline"))


class ClosePlanForm(BootstrapForm):
    status = _choice(_("Outcome"), [("passed", _("Goals met")), ("failed", _("Goals not met")),
                                    ("cancelled", _("Cancelled"))])
    outcome = _text(_("Outcome"), rows=3)
