"""Personal information basics the HR workflows rely on (PIPL, 2021; credit reporting regulation, 2013)."""

from __future__ import annotations

import enum

from .citations import CREDIT_REGULATION, PIPL, Violation, cite, violation

ART_13 = cite(PIPL, "13", "Lawful bases include consent and what HR management under lawful labor rules and "
              "collective contracts requires.")
ART_14 = cite(PIPL, "14", "Consent must be informed, voluntary and explicit; renewed when the purpose changes.")
ART_23 = cite(PIPL, "23", "Providing personal information to another handler needs notice and separate consent.")
ART_28 = cite(PIPL, "28", "Sensitive personal information: biometrics, religious belief, specific identity, "
              "medical health, financial accounts, whereabouts, and data of minors under 14.")
ART_29 = cite(PIPL, "29", "Processing sensitive personal information needs separate consent.")
ART_51 = cite(PIPL, "51", "Internal rules, classification, encryption/de-identification, access limits, "
              "incident plan.")
ART_55 = cite(PIPL, "55", "Impact assessment before processing sensitive data, automated decisions or "
              "providing data to others.")
CREDIT_ART_18 = cite(CREDIT_REGULATION, "18", "Querying a person's credit information needs their written "
                     "consent and a stated purpose.")
CREDIT_ART_20 = cite(CREDIT_REGULATION, "20", "Credit information may be used only for the agreed purpose.")

IMPACT_ASSESSMENT_KEEP_YEARS = 3  # PIPL Art. 56 (see retention.IMPACT_ASSESSMENT)


class Category(enum.StrEnum):
    BIOMETRIC = "biometric"
    RELIGION = "religion"
    SPECIFIC_IDENTITY = "specific_identity"
    HEALTH = "health"
    FINANCIAL_ACCOUNT = "financial_account"
    LOCATION = "location"  # whereabouts / tracking
    MINOR_UNDER_14 = "minor_under_14"
    CREDIT_REPORT = "credit_report"  # financial; plus the credit regulation's written consent
    ORDINARY = "ordinary"


SENSITIVE = frozenset(Category) - {Category.ORDINARY}


def needs_separate_consent(category: Category | str) -> bool:
    """PIPL Art. 29: sensitive personal information needs the person's separate consent."""
    return Category(category) in SENSITIVE


def needs_impact_assessment(category: Category | str) -> bool:
    """PIPL Art. 55: assess before processing sensitive personal information."""
    return Category(category) in SENSITIVE


def check_consent(category: Category | str, *, separate_consent: bool, written: bool = False,
                  purpose: str = "") -> Violation | None:
    """The consent problem for processing ``category``, if any (a credit report also needs written consent and
    a stated purpose: credit regulation Art. 18)."""
    category = Category(category)
    if category in SENSITIVE and not separate_consent:
        return violation("privacy.separate_consent", "处理敏感个人信息应当取得个人的单独同意",
                         "Sensitive personal information needs the person's separate consent", ART_29)
    if category == Category.CREDIT_REPORT and (not written or not purpose.strip()):
        return violation("privacy.credit_consent", "查询个人信用信息应当取得本人书面同意并约定用途",
                         "A credit check needs the person's written consent and a stated purpose", CREDIT_ART_18)
    return None


def may_provide_to_third_party(*, notified: bool, separate_consent: bool) -> Violation | None:
    """PIPL Art. 23: refused unless the person was told and gave separate consent (e.g. debt collectors)."""
    if notified and separate_consent:
        return None
    return violation("privacy.third_party", "向其他个人信息处理者提供个人信息，应当告知并取得单独同意",
                     "Providing personal information to another handler needs notice and separate consent", ART_23)


ALL_CITATIONS = (ART_13, ART_14, ART_23, ART_28, ART_29, ART_51, ART_55, CREDIT_ART_18, CREDIT_ART_20)
