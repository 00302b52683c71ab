"""Calculator pages (/calculators/…) for HR, legal and the administrator: each form is a GET (a result is a
link), the answer shows its figures, the working line by line with the article of each line, and warnings.
The wage history page imports wage sheets; the risk report page returns the departure risk PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from hrguard.law.worked import Answer
from hrguard.people.pages import guard
from hrguard.people.selectors import employee_detail
from hrguard.platform import uploads
from hrguard.platform.forms import apply_errors
from hrguard.records.pages import employee_by_number

from . import forms, selectors, services
from .risk_report import departure_risk_report

Compute = Callable[[Any, dict[str, Any], Any], Answer]


def _compensation(user: Any, d: dict[str, Any], employee: Any) -> Answer:
    return services.compute_compensation(
        actor=user, employee=employee, ground=d["ground"], start_date=d.get("start_date"),
        end_date=d.get("end_date"), service_months=d.get("service_months"), monthly_wage=d.get("monthly_wage"),
        local_average_wage=d.get("local_average_wage"), unlawful=d.get("unlawful", False),
        notice_given=d.get("notice_given", False), last_month_wage=d.get("last_month_wage"))


def _last_day(user: Any, d: dict[str, Any], employee: Any) -> Answer:
    probation = True if d.get("in_probation") else (None if employee is not None else False)
    return services.compute_last_day(actor=user, employee=employee, notice_date=d["notice_date"], kind=d["kind"],
                                     in_probation=probation, proposed_last_day=d.get("proposed_last_day"))


def _probation(user: Any, d: dict[str, Any], employee: Any) -> Answer:
    return services.compute_probation(actor=user, contract_type=d["contract_type"], start_date=d["start_date"],
                                      end_date=d.get("end_date"), proposed_months=d.get("proposed_months"),
                                      prior_probation=d.get("prior_probation", False))


def _annual_leave(user: Any, d: dict[str, Any], employee: Any) -> Answer:
    return services.compute_annual_leave(actor=user, employee=employee, year=d["year"],
                                         first_work_date=d.get("first_work_date"), hire_date=d.get("hire_date"),
                                         last_day=d.get("last_day"), taken_days=d.get("taken_days") or 0)


def _noncompete(user: Any, d: dict[str, Any], employee: Any) -> Answer:
    return services.compute_noncompete(actor=user, employee=employee, months=d["months"], end_date=d.get("end_date"),
                                       average_monthly_wage=d.get("average_monthly_wage"),
                                       agreed_monthly=d.get("agreed_monthly"), minimum_wage=d.get("minimum_wage"))


@dataclass(frozen=True)
class Calculator:
    key: str
    title: Any
    intro: Any
    form: type[forms.CalcForm]
    compute: Compute


CALCULATORS = {c.key: c for c in (
    Calculator("compensation", gettext_lazy("Economic compensation"),
               gettext_lazy("N, N+1 (pay in lieu of notice) and 2N (unlawful termination), with the 3× cap, the "
                            "12-year cap and service before 2008."), forms.CompensationForm, _compensation),
    Calculator("last_day", gettext_lazy("Last working day"),
               gettext_lazy("From the date of the written notice: 30 days, 3 days in probation."),
               forms.LastDayForm, _last_day),
    Calculator("probation", gettext_lazy("Maximum probation"),
               gettext_lazy("The longest probation the contract term allows."), forms.ProbationForm, _probation),
    Calculator("annual_leave", gettext_lazy("Statutory annual leave"),
               gettext_lazy("Days of paid annual leave for a year, and the untaken days owed on leaving."),
               forms.AnnualLeaveForm, _annual_leave),
    Calculator("non_compete", gettext_lazy("Non-compete compensation"),
               # xgettext:no-python-format
               gettext_lazy("Monthly compensation (default 30% of the 12-month average, not below the minimum "
                            "wage), at most 2 years, and the 3-month release payment."),
               forms.NonCompeteForm, _noncompete),
)}


@login_required
@require_GET
@guard("calculators:index")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "calculators/index.html", {"calculators": CALCULATORS.values()})


def _run(request: HttpRequest, calc: Calculator) -> tuple[forms.CalcForm, Answer | None, Any]:
    bound = any(name in request.GET for name in calc.form.base_fields)
    form = calc.form(request.GET if bound else None)
    if not bound or not form.is_valid():
        return form, None, None
    employee = None
    number = form.cleaned_data.get("employee_no")
    if number:
        employee = employee_by_number(request, number)
        if employee is None:
            form.add_error("employee_no", _("No employee with this number."))
            return form, None, None
    try:
        return form, calc.compute(request.user, form.cleaned_data, employee), employee
    except ValidationError as exc:
        apply_errors(form, exc, label_for=lambda key: str(form.fields[key].label) if key in form.fields else "")
        return form, None, employee


def _page(key: str) -> Callable[[HttpRequest], HttpResponse]:
    @login_required
    @require_GET
    @guard(f"calculators:{key}")
    def view(request: HttpRequest) -> HttpResponse:
        calc = CALCULATORS[key]
        form, answer, employee = _run(request, calc)
        return render(request, "calculators/calculator.html", {
            "calc": calc, "form": form, "answer": answer, "employee": employee,
            "figures": answer.figures if answer else {}, "calculators": CALCULATORS.values()})

    view.__name__ = key
    return view


compensation = _page("compensation")
last_day = _page("last_day")
probation = _page("probation")
annual_leave = _page("annual_leave")
non_compete = _page("non_compete")


@login_required
@require_http_methods(["GET", "POST"])
@guard("calculators:wages")
def wages(request: HttpRequest) -> HttpResponse:
    """Wage history: an employee's months, and importing a wage sheet (HR and the administrator)."""
    form = forms.WageImportForm()
    report = None
    if request.method == "POST":
        if not request.user.has_perm("calculators.manage_wages"):
            raise Http404
        form = forms.WageImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = uploads.read(upload)
            try:
                checked = uploads.check(upload.name, content, uploads.SPREADSHEETS)
            except uploads.UploadError as exc:
                form.add_error("file", str(exc))
            else:
                report = services.import_wage_months(actor=request.user, content=content, source=checked.name)
                if not report.errors:
                    messages.success(request, _("%(n)d wage months saved.") % {"n": report.saved})
                    return redirect("calculators:wages")
    number = request.GET.get("employee_no", "").strip()[:32]
    employee = employee_by_number(request, number) if number else None
    months = list(selectors.wage_months(request.user, employee_id=employee.pk).order_by("-year", "-month")[:36]) \
        if employee else []
    return render(request, "calculators/wages.html", {
        "form": form, "report": report, "employee": employee, "employee_no": number, "months": months,
        "not_found": bool(number and employee is None), "can_import": request.user.has_perm("calculators.manage_wages"),
        "calculators": CALCULATORS.values()})


@login_required
@require_GET
@guard("calculators:risk_report")
def risk_report(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = employee_detail(request.user, employee_id)
    if employee is None:
        raise Http404
    pdf = departure_risk_report(actor=request.user, employee=employee)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="risk-report-{employee.employee_no}.pdf"'
    return response
