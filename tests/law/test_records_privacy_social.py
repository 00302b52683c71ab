import datetime as dt
from decimal import Decimal

from hrguard.law import privacy, retention, social_insurance
from hrguard.law.catalog import all_citations
from hrguard.law.citations import Citation

D = dt.date


def test_retention_minimums() -> None:
    assert retention.TERMINATED_CONTRACT.years == 2 and retention.TERMINATED_CONTRACT.citation.article == "50"
    assert retention.WAGE_RECORDS.years == 2 and retention.WAGE_RECORDS.citation.law_zh == "工资支付暂行规定"
    assert retention.IMPACT_ASSESSMENT.years == 3 == privacy.IMPACT_ASSESSMENT_KEEP_YEARS
    assert retention.keep_until(retention.TERMINATED_CONTRACT, D(2024, 2, 29)) == D(2026, 2, 28)


def test_sensitive_information_needs_separate_consent() -> None:
    for category in ("health", "biometric", "financial_account", "location", "minor_under_14", "credit_report"):
        assert privacy.needs_separate_consent(category) and privacy.needs_impact_assessment(category)
    assert not privacy.needs_separate_consent("ordinary")
    assert privacy.check_consent("health", separate_consent=False).citation.article == "29"
    assert privacy.check_consent("health", separate_consent=True) is None
    assert privacy.check_consent("ordinary", separate_consent=False) is None


def test_credit_check_needs_written_consent_and_purpose() -> None:
    v = privacy.check_consent("credit_report", separate_consent=True, written=True, purpose=" ")
    assert v is not None and v.citation.article == "18" and "征信业管理条例" in v.message_zh
    assert privacy.check_consent("credit_report", separate_consent=True, written=True, purpose="入职背景调查") is None


def test_third_party_sharing_refused_by_default() -> None:
    assert privacy.may_provide_to_third_party(notified=False, separate_consent=False).citation.article == "23"
    assert privacy.may_provide_to_third_party(notified=True, separate_consent=False) is not None
    assert privacy.may_provide_to_third_party(notified=True, separate_consent=True) is None


def test_social_insurance_deadlines() -> None:
    assert social_insurance.enrollment_deadline(D(2025, 3, 1)) == D(2025, 3, 31)
    assert social_insurance.separation_report_deadline(D(2025, 6, 30)) == D(2025, 7, 15)
    assert social_insurance.registration_change_deadline(D(2025, 1, 1)) == D(2025, 1, 31)
    assert social_insurance.late_surcharge(Decimal(10000), 30) == Decimal("150.00")
    assert social_insurance.late_surcharge(Decimal(10000), 0) == 0


def test_local_removal_cutoff_is_configurable() -> None:
    assert social_insurance.removal_cutoff(D(2025, 3, 10), 15) == D(2025, 3, 15)
    assert social_insurance.removal_cutoff(D(2025, 3, 20), 15) == D(2025, 4, 15)
    assert social_insurance.removal_cutoff(D(2025, 1, 31), 31) == D(2025, 1, 31)
    assert social_insurance.removal_cutoff(D(2025, 2, 10), 31) == D(2025, 2, 28)


def test_catalog_lists_every_citation_once() -> None:
    citations = all_citations()
    assert all(isinstance(c, Citation) for c in citations)
    keys = [(c.law_zh, c.article, c.unconfirmed) for c in citations]
    assert len(keys) == len(set(keys))
    shown = {(c.law_en, c.article) for c in citations}
    for expected in [("Labor Contract Law", "19"), ("Labor Contract Law", "47"), ("Labor Contract Law", "42"),
                     ("Labor Law", "41"), ("Regulation on Paid Annual Leave of Employees", "3"),
                     ("Labor Dispute Mediation and Arbitration Law", "27"),
                     ("Personal Information Protection Law", "29"), ("Social Insurance Law", "58")]:
        assert expected in shown
    assert all(c.zh.startswith("《") and c.en for c in citations)
    assert any(c.unconfirmed for c in citations)
