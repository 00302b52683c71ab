"""The rules that bind debt collectors (issue 12 §4), for the lawyer letter and the contact log.

Each rule is either **statute** (a law or State Council regulation) or an **industry / regulatory rule**
(self-regulatory conventions and regulators' guidelines). Clause numbers of the industry rules are not
confirmed from primary text (``/work/shared/LAW.md``, "Debt collection"): they are cited as industry rules,
marked ``unconfirmed``, and the numbers they set (night hours, calls a day) are configurable defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .citations import CIVIL_CODE, PIPL, Citation, cite

PUBLIC_SECURITY_LAW = ("治安管理处罚法", "Public Security Administration Punishment Law")
CRIMINAL_LAW = ("刑法", "Criminal Law")
INTERNET_FINANCE_CONVENTION = ("互联网金融逾期债务催收自律公约（试行）（中国互联网金融协会，2018）",
                               "NIFA Self-Regulatory Convention on Collection of Overdue Internet-Finance Debts (2018)")
BANK_CARD_RULES = ("商业银行信用卡业务监督管理办法（银监会令2011年第2号）",
                   "CBRC Measures on Commercial Banks' Credit Card Business (2011)")
CONSUMER_FINANCE_RULES = ("消费金融公司管理办法（国家金融监督管理总局令2024年第4号）及催收相关监管规定",
                          "NFRA Measures on Consumer Finance Companies (2024) and collection rules")

STATUTE = "statute"
INDUSTRY = "industry"


@dataclass(frozen=True)
class CollectorRule:
    key: str
    kind: str  # STATUTE | INDUSTRY
    citation: Citation
    text_zh: str

    @property
    def cited_zh(self) -> str:
        mark = "（行业自律/监管规定）" if self.kind == INDUSTRY else ""
        source = self.citation.zh if self.citation.article != "—" else f"《{self.citation.law_zh}》"
        return f"{source}{mark}：{self.text_zh}"


PRIVACY = CollectorRule("privacy", STATUTE, cite(CIVIL_CODE, "1032", "Privacy: no one may intrude on another's "
                        "private life by phone calls, messages or similar means."),
                        "任何组织或者个人不得以电话、短信、即时通讯工具等方式侵扰他人的私人生活安宁，不得泄露、公开他人的私密信息")
PRIVACY_ACTS = CollectorRule("privacy_acts", STATUTE, cite(CIVIL_CODE, "1033", "Acts that infringe privacy "
                             "without the person's consent."),
                             "除法律另有规定或者权利人明确同意外，不得以电话、短信等方式侵扰他人私人生活安宁")
PERSONAL_INFO = CollectorRule("personal_info", STATUTE, cite(PIPL, "10", "No illegal collection, use, "
                              "disclosure or provision of personal information."),
                              "任何组织、个人不得非法收集、使用、加工、传输他人个人信息，不得非法买卖、提供或者公开他人个人信息")
NO_DISCLOSURE = CollectorRule("no_disclosure", STATUTE, cite(PIPL, "23", "Providing personal information to "
                              "another handler needs notice and separate consent."),
                              "公司向他方提供员工个人信息须取得员工单独同意，公司不会向催收方提供任何员工信息")
HARASSMENT = CollectorRule("harassment", STATUTE, cite(PUBLIC_SECURITY_LAW, "42(5)", "Repeated insulting, "
                           "threatening or other messages disturbing another's normal life: detention or fine "
                           "(2025 revision Art. 50(1)(5), in force 2026-01-01).", unconfirmed=True),
                           "多次发送侮辱、恐吓或者其他信息，干扰他人正常生活的，处拘留或者罚款")
ILLEGAL_COLLECTION = CollectorRule("illegal_collection", STATUTE, cite(CRIMINAL_LAW, "293-1", "Collecting illegal "
                                   "debts by violence, intimidation, stalking or harassment."),
                                   "以恐吓、跟踪、骚扰等方式催收高利放贷等产生的非法债务，情节严重的，构成催收非法债务罪")
THIRD_PARTIES = CollectorRule("third_parties", INDUSTRY, cite(INTERNET_FINANCE_CONVENTION, "—", "Collectors "
                              "contact only the debtor or guarantor, never unrelated third parties such as the "
                              "employer.", unconfirmed=True),
                              "催收对象仅限债务人及担保人，不得向与债务无关的第三人（包括债务人的工作单位、同事、客户）催收或披露债务信息")
NIGHT_CALLS = CollectorRule("night_calls", INDUSTRY, cite(BANK_CARD_RULES, "68", "No collection calls at night.",
                            unconfirmed=True),
                            "不得在每日22:00至次日8:00之间进行催收")
FREQUENCY = CollectorRule("frequency", INDUSTRY, cite(CONSUMER_FINANCE_RULES, "—", "Call-frequency limits and a "
                          "ban on threats and insults in collection.", unconfirmed=True),
                          "催收须限制联络频次，不得使用恐吓、侮辱、诽谤等手段")

ALL_RULES: tuple[CollectorRule, ...] = (PRIVACY, PRIVACY_ACTS, PERSONAL_INFO, NO_DISCLOSURE, HARASSMENT,
                                        ILLEGAL_COLLECTION, THIRD_PARTIES, NIGHT_CALLS, FREQUENCY)

# Industry-rule defaults (configurable per company; see the module docstring).
NIGHT_START = dt.time(22, 0)
NIGHT_END = dt.time(8, 0)
MAX_CALLS_PER_DAY = 3


def is_night(local_time: dt.time, start: dt.time = NIGHT_START, end: dt.time = NIGHT_END) -> bool:
    """Whether a local time of day falls in the collection night window (industry rule; default 22:00–08:00)."""
    if start <= end:
        return start <= local_time < end
    return local_time >= start or local_time < end


def rules_breached(*, third_party: bool, night: bool, threats: bool, repeated: bool) -> list[CollectorRule]:
    """The rules a set of logged facts points to, statute first (for the lawyer letter)."""
    out = [PRIVACY, PERSONAL_INFO]
    if threats or repeated:
        out.append(HARASSMENT)
    if third_party:
        out.append(THIRD_PARTIES)
    if night:
        out.append(NIGHT_CALLS)
    if threats or repeated:
        out.append(FREQUENCY)
    return sorted(out, key=lambda r: r.kind != STATUTE)
