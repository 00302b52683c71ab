"""Fixed-term expiry: stages, the first day of the Art. 82 double wage, Art. 14 open-ended renewal."""

from __future__ import annotations

import datetime as dt

from hrguard.law import catalog, renewal
from hrguard.law.renewal import ExpiryStage


def test_stages_around_the_end_date():
    end = dt.date(2026, 6, 30)
    assert renewal.expiry_risk(end, dt.date(2026, 6, 10)).stage == ExpiryStage.UPCOMING
    assert renewal.expiry_risk(end, end).days_left == 0
    past = renewal.expiry_risk(end, dt.date(2026, 7, 15))
    assert past.stage == ExpiryStage.WORKING_PAST and past.days_left == -15
    assert past.double_wage_from == dt.date(2026, 8, 1)  # work from 1 July + the one-month grace
    late = renewal.expiry_risk(end, dt.date(2026, 8, 1))
    assert late.stage == ExpiryStage.DOUBLE_WAGE and renewal.ART_82 in late.citations


def test_grace_month_at_a_month_end():
    assert renewal.double_wage_from(dt.date(2026, 1, 30)) == dt.date(2026, 2, 28)  # from 31 Jan, one month on


def test_open_ended_renewal_after_two_fixed_terms_or_ten_years():
    end, today = dt.date(2026, 6, 30), dt.date(2026, 6, 1)
    assert not renewal.expiry_risk(end, today, fixed_terms_concluded=1, years_of_service=3).open_ended_due
    second = renewal.expiry_risk(end, today, fixed_terms_concluded=2, years_of_service=5)
    assert second.open_ended_due and renewal.ART_14 in second.citations
    assert renewal.open_ended_due(fixed_terms_concluded=1, years_of_service=10.0)


def test_citations_are_in_the_catalog():
    cited = {(c.law_en, c.article, c.unconfirmed) for c in catalog.all_citations()}
    assert ("Labor Contract Law", "82", True) in cited and ("Labor Contract Law", "46(5)", False) in cited
