"""How long records must be kept, with the rule that sets each minimum.

Statutory minimums only: the practical retention of employment records should also cover the arbitration
time bar (LDMAL Art. 27: 1 year after the employment ends for wage claims) and the employer's burden of
proof in dismissal and wage disputes (SPC (I) Art. 44); PIPL Art. 19/47 require deletion once the purpose
is met and the retention period has expired."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .citations import PIPL, SPC_LABOR_I, WAGE_PAYMENT_REGULATION, Citation, cite, lcl
from .contracts import add_months

ART_50 = lcl("50", "Keep the text of terminated labor contracts for at least 2 years.")
WAGE_ART_6 = cite(WAGE_PAYMENT_REGULATION, "6", "Keep written wage payment records (amount, date, payee name "
                  "and signature) for at least 2 years.")
PIPL_ART_56 = cite(PIPL, "56", "Keep personal information protection impact assessments and processing records "
                   "for at least 3 years.")
PIPL_ART_19 = cite(PIPL, "19", "Keep personal information only as long as the purpose requires.")
PIPL_ART_47 = cite(PIPL, "47", "Delete personal information when the purpose is met or the retention period "
                   "expires.")
SPC_I_44 = cite(SPC_LABOR_I, "44", "In dismissal and wage-cut disputes the employer bears the burden of proof.")


@dataclass(frozen=True)
class RetentionRule:
    code: str
    zh: str
    en: str
    years: int
    starts: str  # the event the period counts from
    citation: Citation


TERMINATED_CONTRACT = RetentionRule("terminated_contract", "已解除或终止的劳动合同文本", "Terminated labor contracts",
                                    2, "termination", ART_50)
WAGE_RECORDS = RetentionRule("wage_records", "工资支付记录", "Wage payment records", 2, "payment", WAGE_ART_6)
IMPACT_ASSESSMENT = RetentionRule("impact_assessment", "个人信息保护影响评估报告和处理情况记录",
                                  "Personal information impact assessments and processing records", 3, "assessment",
                                  PIPL_ART_56)
RULES: tuple[RetentionRule, ...] = (TERMINATED_CONTRACT, WAGE_RECORDS, IMPACT_ASSESSMENT)


def keep_until(rule: RetentionRule, start: dt.date) -> dt.date:
    """Earliest date on which a record under ``rule`` may be destroyed (the end of the minimum period)."""
    return add_months(start, 12 * rule.years)


ALL_CITATIONS = (ART_50, WAGE_ART_6, PIPL_ART_56, PIPL_ART_19, PIPL_ART_47, SPC_I_44)
