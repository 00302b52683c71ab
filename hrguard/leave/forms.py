"""Page forms of the leave app. They only parse the request; the services validate (every field at
once) and the views put the services' errors back under the fields with ``apply_errors``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrguard.records.forms import BootstrapForm
from hrguard.records.forms import choice_field as _choice
from hrguard.records.forms import date_field as _date
from hrguard.records.forms import text_field as _text

from .models import LeaveType


class LeaveRequestForm(BootstrapForm):
    leave_type = _choice(_("Leave type"), LeaveType.choices)
    start_date = _date(_("First day"))
    end_date = _date(_("Last day"))
    reason = _text(_("Reason"), rows=2)


class DecisionForm(BootstrapForm):
    decision_note = _text(_("Note (required to reject)"))
