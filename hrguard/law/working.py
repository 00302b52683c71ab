"""Worked results: every calculator answer carries its steps (with the figures) and the articles.

The rules themselves live in their modules (``compensation``, ``termination``, ``contracts``, ``leave``,
``noncompete``); this module composes them into answers a page or an API can show as they are:

* ``Step``: one line of the working — a bilingual label, the figure, and the article behind it;
* ``wage_window`` / ``average_wage``: the monthly wage of LCL Art. 47 as defined by Regulation Art. 27 (average
  of the 12 months before the end; fewer months when service is shorter; not below the minimum wage), naming
  the months whose wage is missing (``MissingWageMonths``);
* ``compensation_steps``: the working of a ``Compensation`` (N, N+1, 2N, half-month rule, 3× cap, 12 years,
  pre-2008 service).

No Django, no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .citations import LCL_REGULATION, Citation, cite
from .compensation import (
    ART_47,
    ART_87,
    ART_97,
    HIGH_EARNER_MAX_YEARS,
    HIGH_EARNER_MULTIPLE,
    IN_LIEU_UNCAPPED,
    REG_ART_27,
    WAGE_AVERAGE_MONTHS,
    Compensation,
    money,
)

Month = tuple[int, int]  # (year, month)

# Reading of Regulation Art. 27 ("the 12 months before the contract ends"): the calendar months before the
# month of the last day; a last day on a month's last day makes that month count too. Service shorter than
# 12 months: the months from the hire month on.
WINDOW_READING = cite(LCL_REGULATION, "27", "Reading: the 12 calendar months before the month of the last day "
                      "(that month too when the last day is its last day); fewer months from the hire month on.",
                      unconfirmed=True)


@dataclass(frozen=True)
class Step:
    """One line of the working: label (zh/en), the figure as shown, and the article behind it."""

    zh: str
    en: str
    value: str
    citation: Citation | None = None

    def as_dict(self) -> dict[str, object]:
        return {"label_zh": self.zh, "label_en": self.en, "value": self.value,
                "article": self.citation.zh if self.citation else "",
                "article_en": self.citation.en if self.citation else ""}


def yuan(value: Decimal) -> str:
    """A money figure as shown in the working: ``72,000.00``."""
    return f"{money(value):,.2f}"


def month_label(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def _shift(month: Month, by: int) -> Month:
    index = month[0] * 12 + month[1] - 1 + by
    return index // 12, index % 12 + 1


def _is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def wage_window(hire_date: dt.date, last_day: dt.date) -> list[Month]:
    """The months whose wages make up the Art. 47 monthly wage (oldest first), per ``WINDOW_READING``."""
    if last_day < hire_date:
        raise ValueError("the last day is before the hire date")
    last = (last_day.year, last_day.month)
    end = last if _is_month_end(last_day) else _shift(last, -1)
    first_worked = (hire_date.year, hire_date.month)
    start = max(_shift(end, -(WAGE_AVERAGE_MONTHS - 1)), first_worked)
    if start > end:  # ended in the hire month: the one (partial) month worked
        return [first_worked]
    months, month = [], start
    while month <= end:
        months.append(month)
        month = _shift(month, 1)
    return months


class MissingWageMonths(ValueError):
    """Wages are missing for months of the window (Regulation Art. 27 needs each of them)."""

    def __init__(self, months: Sequence[Month]) -> None:
        self.months = list(months)
        super().__init__("missing wage months: " + ", ".join(month_label(m) for m in self.months))

    @property
    def labels(self) -> list[str]:
        return [month_label(m) for m in self.months]


@dataclass(frozen=True)
class WageAverage:
    average: Decimal
    months: tuple[Month, ...]
    total: Decimal
    minimum_applied: bool
    steps: tuple[Step, ...]


def average_wage(wages: Mapping[Month, Decimal], months: Sequence[Month],
                 minimum_wage: Decimal | None = None) -> WageAverage:
    """Regulation Art. 27: the average of ``wages`` over ``months`` (everything paid: bonuses, allowances,
    subsidies), raised to ``minimum_wage``. Raises ``MissingWageMonths`` naming every month without a wage."""
    missing = [m for m in months if m not in wages]
    if missing:
        raise MissingWageMonths(missing)
    if not months:
        raise ValueError("no months to average")
    total = sum((Decimal(wages[m]) for m in months), Decimal(0))
    average = money(total / len(months))
    steps = [Step(f"计算月份：{month_label(months[0])} 至 {month_label(months[-1])}，共{len(months)}个月",
                  f"Months: {month_label(months[0])} to {month_label(months[-1])}, {len(months)} months",
                  str(len(months)), WINDOW_READING),
             Step("应得工资合计（含计时计件工资、奖金、津贴和补贴）",
                  "Total wages (time/piece pay, bonuses, allowances, subsidies)", yuan(total), REG_ART_27),
             Step(f"月平均工资 = {yuan(total)} ÷ {len(months)}", f"Average = {yuan(total)} ÷ {len(months)}",
                  yuan(average), REG_ART_27)]
    floor = minimum_wage is not None and average < minimum_wage
    if floor:
        assert minimum_wage is not None
        average = money(minimum_wage)
        steps.append(Step("低于当地最低工资标准，按最低工资标准计算", "Below the local minimum wage: the minimum "
                          "wage is used", yuan(average), REG_ART_27))
    return WageAverage(average, tuple(months), money(total), floor, tuple(steps))


def _service_text(months: int, days: int) -> tuple[str, str]:
    years, rest = divmod(months, 12)
    zh = f"{years}年{rest}个月" + (f"{days}天" if days else "")
    en = f"{years} years {rest} months" + (f" {days} days" if days else "")
    return zh, en


def compensation_steps(c: Compensation) -> tuple[Step, ...]:
    """The working of a termination payment, line by line, with the article of each line."""
    zh, en = _service_text(c.service_months, c.service_days)
    steps = [Step(f"工作年限：{zh}", f"Service: {en}", zh, ART_47),
             Step("折算年限（满一年计一年；不满六个月计半年，六个月以上计一年）",
                  "Years counted (full years; a remainder of 6 months or more counts as 1, a shorter one as 0.5)",
                  f"{c.years_before_cap}", ART_47),
             Step("月工资（解除或终止前十二个月平均工资）", "Monthly wage (average of the last 12 months)",
                  yuan(c.monthly_wage), REG_ART_27)]
    if c.cap_base is not None:
        verdict_zh = "超过，按三倍封顶" if c.cap_applied else "未超过"
        verdict_en = "exceeded: capped" if c.cap_applied else "not exceeded"
        steps.append(Step(f"当地上年度职工月平均工资的{HIGH_EARNER_MULTIPLE}倍（{verdict_zh}）",
                          f"{HIGH_EARNER_MULTIPLE}× the local average monthly wage ({verdict_en})",
                          yuan(c.cap_base), ART_47))
    if c.cap_applied:
        steps.append(Step(f"计算基数按三倍封顶，年限最多{HIGH_EARNER_MAX_YEARS}年",
                          f"Base capped at 3×, years at most {HIGH_EARNER_MAX_YEARS}",
                          f"{yuan(c.monthly_base)} × {c.years_counted}", ART_47))
    if not c.due:
        steps.append(Step("该情形不支付经济补偿", "No compensation is due on this ground", "0.00",
                          c.citations[-1] if c.citations else None))
        return tuple(steps)
    n = c.compensation / 2 if c.kind == "2N" else c.compensation
    steps.append(Step(f"经济补偿 N = {yuan(c.monthly_base)} × {c.years_counted}",
                      f"Compensation N = {yuan(c.monthly_base)} × {c.years_counted}", yuan(n), ART_47))
    if c.kind == "2N":
        steps.append(Step("违法解除：赔偿金 2N（替代经济补偿）", "Unlawful termination: damages 2N (replacing N)",
                          yuan(c.compensation), ART_87))
    if c.in_lieu_of_notice:
        steps.append(Step("未提前三十日书面通知：代通知金（上一个月工资，不受三倍封顶限制）",
                          "No 30 days' notice: one month's wage in lieu (the previous month, not capped)",
                          yuan(c.in_lieu_of_notice), IN_LIEU_UNCAPPED))
    if c.pre_2008:
        steps.append(Step(f"2008年前工作年限按当时规定：{c.pre_2008_months}个月工资",
                          f"Service before 2008 under the rules then: {c.pre_2008_months} months' wage",
                          yuan(c.pre_2008), ART_97))
    steps.append(Step("合计应付", "Total payable", yuan(c.amount), None))
    return tuple(steps)


__all__ = [
    "MissingWageMonths",
    "Month",
    "Step",
    "WageAverage",
    "average_wage",
    "compensation_steps",
    "month_label",
    "wage_window",
    "yuan",
]
