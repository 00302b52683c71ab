"""Page forms of the attendance app. They only parse the request; the services validate (every field at
once) and the views put the services' errors back under the fields with ``apply_errors``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrguard.records.forms import TIME, BootstrapForm
from hrguard.records.forms import choice_field as _choice
from hrguard.records.forms import date_field as _date
from hrguard.records.forms import text_field as _text

from .models import DayKind


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
    start_time = forms.CharField(label=pgettext_lazy("shift", "Start"), required=False, widget=forms.TimeInput(TIME))
    end_time = forms.CharField(label=pgettext_lazy("shift", "End"), required=False, widget=forms.TimeInput(TIME))
    break_minutes = _text(_("Unpaid break (minutes)"))
    grace_minutes = _text(_("Late grace (minutes)"))
    overtime_threshold_minutes = _text(_("Minimum overtime counted (minutes)"))
    is_default = forms.BooleanField(label=_("Default shift"), required=False)


class CalendarDayForm(BootstrapForm):
    date = _date(_("Date"))
    kind = _choice(_("Day type"), DayKind.choices)
    name = _text(pgettext_lazy("object", "Name"))
