"""Performance: KPIs with weights (must add up to 100 %), mid-cycle re-weighting with a reason, scores,
ratings, improvement plans."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.selectors import decoded
from hrguard.performance import selectors, services
from hrguard.performance.models import KpiItem, Review, WeightChange
from tests.records.conftest import evidence_count

pytestmark = pytest.mark.django_db
KPIS = [{"name": "销售额", "weight": "50", "target": "100万"}, {"name": "客户留存", "weight": "20"},
        {"name": "合规", "weight": "30"}]


@pytest.fixture
def cycle(world):
    return services.create_cycle(world.users["hr"], world.company,
                                 {"name": "2025上半年", "start_date": "2025-01-01", "end_date": "2025-06-30"})


def test_weights_must_add_up_to_100_and_nothing_is_saved_otherwise(world, cycle):
    before = evidence_count(world.company)
    with pytest.raises(ValidationError) as err:
        services.set_kpis(world.users["manager"], world.employees["east_rep"], cycle,
                          [{"name": "销售额", "weight": "60"}, {"name": "客户留存", "weight": "30"}])
    assert "90%" in err.value.message_dict["kpis"][0]
    with pytest.raises(ValidationError) as err:
        services.set_kpis(world.users["manager"], world.employees["east_rep"], cycle,
                          [{"name": "", "weight": "abc"}, {"name": "x", "weight": "150"}])
    assert {"kpis.1.name", "kpis.1.weight", "kpis.2.weight"} <= set(err.value.message_dict)
    assert not Review.objects.exists() and evidence_count(world.company) == before


def test_reweighting_mid_cycle_needs_a_reason_and_is_kept(world, cycle):
    emp = world.employees["east_rep"]
    review = services.set_kpis(world.users["manager"], emp, cycle, KPIS)
    new = [{"name": "销售额", "weight": "30"}, {"name": "客户留存", "weight": "50"}, {"name": "合规", "weight": "20"}]
    with pytest.raises(ValidationError) as err:
        services.set_kpis(world.users["manager"], emp, cycle, new)
    assert "reason" in err.value.message_dict
    assert list(KpiItem.objects.filter(review=review).values_list("weight", flat=True)) == [50, 20, 30]
    services.set_kpis(world.users["manager"], emp, cycle, new, "客户流失严重，提高客户留存权重")
    change = WeightChange.objects.get(review=review)
    assert {"name": "客户留存", "weight": "20"} in change.before and {"name": "客户留存", "weight": "50"} in change.after
    ev = EvidenceEvent.objects.get(action="review.kpis_reset")
    assert decoded(ev)["data"]["reason"] == "客户流失严重，提高客户留存权重"


def test_score_gives_weighted_total_and_rating(world, cycle):
    review = services.set_kpis(world.users["hr"], world.employees["east_rep"], cycle, KPIS)
    with pytest.raises(ValidationError) as err:
        services.score_review(world.users["manager"], review, {"销售额": "101", "客户留存": "80"})
    assert len(err.value.message_dict) == 2  # one score out of range, one missing
    review = services.score_review(world.users["manager"], review, {"销售额": "90", "客户留存": "60", "合规": "75"})
    # 0.5 × 90 + 0.2 × 60 + 0.3 × 75 = 45 + 12 + 22.5 = 79.5 → B (70–79.99)
    assert (review.total_score, review.rating) == (Decimal("79.50"), "B")
    with pytest.raises(ValidationError):  # scored: KPIs are frozen
        services.set_kpis(world.users["hr"], world.employees["east_rep"], cycle, KPIS, "late change")


def test_who_manages_performance(world, other_world, cycle):
    for key in ("employee", "finance", "engineer"):
        with pytest.raises(PermissionDenied):
            services.set_kpis(world.users[key], world.employees["east_rep"], cycle, KPIS)
    with pytest.raises(PermissionDenied):  # a manager does not set their own KPIs
        services.set_kpis(world.users["manager"], world.employees["sales_manager"], cycle, KPIS)
    with pytest.raises(PermissionDenied):
        services.create_cycle(world.users["manager"], world.company, {})
    services.set_kpis(world.users["manager"], world.employees["east_rep"], cycle, KPIS)
    assert selectors.reviews(world.users["employee"]).count() == 1
    assert selectors.reviews(world.users["engineer"]).count() == 0
    assert selectors.reviews(other_world.users["hr"]).count() == 0


def test_improvement_plan(world):
    emp = world.employees["east_rep"]
    with pytest.raises(ValidationError) as err:
        services.create_plan(world.users["manager"], emp, {"goals": "", "start_date": "2025-04-01",
                                                           "deadline": "2025-03-01"})
    assert set(err.value.message_dict) == {"goals", "deadline"}
    plan = services.create_plan(world.users["manager"], emp, {
        "goals": "两个月内客户留存率回到90%", "start_date": "2025-04-01", "deadline": "2025-05-31"})
    with pytest.raises(ValidationError):
        services.close_plan(world.users["manager"], plan, "passed", "")
    plan = services.close_plan(world.users["manager"], plan, "failed", "留存率仅75%")
    assert plan.status == "failed"
    assert [p.pk for p in selectors.plans(world.users["employee"])] == [plan.pk]
