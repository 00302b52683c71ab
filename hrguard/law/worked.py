"""Worked answers of the statutory calculators (figures + steps + articles), composed from the rules modules:

* ``last_working_day``: the last day from a notice date — resignation 30 days, 3 in probation (LCL Art. 37);
  dismissal without fault 30 days or one month's wage in lieu (Art. 40 / Regulation Art. 20);
* ``probation_limit``: maximum probation of a contract (Art. 19);
* ``annual_leave``: statutory paid annual leave of a year, or the untaken days owed on leaving
  (Regulation on Paid Annual Leave Art. 3, Implementation Measures Art. 3/5/12);
* ``noncompete_compensation``: monthly non-compete compensation (agreed, or the default 30% of the 12-month
  average, not below the minimum wage, SPC (I) Art. 36), the total over ≤ 2 years (Art. 24) and the release
  payment of 3 months (SPC (I) Art. 39).

Every function raises ``ValueError`` (a ``CalculationError``) with a bilingual message for impossible input
(a last day before the notice date, a contract ending before it starts, a negative wage)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal

from . import compensation, contracts, leave, noncompete, termination
from .citations import Citation, Violation
from .contracts import ContractType
from .termination import Ground
from .working import Step, WageAverage, compensation_steps, yuan

MAX_MONEY = Decimal("100000000")  # sanity bound of an input figure (1亿元 a month): above it, a typing error


class CalculationError(ValueError):
    """Impossible input. ``field`` names the input at fault; messages in Chinese and English."""

    def __init__(self, field_name: str, zh: str, en: str) -> None:
        self.field, self.zh, self.en = field_name, zh, en
        super().__init__(en)


def check_money(field_name: str, value: Decimal | None, *, allow_zero: bool = True) -> None:
    if value is None:
        return
    if value < 0 or (value == 0 and not allow_zero):
        raise CalculationError(field_name, "金额必须大于零" if not allow_zero else "金额不能为负数",
                               "The amount must be positive" if not allow_zero else "The amount cannot be negative")
    if value > MAX_MONEY:
        raise CalculationError(field_name, f"金额超过{MAX_MONEY:,}元，请检查",
                               f"The amount exceeds {MAX_MONEY:,}: check it")


@dataclass(frozen=True)
class Answer:
    """A calculator's answer: named figures, the working and the articles, and any warnings."""

    figures: dict[str, object]
    steps: tuple[Step, ...]
    citations: tuple[Citation, ...]
    warnings: tuple[Violation, ...] = field(default=())


class NoticeKind(enum.StrEnum):
    RESIGNATION = "resignation"  # Art. 37: the employee gives notice
    NO_FAULT = "no_fault"  # Art. 40: the employer gives notice


def economic_compensation(
    *, ground: Ground | str, monthly_wage: Decimal, start: dt.date | None = None, end: dt.date | None = None,
    service_months: int | None = None, local_average_wage: Decimal | None = None, unlawful: bool = False,
    notice_given: bool = True, last_month_wage: Decimal | None = None, wage: WageAverage | None = None,
) -> Answer:
    """N / N+1 / 2N for a ground, from dates (``start``..``end``, pre-2008 service split) or a service length
    in whole months. ``wage``: the Regulation Art. 27 average the monthly wage came from (its steps lead)."""
    ground = Ground(ground)
    check_money("monthly_wage", monthly_wage)
    check_money("local_average_wage", local_average_wage, allow_zero=False)
    check_money("last_month_wage", last_month_wage)
    common = {"unlawful": unlawful, "notice_given": notice_given, "last_month_wage": last_month_wage}
    if start is not None and end is not None:
        if end < start:
            raise CalculationError("end_date", "离职日期不能早于入职日期",
                                   "The last day cannot be before the hire date")
        result = compensation.payment_for_dates(ground, start, end, monthly_wage, local_average_wage, **common)
    elif service_months is not None:
        if not 0 <= service_months <= 12 * 80:
            raise CalculationError("service_months", "工作月数应在0至960之间", "Service months must be 0–960")
        result = compensation.termination_payment(ground, service_months, monthly_wage, local_average_wage,
                                                  **common)
    else:
        raise CalculationError("start_date", "请填写入职日期和离职日期，或工作月数",
                               "Give the hire and last dates, or the months of service")
    steps = (*(wage.steps if wage else ()), *compensation_steps(result))
    n = result.compensation / 2 if result.kind == "2N" else result.compensation
    figures = {"kind": result.kind, "due": result.due, "service_months": result.service_months,
               "service_days": result.service_days, "years_counted": result.years_counted,
               "years_before_cap": result.years_before_cap, "monthly_wage": result.monthly_wage,
               "monthly_base": result.monthly_base, "cap_applied": result.cap_applied, "cap_base": result.cap_base,
               "n": compensation.money(n), "compensation": result.compensation,
               "in_lieu_of_notice": result.in_lieu_of_notice, "pre_2008": result.pre_2008,
               "amount": result.amount, "notes": list(result.notes)}
    return Answer(figures, steps, result.citations)


def last_working_day(notice_date: dt.date, *, kind: NoticeKind | str = NoticeKind.RESIGNATION,
                     in_probation: bool = False, proposed_last_day: dt.date | None = None) -> Answer:
    """The statutory end date after a written notice given on ``notice_date`` (the employer cannot refuse a
    resignation). ``proposed_last_day``: a date the parties have in mind, checked against the notice."""
    kind = NoticeKind(kind)
    if proposed_last_day is not None and proposed_last_day < notice_date:
        raise CalculationError("proposed_last_day", "最后工作日不能早于通知日期",
                               "The last working day cannot be before the notice date")
    if kind == NoticeKind.RESIGNATION:
        days = termination.resignation_notice_days(in_probation)
        last = termination.resignation_effective_date(notice_date, in_probation)
        cite = termination.ART_37
        rule_zh = "试用期内提前三日通知" if in_probation else "提前三十日以书面形式通知"
        rule_en = "3 days' notice in probation" if in_probation else "30 days' written notice"
    else:
        days, last, cite = termination.NO_FAULT_NOTICE_DAYS, termination.no_fault_notice_date(notice_date), \
            termination.ART_40
        rule_zh = "提前三十日以书面形式通知，或额外支付一个月工资"
        rule_en = "30 days' written notice, or one month's wage"
    steps = [Step("通知日期", "Notice date", notice_date.isoformat(), cite),
             Step(f"通知期：{rule_zh}", f"Notice period: {rule_en}", f"{days}", cite),
             Step(f"最后工作日 = 通知日期 + {days}日", f"Last day = notice date + {days} days", last.isoformat(), cite)]
    cites: list[Citation] = [cite]
    warnings: list[Violation] = []
    if kind == NoticeKind.RESIGNATION:
        steps.append(Step("劳动者提前通知即可解除，用人单位不能拒绝", "The employer cannot refuse a resignation", "",
                          cite))
    else:
        cites.append(termination.REG_ART_20)
    if proposed_last_day is not None and proposed_last_day < last:
        if kind == NoticeKind.RESIGNATION:
            zh, en = "早于法定通知期满，需双方协商一致", "Earlier than the notice allows: needs both parties' agreement"
        else:
            zh, en = "早于通知期满，应支付一个月工资代通知金", "Earlier than the notice allows: pay one month in lieu"
        warnings.append(Violation("last_day.early", f"拟定最后工作日{proposed_last_day.isoformat()}{zh}",
                                  f"Proposed last day {proposed_last_day.isoformat()}: {en}", cite))
    figures = {"notice_date": notice_date, "notice_days": days, "last_day": last, "kind": kind.value,
               "in_probation": in_probation, "proposed_last_day": proposed_last_day}
    return Answer(figures, tuple(steps), tuple(cites), tuple(warnings))


def probation_limit(contract_type: ContractType | str, start: dt.date, end: dt.date | None = None,
                    *, proposed_months: int | None = None, prior_probation: bool = False) -> Answer:
    """Art. 19: the longest probation a contract may carry (``end`` None: open-ended)."""
    contract_type = ContractType(contract_type)
    if end is not None and end < start:
        raise CalculationError("end_date", "合同终止日期不能早于开始日期", "The contract cannot end before it starts")
    if proposed_months is not None and not 0 <= proposed_months <= 120:
        raise CalculationError("proposed_months", "试用期月数应在0至120之间", "Probation months must be 0–120")
    limit = contracts.max_probation_months(contract_type, start, end)
    open_ended = contract_type == ContractType.OPEN_ENDED or end is None
    term = "无固定期限" if open_ended else f"{contracts.term_months(start, end):.1f}个月"  # type: ignore[arg-type]
    term_en = "open-ended" if open_ended else f"{contracts.term_months(start, end):.1f} months"  # type: ignore[arg-type]
    if contract_type == ContractType.TASK_BASED:
        term, term_en = "以完成一定工作任务为期限", "task-based"
    steps = [Step(f"合同期限：{term}", f"Contract term: {term_en}", term, contracts.ART_19),
             Step("试用期上限（三个月以上不满一年≤1个月；一年以上不满三年≤2个月；三年以上或无固定期限≤6个月）",
                  "Maximum probation (3 months–<1 year: 1; 1–<3 years: 2; ≥3 years or open-ended: 6)",
                  f"{limit}", contracts.ART_19)]
    warnings: tuple[Violation, ...] = ()
    if proposed_months is not None:
        warnings = tuple(contracts.validate_probation(contract_type, start, end, proposed_months,
                                                      prior_probation=prior_probation))
    figures = {"max_months": limit, "contract_type": contract_type.value, "start_date": start, "end_date": end,
               "proposed_months": proposed_months}
    return Answer(figures, tuple(steps), (contracts.ART_19,), warnings)


def annual_leave(first_work_date: dt.date, hire_date: dt.date, year: int, *, last_day: dt.date | None = None,
                 taken_days: int = 0) -> Answer:
    """Statutory annual leave for ``year`` with this employer; with ``last_day``, the untaken days owed on
    leaving (Measures Art. 12)."""
    if hire_date < first_work_date:
        raise CalculationError("hire_date", "入职日期不能早于参加工作日期",
                               "The hire date cannot be before the first work date")
    if not 1950 <= year <= 2200:
        raise CalculationError("year", "年份超出范围", "The year is out of range")
    if last_day is not None and (last_day < hire_date or last_day.year != year):
        raise CalculationError("last_day", "离职日期应在入职之后且在所算年度内",
                               "The last day must be after the hire date and within the year")
    if not 0 <= taken_days <= 366:
        raise CalculationError("taken_days", "已休天数应在0至366之间", "Days taken must be 0–366")
    year_end = dt.date(year, 12, 31)
    cumulative = leave.cumulative_years(first_work_date, last_day or year_end)
    yearly = leave.yearly_entitlement(cumulative)
    days = leave.annual_leave_days_for_year(first_work_date, hire_date, year)
    steps = [Step("累计工作年限（含在其他单位的工作时间）", "Cumulative years of work (any employer)", f"{cumulative}",
                  leave.CUMULATIVE_CITATION),
             Step("全年应休年假（满1年不满10年5天；满10年不满20年10天；满20年15天）",
                  "Yearly entitlement (1–<10 years: 5 days; 10–<20: 10; ≥20: 15)", f"{yearly}",
                  leave.ANNUAL_LEAVE_CITATION),
             Step(f"{year}年在本单位应休天数（按日历天数折算，不足一整天不计）",
                  f"Days for {year} with this employer (pro-rated by calendar days, fractions dropped)", f"{days}",
                  leave.NEW_HIRE_CITATION)]
    cites = [leave.ANNUAL_LEAVE_CITATION, leave.ELIGIBILITY_CITATION, leave.NEW_HIRE_CITATION]
    figures: dict[str, object] = {"cumulative_years": cumulative, "yearly_days": yearly, "days": days,
                                  "year": year}
    if last_day is not None:
        owed = leave.annual_leave_days_on_leaving(first_work_date, hire_date, last_day, taken_days)
        steps.append(Step(f"离职时未休天数 = 当年已过日历天数折算 − 已休{taken_days}天",
                          f"Untaken on leaving = days earned to the last day − {taken_days} taken", f"{owed}",
                          leave.LEAVING_CITATION))
        cites.append(leave.LEAVING_CITATION)
        figures["untaken_on_leaving"] = owed
    return Answer(figures, tuple(steps), tuple(cites))


def noncompete_compensation(*, months: int, average_monthly_wage: Decimal | None = None,
                            minimum_wage: Decimal | None = None, agreed_monthly: Decimal | None = None,
                            role: noncompete.Role | str = noncompete.Role.CONFIDENTIALITY,
                            knows_secrets: bool = True) -> Answer:
    """Monthly compensation, its total and the employer's release payment (3 months)."""
    for name, value in (("average_monthly_wage", average_monthly_wage), ("minimum_wage", minimum_wage),
                        ("agreed_monthly", agreed_monthly)):
        check_money(name, value)
    if not 1 <= months <= 1200:
        raise CalculationError("months", "竞业限制期限应为正整数月", "The duration must be a positive number of months")
    if agreed_monthly is None and average_monthly_wage is None:
        raise CalculationError("average_monthly_wage", "未约定补偿时需要离职前十二个月平均工资",
                               "Without an agreed amount the 12-month average wage is needed")
    check = noncompete.validate_noncompete(role, months, monthly_compensation=agreed_monthly,
                                           average_monthly_wage=average_monthly_wage, minimum_wage=minimum_wage)
    monthly = check.monthly_compensation
    assert monthly is not None and check.total_compensation is not None
    counted = min(months, noncompete.MAX_MONTHS)
    steps: list[Step] = []
    if agreed_monthly is None:
        assert average_monthly_wage is not None
        raw = average_monthly_wage * noncompete.DEFAULT_COMPENSATION_SHARE
        steps.append(Step(f"未约定补偿：离职前十二个月平均工资 {yuan(average_monthly_wage)} × 30%",
                          f"No agreed amount: 30% of the 12-month average {yuan(average_monthly_wage)}", yuan(raw),
                          noncompete.SPC_I_36))
        if minimum_wage is not None and raw < minimum_wage:
            steps.append(Step("低于当地最低工资标准，按最低工资标准支付", "Below the local minimum wage: the minimum "
                              "wage is paid", yuan(minimum_wage), noncompete.SPC_I_36))
    else:
        steps.append(Step("约定的月补偿", "Agreed monthly compensation", yuan(agreed_monthly), noncompete.ART_23))
    steps.append(Step(f"竞业限制期限（最长24个月）：{counted}个月", f"Duration (at most 24 months): {counted}",
                      f"{counted}", noncompete.ART_24))
    steps.append(Step(f"补偿合计 = {yuan(monthly)} × {counted}", f"Total = {yuan(monthly)} × {counted}",
                      yuan(check.total_compensation), noncompete.ART_23))
    release = noncompete.cancellation_extra(monthly)
    steps.append(Step(f"用人单位提前解除：额外支付三个月补偿 = {yuan(monthly)} × 3",
                      f"Employer releases early: 3 extra months = {yuan(monthly)} × 3", yuan(release),
                      noncompete.SPC_I_39))
    figures = {"monthly": monthly, "months": counted, "total": check.total_compensation, "release_payment": release,
               "is_default": check.compensation_is_default}
    cites = (noncompete.ART_23, noncompete.ART_24, noncompete.SPC_I_36, noncompete.SPC_I_38, noncompete.SPC_I_39)
    return Answer(figures, tuple(steps), cites, check.violations)


__all__ = ["Answer", "CalculationError", "NoticeKind", "annual_leave", "check_money", "economic_compensation",
           "last_working_day", "noncompete_compensation", "probation_limit"]
