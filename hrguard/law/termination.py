"""Ending a labor relationship: grounds catalog (LCL Art. 36–44), Art. 42 protections, notice periods
(Art. 37/40), separation certificate contents (Regulation Art. 24) and post-termination duties (Art. 50)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .citations import LCL_REGULATION, WAGE_PAYMENT_REGULATION, Citation, Violation, cite, lcl, violation
from .contracts import add_months
from .social_insurance import ART_50 as SIL_ART_50
from .social_insurance import separation_report_deadline

ART_21 = lcl("21", "During probation the employer may terminate only under Art. 39 or Art. 40(1)/(2).")
ART_36 = lcl("36", "The contract may be terminated by mutual agreement.")
ART_37 = lcl("37", "Employee resignation: 30 days' written notice; 3 days' notice during probation.")
ART_38 = lcl("38", "Employee may terminate for employer fault; immediately when forced to work by violence, "
             "threat or unlawful restriction of freedom, or ordered to perform dangerous work.")
ART_39 = lcl("39", "Dismissal for cause: no notice and no compensation.")
ART_40 = lcl("40", "Dismissal without fault: 30 days' written notice or one month's wage in lieu.")
ART_41 = lcl("41", "Economic layoff of ≥20 people or <20 but ≥10% of staff: explain to the union or all staff "
             "30 days ahead, report to the labor bureau; re-hire priority within 6 months.")
ART_42 = lcl("42", "No Art. 40/41 termination while the employee is protected.")
ART_43 = lcl("43", "Unilateral termination by the employer: notify the union of the reasons beforehand.")
ART_44 = lcl("44", "Automatic end: term expiry, pension, death, employer bankruptcy or closure.")
ART_45 = lcl("45", "A contract expiring while an Art. 42 situation exists is extended until it ends.")
ART_46 = lcl("46", "Situations in which economic compensation is due.")
ART_50 = lcl("50", "Certificate at termination; archives and social insurance transferred within 15 days; "
             "compensation paid when handover completes; keep terminated contracts ≥ 2 years.")
ART_89 = lcl("89", "No written separation certificate: employer liable for the harm caused.")
REG_ART_20 = cite(LCL_REGULATION, "20", "Pay in lieu of notice (Art. 40) = the previous month's wage.")
REG_ART_24 = cite(LCL_REGULATION, "24", "The separation certificate states the contract term, the termination "
                  "date, the post and the years of service with this employer.")
WAGE_ART_9 = cite(WAGE_PAYMENT_REGULATION, "9", "Wages are paid in full at termination.")

RESIGNATION_NOTICE_DAYS = 30  # Art. 37
RESIGNATION_NOTICE_DAYS_PROBATION = 3  # Art. 37
NO_FAULT_NOTICE_DAYS = 30  # Art. 40
LAYOFF_MIN_PEOPLE = 20  # Art. 41
LAYOFF_MIN_SHARE_PERCENT = 10  # Art. 41
LAYOFF_EXPLAIN_DAYS_AHEAD = 30  # Art. 41
LAYOFF_REHIRE_PRIORITY_MONTHS = 6  # Art. 41
TRANSFER_DAYS = 15  # Art. 50: archives and social insurance transfer
CONTRACT_KEEP_YEARS = 2  # Art. 50
LONG_SERVICE_YEARS = 15  # Art. 42(5)
YEARS_TO_RETIREMENT = 5  # Art. 42(5)


class Ground(enum.StrEnum):
    MUTUAL_EMPLOYER_PROPOSED = "art36_employer"
    MUTUAL_EMPLOYEE_PROPOSED = "art36_employee"
    RESIGNATION = "art37"
    EMPLOYER_FAULT = "art38"
    EMPLOYER_FAULT_IMMEDIATE = "art38_2"
    PROBATION_FAILED = "art39_1"
    SERIOUS_RULE_BREACH = "art39_2"
    SERIOUS_DERELICTION = "art39_3"
    DUAL_EMPLOYMENT = "art39_4"
    FRAUD_INVALID_CONTRACT = "art39_5"
    CRIMINAL_LIABILITY = "art39_6"
    ILLNESS = "art40_1"
    INCOMPETENCE = "art40_2"
    MAJOR_CHANGE = "art40_3"
    LAYOFF = "art41"
    EXPIRY = "art44_1"
    PENSION = "art44_2"
    DEATH = "art44_3"
    BANKRUPTCY = "art44_4"
    CLOSURE = "art44_5"


class Protection(enum.StrEnum):
    """Art. 42 situations that bar Art. 40/41 terminations."""

    OCCUPATIONAL_CHECK_PENDING = "art42_1"  # exit health check not done, or suspected disease under observation
    OCCUPATIONAL_DISEASE_OR_INJURY = "art42_2"  # occupational disease / work injury with (partial) incapacity
    MEDICAL_PERIOD = "art42_3"  # illness or non-work injury within the medical treatment period
    PREGNANCY_MATERNITY_NURSING = "art42_4"
    LONG_SERVICE_NEAR_RETIREMENT = "art42_5"  # ≥15 years here and <5 years to statutory retirement


@dataclass(frozen=True)
class GroundInfo:
    ground: Ground
    initiator: str  # "employer", "employee", "mutual", "automatic"
    zh: str
    en: str
    citation: Citation
    notice_days: int  # statutory notice the initiator must give (0: none)
    compensation_due: bool  # Art. 46
    barred_by_protection: bool  # Art. 42 (Art. 40/41) or extended by Art. 45 (expiry)


def _g(ground: Ground, initiator: str, zh: str, en: str, citation: Citation, notice: int = 0,
       due: bool = False, barred: bool = False) -> GroundInfo:
    return GroundInfo(ground, initiator, zh, en, citation, notice, due, barred)


G = Ground
GROUNDS: dict[Ground, GroundInfo] = {i.ground: i for i in (
    _g(G.MUTUAL_EMPLOYER_PROPOSED, "mutual", "用人单位提出、协商一致解除", "Mutual agreement proposed by the employer",
       ART_36, due=True),
    _g(G.MUTUAL_EMPLOYEE_PROPOSED, "mutual", "劳动者提出、协商一致解除", "Mutual agreement proposed by the employee",
       ART_36),
    _g(G.RESIGNATION, "employee", "劳动者提前通知辞职", "Resignation with notice", ART_37, RESIGNATION_NOTICE_DAYS),
    _g(G.EMPLOYER_FAULT, "employee", "因用人单位过错被迫解除", "Employee quits for employer fault", ART_38, due=True),
    _g(G.EMPLOYER_FAULT_IMMEDIATE, "employee", "被强迫劳动或违章冒险作业，立即解除",
       "Employee quits at once (forced labor or dangerous orders)", ART_38, due=True),
    _g(G.PROBATION_FAILED, "employer", "试用期间被证明不符合录用条件", "Fails the hiring criteria during probation",
       lcl("39(1)")),
    _g(G.SERIOUS_RULE_BREACH, "employer", "严重违反用人单位的规章制度", "Serious breach of the employer's rules",
       lcl("39(2)")),
    _g(G.SERIOUS_DERELICTION, "employer", "严重失职，营私舞弊，造成重大损害",
       "Serious dereliction or graft causing major damage", lcl("39(3)")),
    _g(G.DUAL_EMPLOYMENT, "employer", "同时与其他用人单位建立劳动关系",
       "Works for another employer (major impact, or refuses to correct)", lcl("39(4)")),
    _g(G.FRAUD_INVALID_CONTRACT, "employer", "以欺诈、胁迫等手段致使劳动合同无效",
       "Contract invalid through the employee's fraud or coercion", lcl("39(5)")),
    _g(G.CRIMINAL_LIABILITY, "employer", "被依法追究刑事责任", "Held criminally liable", lcl("39(6)")),
    _g(G.ILLNESS, "employer", "医疗期满不能从事原工作及另行安排的工作",
       "Cannot work after the medical treatment period", lcl("40(1)"), NO_FAULT_NOTICE_DAYS, True, True),
    _g(G.INCOMPETENCE, "employer", "不能胜任工作，经培训或调岗仍不能胜任",
       "Incompetent after training or reassignment", lcl("40(2)"), NO_FAULT_NOTICE_DAYS, True, True),
    _g(G.MAJOR_CHANGE, "employer", "客观情况发生重大变化，协商变更未达成一致",
       "Major change of circumstances, no agreement on changing the contract", lcl("40(3)"),
       NO_FAULT_NOTICE_DAYS, True, True),
    _g(G.LAYOFF, "employer", "经济性裁员", "Economic layoff", ART_41, due=True, barred=True),
    _g(G.EXPIRY, "automatic", "固定期限劳动合同期满", "Fixed-term contract expires", lcl("44(1)"), due=True,
       barred=True),
    _g(G.PENSION, "automatic", "劳动者开始依法享受基本养老保险待遇", "Employee starts drawing a basic pension",
       lcl("44(2)")),
    _g(G.DEATH, "automatic", "劳动者死亡或被宣告死亡、失踪", "Employee dies or is declared dead or missing",
       lcl("44(3)")),
    _g(G.BANKRUPTCY, "automatic", "用人单位被依法宣告破产", "Employer declared bankrupt", lcl("44(4)"), due=True),
    _g(G.CLOSURE, "automatic", "用人单位被吊销营业执照、责令关闭、撤销或决定提前解散",
       "Employer's license revoked, closed, dissolved early", lcl("44(5)"), due=True),
)}
FOR_CAUSE = frozenset(g for g in Ground if g.value.startswith("art39"))
NO_FAULT = frozenset({Ground.ILLNESS, Ground.INCOMPETENCE, Ground.MAJOR_CHANGE})


def can_terminate(
    ground: Ground, protections: Iterable[Protection] = (), *, in_probation: bool | None = None
) -> Violation | None:
    """The first statutory bar to ending the contract on ``ground``, or None if the ground is open.

    Only the bars this module can know are checked (Art. 42 protections, Art. 45 extension, Art. 21 probation
    limits, Art. 39(1) outside probation); the facts of the ground itself must still be proven (SPC (I) Art. 44)."""
    info = GROUNDS[ground]
    active = sorted(set(protections))
    if active and info.barred_by_protection:
        names = "、".join(PROTECTION_ZH[p] for p in active)
        names_en = "; ".join(PROTECTION_EN[p] for p in active)
        if ground == Ground.EXPIRY:
            return violation(
                "termination.extended", f"劳动者处于保护情形（{names}），劳动合同应续延至该情形消失时终止",
                f"The employee is protected ({names_en}); the contract is extended until that ends", ART_45)
        return violation(
            "termination.protected", f"劳动者处于保护情形（{names}），不得依第四十条、第四十一条解除劳动合同",
            f"The employee is protected ({names_en}); no termination under Art. 40 or 41", ART_42)
    if in_probation is True and ground in (Ground.MAJOR_CHANGE, Ground.LAYOFF):
        return violation("termination.probation", "试用期内用人单位只能依第三十九条和第四十条第一项、第二项解除",
                         "During probation the employer may terminate only under Art. 39 or Art. 40(1)/(2)",
                         ART_21)
    if in_probation is False and ground == Ground.PROBATION_FAILED:
        return violation("termination.not_in_probation", "不在试用期内，不能以不符合录用条件为由解除",
                         "Not in probation: failing the hiring criteria is no longer a ground", lcl("39(1)"))
    return None


PROTECTION_ZH = {
    Protection.OCCUPATIONAL_CHECK_PENDING: "未进行离岗前职业健康检查或疑似职业病诊断、医学观察期间",
    Protection.OCCUPATIONAL_DISEASE_OR_INJURY: "患职业病或因工负伤并被确认丧失或部分丧失劳动能力",
    Protection.MEDICAL_PERIOD: "患病或非因工负伤，在规定的医疗期内",
    Protection.PREGNANCY_MATERNITY_NURSING: "孕期、产期、哺乳期",
    Protection.LONG_SERVICE_NEAR_RETIREMENT: "在本单位连续工作满十五年且距法定退休年龄不足五年",
}
PROTECTION_EN = {
    Protection.OCCUPATIONAL_CHECK_PENDING: "occupational exit check pending or suspected occupational disease",
    Protection.OCCUPATIONAL_DISEASE_OR_INJURY: "occupational disease or work injury with loss of capacity",
    Protection.MEDICAL_PERIOD: "within the medical treatment period",
    Protection.PREGNANCY_MATERNITY_NURSING: "pregnancy, maternity or nursing period",
    Protection.LONG_SERVICE_NEAR_RETIREMENT: "15+ years of service and under 5 years to retirement",
}


def long_service_protected(continuous_service_start: dt.date, retirement_date: dt.date, on: dt.date) -> bool:
    """Art. 42(5): ≥ 15 years of continuous service here and < 5 years to the statutory retirement date
    (the retirement date depends on birth date, sex and post under the current retirement rules: caller's input)."""
    return add_months(continuous_service_start, 12 * LONG_SERVICE_YEARS) <= on and on > add_months(
        retirement_date, -12 * YEARS_TO_RETIREMENT)


def is_mass_layoff(people: int, headcount: int) -> bool:
    """Art. 41: ≥ 20 people, or fewer than 20 but ≥ 10 % of all staff, triggers the layoff procedure."""
    return people >= LAYOFF_MIN_PEOPLE or (people > 0 and people * 100 >= LAYOFF_MIN_SHARE_PERCENT * headcount)


def resignation_notice_days(in_probation: bool) -> int:
    """Art. 37: 30 days' written notice, 3 days during probation."""
    return RESIGNATION_NOTICE_DAYS_PROBATION if in_probation else RESIGNATION_NOTICE_DAYS


def resignation_effective_date(notice_given_on: dt.date, in_probation: bool) -> dt.date:
    """Earliest day the contract ends after a resignation notice (the employer cannot refuse it)."""
    return notice_given_on + dt.timedelta(days=resignation_notice_days(in_probation))


def no_fault_notice_date(notice_given_on: dt.date) -> dt.date:
    """Art. 40: earliest end date when 30 days' written notice is given (else pay one month in lieu)."""
    return notice_given_on + dt.timedelta(days=NO_FAULT_NOTICE_DAYS)


def union_notice_required(ground: Ground) -> bool:
    """Art. 43: every unilateral termination by the employer is notified to the union beforehand."""
    return GROUNDS[ground].initiator == "employer"


# Regulation Art. 24: what the separation certificate (离职证明) states.
SEPARATION_CERTIFICATE_FIELDS: Mapping[str, tuple[str, str]] = {
    "contract_term": ("劳动合同期限", "contract term"),
    "termination_date": ("解除或者终止劳动合同的日期", "termination date"),
    "position": ("工作岗位", "position"),
    "years_of_service": ("在本单位的工作年限", "years of service with this employer"),
}


def missing_certificate_fields(certificate: Mapping[str, object]) -> list[Violation]:
    """Required fields of the separation certificate that are absent or empty."""
    return [
        violation(f"certificate.missing.{key}", f"离职证明缺少“{zh}”", f"The separation certificate lacks the {en}",
                  REG_ART_24)
        for key, (zh, en) in SEPARATION_CERTIFICATE_FIELDS.items()
        if certificate.get(key) in (None, "")
    ]


def certificate_blockers(termination_date: dt.date | None, today: dt.date) -> list[Violation]:
    """Why a separation certificate cannot be issued yet: it is issued at termination (Art. 50) and states
    the date the employment ended (Regulation Art. 24), so that date must be recorded and reached."""
    if termination_date is None:
        return [violation("certificate.no_termination_date", "未登记离职（解除或者终止劳动合同）日期，不能出具离职证明",
                          "No termination date is recorded, so no separation certificate can be issued", REG_ART_24)]
    if termination_date > today:
        return [violation("certificate.not_yet_left",
                          f"离职日期为{termination_date.year}年{termination_date.month}月{termination_date.day}日，"
                          "劳动关系尚未解除或者终止，离职证明应在解除或者终止劳动合同时出具",
                          f"The employment ends on {termination_date.isoformat()}: the separation certificate is "
                          "issued at termination, not before", ART_50)]
    return []


@dataclass(frozen=True)
class Duty:
    code: str
    zh: str
    en: str
    due: dt.date | None  # None: tied to an event (handover), not a date
    citation: Citation


def post_termination_duties(termination_date: dt.date) -> list[Duty]:
    """Art. 50 duties (with Wage Payment Art. 9 and Social Insurance Law Art. 50) that start with the end of the
    contract; ``due`` None means the duty is tied to the handover rather than a date. Without the certificate
    the employer is liable for the employee's resulting loss (Art. 89)."""
    return [
        Duty("certificate", "出具解除或者终止劳动合同的证明", "Issue the separation certificate", termination_date,
             ART_50),
        Duty("final_wages", "一次付清工资", "Pay wages in full", termination_date, WAGE_ART_9),
        Duty("transfer", "办理档案和社会保险关系转移手续", "Transfer the personnel archive and social insurance",
             termination_date + dt.timedelta(days=TRANSFER_DAYS), ART_50),
        Duty("si_report", "将失业人员名单告知社会保险经办机构", "Report the separated employee to the social "
             "insurance agency", separation_report_deadline(termination_date), SIL_ART_50),
        Duty("handover", "劳动者按照双方约定办理工作交接", "The employee completes the agreed work handover", None,
             ART_50),
        Duty("compensation", "办结工作交接时支付经济补偿", "Pay economic compensation when the handover is complete",
             None, ART_50),
        Duty("keep_contract", "已解除或终止的劳动合同文本至少保存二年备查",
             "Keep the terminated contract for at least 2 years",
             add_months(termination_date, 12 * CONTRACT_KEEP_YEARS), ART_50),
    ]


ALL_CITATIONS = (ART_21, ART_36, ART_37, ART_38, ART_39, ART_40, ART_41, ART_42, ART_43, ART_44, ART_45, ART_46,
                 ART_50, ART_89, REG_ART_20, REG_ART_24, WAGE_ART_9)


@dataclass(frozen=True)
class Clock:
    """An Art. 50 duty with a statutory date: the separation certificate (issued at termination, to the
    employee within 15 days — Social Insurance Law Art. 50) and the transfer of the archive and the social
    insurance (within 15 days — LCL Art. 50)."""

    code: str  # "certificate" | "si_transfer"
    due: dt.date
    citation: Citation


def art50_clocks(termination_date: dt.date) -> tuple[Clock, Clock]:
    """The two 15-day clocks that start with the end of the employment."""
    return (Clock("certificate", separation_report_deadline(termination_date), SIL_ART_50),
            Clock("si_transfer", termination_date + dt.timedelta(days=TRANSFER_DAYS), ART_50))
