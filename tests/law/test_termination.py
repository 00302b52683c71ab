import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrguard.law.termination import (
    FOR_CAUSE,
    GROUNDS,
    NO_FAULT,
    SEPARATION_CERTIFICATE_FIELDS,
    Ground,
    Protection,
    can_terminate,
    certificate_blockers,
    is_mass_layoff,
    long_service_protected,
    missing_certificate_fields,
    no_fault_notice_date,
    post_termination_duties,
    resignation_effective_date,
    resignation_notice_days,
    union_notice_required,
)

D = dt.date


def test_catalog_is_complete_and_cited_bilingually() -> None:
    assert set(GROUNDS) == set(Ground)
    for info in GROUNDS.values():
        assert info.zh and info.en and info.citation.law_zh == "劳动合同法"
        assert info.citation.article.split("(")[0] in {"36", "37", "38", "39", "40", "41", "44"}
    assert len(FOR_CAUSE) == 6 and all(not GROUNDS[g].compensation_due for g in FOR_CAUSE)
    assert all(GROUNDS[g].notice_days == 30 for g in NO_FAULT)


@pytest.mark.parametrize("protection", list(Protection))
@pytest.mark.parametrize("ground", [Ground.ILLNESS, Ground.INCOMPETENCE, Ground.MAJOR_CHANGE, Ground.LAYOFF])
def test_art42_bars_no_fault_and_layoff(ground: Ground, protection: Protection) -> None:
    v = can_terminate(ground, {protection})
    assert v is not None and v.code == "termination.protected" and v.citation.article == "42"
    assert "第42条" in v.message_zh and "Art. 42" in v.message_en


@pytest.mark.parametrize("ground", sorted(FOR_CAUSE | {Ground.MUTUAL_EMPLOYER_PROPOSED, Ground.RESIGNATION}))
def test_protections_do_not_bar_cause_agreement_or_resignation(ground: Ground) -> None:
    assert can_terminate(ground, set(Protection)) is None


def test_expiry_is_extended_while_protected_art45() -> None:
    v = can_terminate(Ground.EXPIRY, [Protection.PREGNANCY_MATERNITY_NURSING])
    assert v is not None and v.code == "termination.extended" and v.citation.article == "45"
    assert can_terminate(Ground.EXPIRY, []) is None


def test_probation_limits() -> None:
    assert can_terminate(Ground.MAJOR_CHANGE, (), in_probation=True).citation.article == "21"
    assert can_terminate(Ground.INCOMPETENCE, (), in_probation=True) is None
    assert can_terminate(Ground.PROBATION_FAILED, (), in_probation=False).citation.article == "39(1)"
    assert can_terminate(Ground.PROBATION_FAILED, (), in_probation=True) is None


def test_long_service_near_retirement() -> None:
    retire = D(2030, 6, 30)
    assert long_service_protected(D(2010, 1, 1), retire, D(2025, 7, 1))
    assert not long_service_protected(D(2010, 1, 2), retire, D(2025, 1, 1))  # 15 years not yet complete
    assert not long_service_protected(D(2000, 1, 1), retire, D(2025, 6, 30))  # exactly 5 years to go
    assert long_service_protected(D(2000, 1, 1), retire, D(2025, 7, 1))


def test_mass_layoff_threshold_art41() -> None:
    assert is_mass_layoff(20, 10000)
    assert not is_mass_layoff(19, 1000)
    assert is_mass_layoff(10, 100) and not is_mass_layoff(9, 100)
    assert not is_mass_layoff(0, 0)


def test_notice_periods() -> None:
    assert (resignation_notice_days(False), resignation_notice_days(True)) == (30, 3)
    assert resignation_effective_date(D(2025, 3, 1), False) == D(2025, 3, 31)
    assert resignation_effective_date(D(2025, 3, 1), True) == D(2025, 3, 4)
    assert no_fault_notice_date(D(2025, 3, 1)) == D(2025, 3, 31)
    assert union_notice_required(Ground.SERIOUS_RULE_BREACH) and not union_notice_required(Ground.RESIGNATION)


def test_separation_certificate_fields_regulation_art24() -> None:
    assert set(SEPARATION_CERTIFICATE_FIELDS) == {"contract_term", "termination_date", "position", "years_of_service"}
    full = {"contract_term": "2020-01-01至2025-12-31", "termination_date": "2025-06-30", "position": "销售",
            "years_of_service": "5年6个月"}
    assert missing_certificate_fields(full) == []
    missing = missing_certificate_fields({**full, "position": ""})
    assert [v.code for v in missing] == ["certificate.missing.position"] and missing[0].citation.article == "24"


def test_certificate_needs_a_termination_date_that_has_come() -> None:
    (none,) = certificate_blockers(None, D(2026, 12, 1))
    assert none.code == "certificate.no_termination_date" and none.citation.article == "24"
    assert "未登记离职" in none.message_zh and "第24条" in none.message_zh
    (early,) = certificate_blockers(D(2026, 12, 2), D(2026, 12, 1))
    assert early.code == "certificate.not_yet_left" and early.citation.article == "50"
    assert "2026年12月2日" in early.message_zh
    assert certificate_blockers(D(2026, 12, 1), D(2026, 12, 1)) == []  # issued on the last day: fine
    assert certificate_blockers(D(2026, 11, 30), D(2026, 12, 1)) == []


def test_post_termination_duties_art50() -> None:
    duties = {d.code: d for d in post_termination_duties(D(2025, 6, 30))}
    assert duties["certificate"].due == D(2025, 6, 30)
    assert duties["transfer"].due == D(2025, 7, 15)
    assert duties["compensation"].due is None and duties["handover"].due is None
    assert duties["si_report"].due == D(2025, 7, 15) and duties["si_report"].citation.law_zh == "社会保险法"
    assert duties["keep_contract"].due == D(2027, 6, 30)
    assert duties["final_wages"].citation.law_zh == "工资支付暂行规定"


@given(st.sampled_from(list(Ground)), st.sets(st.sampled_from(list(Protection))))
def test_protection_only_matters_for_barred_grounds(ground: Ground, protections: set[Protection]) -> None:
    v = can_terminate(ground, protections)
    if not protections or not GROUNDS[ground].barred_by_protection:
        assert v is None
    else:
        assert v is not None and v.citation.article in {"42", "45"}


def test_art50_clocks_fifteen_days_after_termination() -> None:
    import datetime as _dt

    from hrguard.law import termination as _t

    cert, transfer = _t.art50_clocks(_dt.date(2026, 1, 31))
    assert (cert.code, cert.due) == ("certificate", _dt.date(2026, 2, 15))
    assert (transfer.code, transfer.due) == ("si_transfer", _dt.date(2026, 2, 15))
    assert "50" in cert.citation.en and "Social" in cert.citation.en
    assert transfer.citation is _t.ART_50
