"""REST API of the calculators (/api/v1/calculators/…): compensation, last-day, non-compete, probation,
annual-leave. Each takes its inputs as a JSON body (POST) or as query parameters (GET), answers the figures,
the working (``steps``: label, figure, article) and the articles; 400 names the field at fault (a missing wage
month is named in ``fields.wages``). HR, legal and the company administrator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hrguard.law.termination import Ground
from hrguard.law.worked import MAX_MONEY, Answer
from hrguard.people.selectors import employee_detail
from hrguard.platform.api import ERRORS, MAX_ID

from . import services
from .permissions import can_calculate

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal(0), "max_value": MAX_MONEY}
DAY_MIN, DAY_MAX = dt.date(1950, 1, 1), dt.date(2200, 12, 31)


def _date(**kw: Any) -> serializers.DateField:
    return serializers.DateField(**kw)


def _money(**kw: Any) -> serializers.DecimalField:
    return serializers.DecimalField(**MONEY, **kw)


class DateRangeMixin(serializers.Serializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name, value in attrs.items():
            if isinstance(value, dt.date) and not DAY_MIN <= value <= DAY_MAX:
                raise serializers.ValidationError({name: ["日期超出范围（1950–2200年）" if _zh() else
                                                          "Date out of range (1950–2200)."]})
        return attrs


def _zh() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "zh-hans").lower().startswith("zh")


class EmployeeField(serializers.IntegerField):
    def __init__(self, **kw: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                         help_text="Employee id: hire date, termination date, status and wage history are read "
                                   "from the record (explicit inputs override them).", **kw)


class StepSerializer(serializers.Serializer):
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    value = serializers.CharField(help_text="The figure as shown (e.g. 72,000.00).")
    article = serializers.CharField(help_text="The article behind the step, e.g. 《劳动合同法》第47条.")
    article_en = serializers.CharField()


class ArticleSerializer(serializers.Serializer):
    article = serializers.CharField()
    article_en = serializers.CharField()
    summary = serializers.CharField()
    unconfirmed = serializers.BooleanField(help_text="A reading from secondary sources only.")


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    article = serializers.CharField()


def _answer_serializer(name: str, result: serializers.Serializer) -> type[serializers.Serializer]:
    return type(name, (serializers.Serializer,), {
        "result": result, "steps": StepSerializer(many=True), "articles": ArticleSerializer(many=True),
        "warnings": WarningSerializer(many=True),
        "__module__": __name__,
    })


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def render_answer(answer: Answer) -> dict[str, Any]:
    zh = _zh()
    return {
        "result": {k: _plain(v) for k, v in answer.figures.items()},
        "steps": [s.as_dict() for s in answer.steps],
        "articles": [{"article": c.zh, "article_en": c.en, "summary": c.summary, "unconfirmed": c.unconfirmed}
                     for c in answer.citations],
        "warnings": [{"code": w.code, "message": w.message_zh if zh else w.message_en, "article": w.citation.zh}
                     for w in answer.warnings],
    }


class CalculatorView(APIView):
    """GET with query parameters or POST with a JSON body; the same inputs either way."""

    input_class: type[serializers.Serializer]

    def compute(self, request: Request, data: dict[str, Any], employee: Any) -> Answer:  # pragma: no cover
        raise NotImplementedError

    def _answer(self, request: Request, raw: Any) -> Response:
        if not can_calculate(request.user):
            raise PermissionDenied()
        form = self.input_class(data=raw)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        employee = None
        if data.get("employee"):
            employee = employee_detail(request.user, data["employee"])
            if employee is None:
                raise Http404
        return Response(render_answer(self.compute(request, data, employee)))

    def get(self, request: Request) -> Response:
        return self._answer(request, request.query_params)

    def post(self, request: Request) -> Response:
        return self._answer(request, request.data)


def _schema(input_class: type[serializers.Serializer], output: type[serializers.Serializer], summary: str,
            examples: list[OpenApiExample]) -> Any:
    def decorate(view: type[CalculatorView]) -> type[CalculatorView]:
        responses = {200: output, **ERRORS}
        get = extend_schema(parameters=[input_class], responses=responses, summary=summary + " (query parameters)",
                            tags=["calculators"], operation_id=f"{view.__name__}_get")
        post = extend_schema(request=input_class, responses=responses, summary=summary, tags=["calculators"],
                             examples=examples, operation_id=f"{view.__name__}_post")
        def get_view(self: CalculatorView, request: Request) -> Response:
            return self._answer(request, request.query_params)

        def post_view(self: CalculatorView, request: Request) -> Response:
            return self._answer(request, request.data)

        view.get = get(get_view)  # type: ignore[method-assign]
        view.post = post(post_view)  # type: ignore[method-assign]
        return view

    return decorate


# --- compensation ----------------------------------------------------------------------------------------


class CompensationInput(DateRangeMixin):
    ground = serializers.ChoiceField(choices=[g.value for g in Ground], default=Ground.MUTUAL_EMPLOYER_PROPOSED.value,
                                     help_text="Termination ground (law.termination.Ground), e.g. art36_employer, "
                                               "art40_2, art41, art44_1.")
    employee = EmployeeField()
    start_date = _date(required=False, allow_null=True, help_text="First day of employment (default: hire date).")
    end_date = _date(required=False, allow_null=True, help_text="Last working day (default: termination date).")
    service_months = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=960,
                                              help_text="Whole months of service, instead of dates.")
    monthly_wage = _money(required=False, allow_null=True, help_text="Average monthly wage of the last 12 months; "
                          "default: from the wage history (Regulation Art. 27).")
    local_average_wage = _money(required=False, allow_null=True, help_text="City's prior-year average monthly wage "
                                "(default: the company's wage table).")
    city = serializers.CharField(required=False, allow_blank=True, max_length=50)
    unlawful = serializers.BooleanField(required=False, default=False, help_text="Unlawful termination → 2N.")
    notice_given = serializers.BooleanField(required=False, default=True,
                                            help_text="Art. 40: 30 days' written notice given (false → N+1).")
    last_month_wage = _money(required=False, allow_null=True, help_text="Wage of the previous month (in lieu).")


class CompensationResult(serializers.Serializer):
    kind = serializers.CharField(help_text="none, N, N+1 or 2N.")
    due = serializers.BooleanField()
    service_months = serializers.IntegerField()
    service_days = serializers.IntegerField()
    years_before_cap = serializers.DecimalField(max_digits=6, decimal_places=1)
    years_counted = serializers.DecimalField(max_digits=6, decimal_places=1)
    monthly_wage = serializers.DecimalField(max_digits=14, decimal_places=2)
    monthly_base = serializers.DecimalField(max_digits=14, decimal_places=2)
    cap_applied = serializers.BooleanField()
    cap_base = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    local_average_wage = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    n = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="The Art. 47 amount N.")
    compensation = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="N, or 2N when unlawful.")
    in_lieu_of_notice = serializers.DecimalField(max_digits=14, decimal_places=2)
    pre_2008 = serializers.DecimalField(max_digits=16, decimal_places=2)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Total payable.")
    wage_months = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())


EXAMPLE_N = OpenApiExample("LAW.md example 1", value={"ground": "art36_employer", "service_months": 67,
                                                      "monthly_wage": "12000", "local_average_wage": "9000"})


@_schema(CompensationInput, _answer_serializer("CompensationAnswer", CompensationResult()),
         "Economic compensation N, N+1, 2N with working", [EXAMPLE_N])
class CompensationView(CalculatorView):
    input_class = CompensationInput

    def compute(self, request: Request, data: dict[str, Any], employee: Any) -> Answer:
        return services.compute_compensation(actor=request.user, employee=employee, **_without(data, "employee"))


def _without(data: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in names}


# --- last working day ------------------------------------------------------------------------------------


class LastDayInput(DateRangeMixin):
    notice_date = _date(help_text="Day the written notice was given.")
    kind = serializers.ChoiceField(choices=[("resignation", "resignation"), ("no_fault", "no_fault")],
                                   default="resignation",
                                   help_text="resignation: the employee's notice (Art. 37); no_fault: the "
                                             "employer's Art. 40 notice.")
    employee = EmployeeField()
    in_probation = serializers.BooleanField(required=False, allow_null=True, default=None,
                                            help_text="Default: the employee's status (试用期).")
    proposed_last_day = _date(required=False, allow_null=True,
                              help_text="A last day in mind; before the notice date is refused (400).")


class LastDayResult(serializers.Serializer):
    notice_date = serializers.DateField()
    notice_days = serializers.IntegerField()
    last_day = serializers.DateField()
    kind = serializers.CharField()
    in_probation = serializers.BooleanField()
    proposed_last_day = serializers.DateField(allow_null=True)


@_schema(LastDayInput, _answer_serializer("LastDayAnswer", LastDayResult()), "Last working day from a notice date",
         [OpenApiExample("Resignation", value={"notice_date": "2026-03-01", "kind": "resignation"})])
class LastDayView(CalculatorView):
    input_class = LastDayInput

    def compute(self, request: Request, data: dict[str, Any], employee: Any) -> Answer:
        return services.compute_last_day(actor=request.user, employee=employee, **_without(data, "employee"))


# --- probation -------------------------------------------------------------------------------------------


class ProbationInput(DateRangeMixin):
    contract_type = serializers.ChoiceField(choices=["fixed_term", "open_ended", "task_based"])
    start_date = _date()
    end_date = _date(required=False, allow_null=True, help_text="Empty for an open-ended contract.")
    proposed_months = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120)
    prior_probation = serializers.BooleanField(required=False, default=False,
                                               help_text="A probation was already agreed with this employee.")


class ProbationResult(serializers.Serializer):
    max_months = serializers.IntegerField()
    contract_type = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    proposed_months = serializers.IntegerField(allow_null=True)


@_schema(ProbationInput, _answer_serializer("ProbationAnswer", ProbationResult()), "Maximum probation (Art. 19)",
         [OpenApiExample("3-year contract", value={"contract_type": "fixed_term", "start_date": "2026-01-01",
                                                   "end_date": "2028-12-31"})])
class ProbationView(CalculatorView):
    input_class = ProbationInput

    def compute(self, request: Request, data: dict[str, Any], employee: Any) -> Answer:
        return services.compute_probation(actor=request.user, **data)


# --- annual leave ----------------------------------------------------------------------------------------


class AnnualLeaveInput(DateRangeMixin):
    year = serializers.IntegerField(min_value=1950, max_value=2200)
    employee = EmployeeField()
    first_work_date = _date(required=False, allow_null=True, help_text="Start of cumulative work (any employer).")
    hire_date = _date(required=False, allow_null=True)
    last_day = _date(required=False, allow_null=True, help_text="Leaving this year: untaken days owed.")
    taken_days = serializers.IntegerField(required=False, default=0, min_value=0, max_value=366)


class AnnualLeaveResult(serializers.Serializer):
    cumulative_years = serializers.IntegerField()
    yearly_days = serializers.IntegerField()
    days = serializers.IntegerField()
    year = serializers.IntegerField()
    untaken_on_leaving = serializers.IntegerField(required=False)


@_schema(AnnualLeaveInput, _answer_serializer("AnnualLeaveAnswer", AnnualLeaveResult()), "Statutory annual leave",
         [OpenApiExample("New hire", value={"year": 2026, "first_work_date": "2010-07-01",
                                            "hire_date": "2026-04-01"})])
class AnnualLeaveView(CalculatorView):
    input_class = AnnualLeaveInput

    def compute(self, request: Request, data: dict[str, Any], employee: Any) -> Answer:
        return services.compute_annual_leave(actor=request.user, employee=employee, **_without(data, "employee"))


# --- non-compete -----------------------------------------------------------------------------------------


class NonCompeteInput(DateRangeMixin):
    months = serializers.IntegerField(default=24, min_value=1, max_value=1200,
                                      help_text="Duration in months (more than 24 is reported: Art. 24).")
    employee = EmployeeField()
    end_date = _date(required=False, allow_null=True, help_text="Last working day (for the 12-month average).")
    average_monthly_wage = _money(required=False, allow_null=True, help_text="12-month average wage; default: "
                                  "from the wage history.")
    minimum_wage = _money(required=False, allow_null=True, help_text="Local minimum wage (default: the table).")
    agreed_monthly = _money(required=False, allow_null=True, help_text="Agreed monthly compensation, if any.")
    city = serializers.CharField(required=False, allow_blank=True, max_length=50)


class NonCompeteResult(serializers.Serializer):
    monthly = serializers.DecimalField(max_digits=14, decimal_places=2)
    months = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    release_payment = serializers.DecimalField(max_digits=16, decimal_places=2,
                                               help_text="Employer releases early: 3 months (SPC I Art. 39).")
    is_default = serializers.BooleanField()
    average_monthly_wage = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    minimum_wage = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


@_schema(NonCompeteInput, _answer_serializer("NonCompeteAnswer", NonCompeteResult()),
         "Non-compete compensation and release payment",
         [OpenApiExample("LAW.md example 6", value={"months": 24, "average_monthly_wage": "12000"})])
class NonCompeteView(CalculatorView):
    input_class = NonCompeteInput

    def compute(self, request: Request, data: dict[str, Any], employee: Any) -> Answer:
        return services.compute_noncompete(actor=request.user, employee=employee, **_without(data, "employee"))
