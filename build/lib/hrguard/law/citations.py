"""Citations: every statutory rule names its source, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    law_zh: str
    law_en: str
    article: str  # e.g. "19" or "19(1)"
    summary: str = ""
    unconfirmed: bool = False  # secondary sources only: keep configurable

    @property
    def zh(self) -> str:
        return f"《{self.law_zh}》第{self.article}条"

    @property
    def en(self) -> str:
        return f"{self.law_en}, Art. {self.article}"


LABOR_CONTRACT_LAW = ("劳动合同法", "Labor Contract Law")


def lcl(article: str, summary: str = "") -> Citation:
    return Citation(*LABOR_CONTRACT_LAW, article=article, summary=summary)


@dataclass(frozen=True)
class Violation:
    code: str
    message_zh: str
    message_en: str
    citation: Citation

    def __str__(self) -> str:
        return f"{self.message_en} ({self.citation.en})"


# Other sources cited by the rules modules, as (Chinese title, English title).
LCL_REGULATION = ("劳动合同法实施条例", "Regulation for the Implementation of the Labor Contract Law")
LABOR_LAW = ("劳动法", "Labor Law")
SPC_LABOR_I = ("最高人民法院关于审理劳动争议案件适用法律问题的解释（一）（法释〔2020〕26号）",
               "SPC Interpretation (I) on Labor Dispute Cases (Fa Shi [2020] No. 26)")
SPC_LABOR_II = ("最高人民法院关于审理劳动争议案件适用法律问题的解释（二）（法释〔2025〕12号）",
                "SPC Interpretation (II) on Labor Dispute Cases (Fa Shi [2025] No. 12)")
DISPUTE_LAW = ("劳动争议调解仲裁法", "Labor Dispute Mediation and Arbitration Law")
SOCIAL_INSURANCE_LAW = ("社会保险法", "Social Insurance Law")
PIPL = ("个人信息保护法", "Personal Information Protection Law")
CREDIT_REGULATION = ("征信业管理条例", "Regulation on the Administration of the Credit Reporting Industry")
CIVIL_CODE = ("民法典", "Civil Code")
ANNUAL_LEAVE_REGULATION = ("职工带薪年休假条例", "Regulation on Paid Annual Leave of Employees")
ANNUAL_LEAVE_MEASURES = ("企业职工带薪年休假实施办法",
                         "Implementation Measures for Paid Annual Leave of Enterprise Employees")
FEMALE_EMPLOYEE_PROTECTION = ("女职工劳动保护特别规定", "Special Rules on the Labor Protection of Female Employees")
WORKING_HOURS_REGULATION = ("国务院关于职工工作时间的规定", "State Council Provisions on Employees' Working Hours")
WAGE_CONVERSION_NOTICE = ("关于职工全年月平均工作时间和工资折算问题的通知（劳社部发〔2008〕3号）",
                          "MOLSS Notice on Average Monthly Working Time and Wage Conversion (2008 No. 3)")
WAGE_PAYMENT_REGULATION = ("工资支付暂行规定", "Provisional Regulations on Wage Payment")
PRE_2008_COMPENSATION = ("违反和解除劳动合同的经济补偿办法（劳部发〔1994〕481号）",
                         "Measures on Economic Compensation for Breach and Rescission of Labor Contracts (1994)")


def cite(law: tuple[str, str], article: str, summary: str = "", *, unconfirmed: bool = False) -> Citation:
    """A citation of ``law`` (one of the tuples above), e.g. ``cite(LABOR_LAW, "41", "...")``."""
    return Citation(*law, article=article, summary=summary, unconfirmed=unconfirmed)


def violation(code: str, zh: str, en: str, citation: Citation) -> Violation:
    """A Violation whose messages end with the citation, in both languages."""
    return Violation(code, f"{zh}（依据{citation.zh}）", f"{en} ({citation.en}).", citation)
