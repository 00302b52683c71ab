"""Page forms of the activity app. They only parse the request; the services validate (every field at
once) and the views put the services' errors back under the fields with ``apply_errors``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrguard.people.forms import BootstrapForm, apply_errors

from .models import AdvanceKind, DayKind, ExpenseCategory, LeaveType, ViolationDecision

__all__ = ["apply_errors"]

DATE = {"type": "date"}
TIME = {"type": "time"}


def _text(label: Any, rows: int = 0, **kw: Any) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=False, max_length=10000, widget=widget, **kw)


def _date(label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.DateInput(DATE))


def _choice(label: Any, choices: Any, blank: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=([("", "—")] if blank else []) + list(choices))


class LeaveRequestForm(BootstrapForm):
    leave_type = _choice(_("Leave type"), LeaveType.choices)
    start_date = _date(_("First day"))
    end_date = _date(_("Last day"))
    reason = _text(_("Reason"), rows=2)


class DecisionForm(BootstrapForm):
    decision_note = _text(_("Note (required to reject)"))


class ImportForm(BootstrapForm):
    profile = forms.ChoiceField(label=_("Device model (column mapping)"), required=False)
    file = forms.FileField(label=_("Punch file (CSV or Excel)"), required=False)

    def __init__(self, *args: Any, profiles: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = [(str(p.pk), p.name) for p in profiles]


class ProfileForm(BootstrapForm):
    name = _text(_("Device model"))
    employee_column = _text(_("Employee number column"), help_text=_("Header text (e.g. 工号) or column number"))
    datetime_column = _text(_("Date-time column"))
    date_column = _text(_("Date column"), help_text=_("Only when date and time are in separate columns"))
    time_column = _text(_("Time column"))
    direction_column = _text(_("In/out column"))
    has_header = forms.BooleanField(label=_("First row is a header"), required=False, initial=True)
    datetime_format = _text(_("Date-time format"), help_text=_("Empty = detect common formats"))


class ShiftForm(BootstrapForm):
    name = _text(pgettext_lazy("object", "Name"))
    start_time = forms.CharField(label=_("Start"), required=False, widget=forms.TimeInput(TIME))
    end_time = forms.CharField(label=_("End"), required=False, widget=forms.TimeInput(TIME))
    break_minutes = _text(_("Unpaid break (minutes)"))
    grace_minutes = _text(_("Late grace (minutes)"))
    overtime_threshold_minutes = _text(_("Minimum overtime counted (minutes)"))
    is_default = forms.BooleanField(label=_("Default shift"), required=False)


class CalendarDayForm(BootstrapForm):
    date = _date(_("Date"))
    kind = _choice(_("Day type"), DayKind.choices)
    name = _text(pgettext_lazy("object", "Name"))


class TripForm(BootstrapForm):
    start_date = _date(_("Departure"))
    end_date = _date(_("Return"))
    destination = _text(_("Destination"))
    purpose = _text(_("Purpose"), rows=2)
    advance_requested = _text(_("Cash advance requested (yuan)"))


class ClaimForm(BootstrapForm):
    category = _choice(_("Category"), ExpenseCategory.choices)
    spent_on = _date(_("Date of expense"))
    amount = _text(_("Amount (yuan)"))
    description = _text(_("Description"))
    trip = forms.ChoiceField(label=_("Trip"), required=False)

    def __init__(self, *args: Any, trips: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trip"].choices = [("", "—")] + [(str(t.pk), f"{t.destination} {t.start_date}") for t in trips]
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"


class AdvanceForm(BootstrapForm):
    kind = _choice(_("Kind"), AdvanceKind.choices)
    amount = _text(_("Amount (yuan)"))
    issued_on = _date(_("Paid out on"))
    due_on = _date(_("Due"))
    purpose = _text(_("Purpose"))


class RepaymentForm(BootstrapForm):
    amount = _text(_("Amount (yuan)"))
    paid_on = _date(_("Date"))
    note = _text(_("Note"))


class ViolationForm(BootstrapForm):
    clause = forms.ChoiceField(label=_("Handbook clause breached"), required=False)
    occurred_on = _date(_("Date of the incident"))
    facts = _text(_("Facts"), rows=5)

    def __init__(self, *args: Any, clauses: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = [("", "—")] + [(str(c.pk), f"{c.code} {c.title}") for c in clauses]


class InvestigationForm(BootstrapForm):
    investigation = _text(_("Investigation notes"), rows=4)


class ViolationDecisionForm(BootstrapForm):
    decision = _choice(
        _("Decision"), [*ViolationDecision.choices, ("not_substantiated", _("Not substantiated"))]
    )
    decision_note = _text(_("Reasons for the decision"), rows=3)
    deduction_amount = _text(_("Deduction amount (yuan)"))
    suspension_days = _text(_("Suspension days"))


class AckForm(BootstrapForm):
    ack_note = _text(_("Note"), rows=2)


class ClauseForm(BootstrapForm):
    code = _text(_("Clause number"))
    title = _text(_("Title"))
    body = _text(_("Text"), rows=4)


class RuleForm(BootstrapForm):
    name = _text(pgettext_lazy("object", "Name"))
    threshold = _text(_("Number of violations"))
    window_days = _text(_("Within (days)"))


class ComplaintForm(BootstrapForm):
    client = _text(_("Client"))
    received_on = _date(_("Date received"))
    claimed_loss = _text(_("Claimed loss (yuan)"))
    facts = _text(_("Facts"), rows=4)


class ResolveForm(BootstrapForm):
    status = _choice(_("Outcome"), [("resolved", _("Resolved")), ("settled", _("Settled")),
                                    ("rejected", _("Rejected"))])
    resolution = _text(_("Resolution"), rows=3)
    settled_amount = _text(_("Settlement amount (yuan)"))


class CycleForm(BootstrapForm):
    name = _text(pgettext_lazy("object", "Name"))
    start_date = _date(_("Start"))
    end_date = _date(_("End"))


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
    start_date = _date(_("Start"))
    deadline = _date(_("Deadline"))


class ClosePlanForm(BootstrapForm):
    status = _choice(_("Outcome"), [("passed", _("Goals met")), ("failed", _("Goals not met")),
                                    ("cancelled", _("Cancelled"))])
    outcome = _text(_("Outcome"), rows=3)
