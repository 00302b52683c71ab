"""The calculator pages' forms (GET: a result is a link HR can share). Bounds match the API's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hrguard.law.termination import GROUNDS, Ground
from hrguard.law.worked import MAX_MONEY
from hrguard.platform.forms import BootstrapForm

DATE = forms.DateInput(attrs={"type": "date"})
DAY_MIN, DAY_MAX = dt.date(1950, 1, 1), dt.date(2200, 12, 31)


def _money(label: Any, help_text: Any = "", required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(label=label, help_text=help_text, required=required, min_value=Decimal(0),
                              max_value=MAX_MONEY, max_digits=12, decimal_places=2,
                              widget=forms.TextInput(attrs={"inputmode": "decimal"}))


def _date(label: Any, help_text: Any = "", required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, help_text=help_text, required=required, widget=DATE)


class CalcForm(BootstrapForm):
    employee_no = forms.CharField(label=_("Employee number"), required=False, max_length=32,
                                  help_text=_("Optional: dates and wages are read from the employee's records."))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, dt.date) and not DAY_MIN <= value <= DAY_MAX:
                self.add_error(name, _("Enter a date between 1950 and 2200."))
        return data


def _ground_choices() -> list[tuple[str, str]]:
    return [(g.value, f"{info.zh}（{info.citation.zh}）") for g, info in GROUNDS.items()]


class CompensationForm(CalcForm):
    ground = forms.ChoiceField(label=_("Termination ground"), choices=_ground_choices,
                               initial=Ground.MUTUAL_EMPLOYER_PROPOSED.value)
    start_date = _date(_("Hire date"))
    end_date = _date(_("Last working day"))
    service_months = forms.IntegerField(label=_("Months of service"), required=False, min_value=0, max_value=960,
                                        help_text=_("Instead of dates: whole months of service."))
    monthly_wage = _money(_("Average monthly wage of the last 12 months"),
                          _("Empty: from the employee's wage history."))
    local_average_wage = _money(_("Local average monthly wage of the prior year"),
                                _("Empty: from the company's wage table."))
    notice_given = forms.BooleanField(label=_("30 days' written notice given (Art. 40)"), required=False,
                                      initial=True)
    unlawful = forms.BooleanField(label=_("Unlawful termination (2N)"), required=False)
    last_month_wage = _money(_("Wage of the previous month (pay in lieu)"))


class LastDayForm(CalcForm):
    notice_date = _date(_("Notice date"), required=True)
    kind = forms.ChoiceField(label=_("Notice"), choices=[
        ("resignation", _("Resignation by the employee (Art. 37)")),
        ("no_fault", _("Dismissal with notice (Art. 40)"))])
    in_probation = forms.BooleanField(label=_("In probation"), required=False)
    proposed_last_day = _date(_("Proposed last day"), _("Optional: checked against the notice period."))


class ProbationForm(CalcForm):
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=[
        ("fixed_term", _("Fixed-term")), ("open_ended", _("Open-ended")), ("task_based", _("Task-based"))])
    start_date = _date(_("Contract start"), required=True)
    end_date = _date(_("Contract end"), _("Empty for an open-ended contract."))
    proposed_months = forms.IntegerField(label=_("Proposed probation (months)"), required=False, min_value=0,
                                         max_value=120)
    prior_probation = forms.BooleanField(label=_("A probation was already agreed with this employee"),
                                         required=False)


class AnnualLeaveForm(CalcForm):
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2200)
    first_work_date = _date(_("First employment date"), _("Start of cumulative work with any employer."))
    hire_date = _date(_("Hire date"))
    last_day = _date(_("Last working day"), _("Leaving this year: the untaken days owed."))
    taken_days = forms.IntegerField(label=_("Days already taken"), required=False, min_value=0, max_value=366)


class NonCompeteForm(CalcForm):
    months = forms.IntegerField(label=_("Duration (months)"), min_value=1, max_value=1200, initial=24)
    end_date = _date(_("Last working day"))
    average_monthly_wage = _money(_("Average monthly wage of the last 12 months"),
                                  _("Empty: from the employee's wage history."))
    agreed_monthly = _money(_("Agreed monthly compensation"), _("Empty: the statutory default (30%)."))
    minimum_wage = _money(_("Local minimum monthly wage"), _("Empty: from the company's wage table."))


class WageImportForm(BootstrapForm):
    file = forms.FileField(label=_("Wage sheet (.xlsx or .csv)"),
                           help_text=_("Columns 工号, 年月 (e.g. 2025-03) and 应发工资."))
