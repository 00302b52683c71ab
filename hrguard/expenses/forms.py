"""Page forms of the expenses app. They only parse the request; the services validate (every field at
once) and the views put the services' errors back under the fields with ``apply_errors``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hrguard.records.forms import BootstrapForm
from hrguard.records.forms import choice_field as _choice
from hrguard.records.forms import date_field as _date
from hrguard.records.forms import text_field as _text

from .models import AdvanceKind, ExpenseCategory


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
