"""Performance reviews (绩效考核): HR opens a cycle; the line manager (or HR) sets each person's KPIs
with weights that add up to 100 %; weights can be re-set mid-cycle only with a reason (kept, with the
before/after, e.g. client retention 20 % → 50 %); scores give a weighted total and a rating; an
improvement plan (绩效改进计划) has goals, a deadline and an outcome."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require
from hrguard.records.inputs import Errors, as_int

from .models import ImprovementPlan, KpiItem, PlanStatus, Review, ReviewCycle, ReviewStatus, WeightChange

HUNDRED = Decimal(100)
MAX_KPIS = 20
# Company defaults (not law): score ≥ band → rating. A cycle may carry its own bands.
DEFAULT_BANDS: list[list[Any]] = [[90, "S"], [80, "A"], [70, "B"], [60, "C"], [0, "D"]]


@transaction.atomic
def create_cycle(actor: User, company: Company, data: dict[str, Any]) -> ReviewCycle:
    require(actor, "performance.manage_cycles")
    if actor.company_id != company.pk:
        raise ValidationError(_("You can only create cycles in your own company."))
    errors = Errors()
    name = errors.text(data.get("name"), "name", max_length=100, required=True)
    start = errors.date(data.get("start_date"), "start_date")
    end = errors.date(data.get("end_date"), "end_date")
    if start and end and end < start:
        errors.add("end_date", _("The end is before the start."))
    if name and ReviewCycle.objects.filter(company=company, name=name).exists():
        errors.add("name", _("A cycle with this name already exists."))
    errors.raise_if_any()
    cycle = ReviewCycle.objects.create(company=company, name=name, start_date=start, end_date=end,
                                       rating_bands=DEFAULT_BANDS)
    evidence.record(company, actor, "review_cycle.created", cycle, {"title": name, "start": start, "end": end})
    return cycle


@transaction.atomic
def close_cycle(actor: User, cycle: ReviewCycle) -> ReviewCycle:
    require(actor, "performance.manage_cycles")
    if actor.company_id != cycle.company_id:
        raise ValidationError(_("Unknown cycle."))
    cycle.is_open = False
    cycle.save(update_fields=["is_open"])
    evidence.record(cycle.company_id, actor, "review_cycle.closed", cycle, {"title": cycle.name})
    return cycle


def plain(number: Decimal) -> str:
    """20.00 → "20", 12.50 → "12.5" (never "2E+1")."""
    return format(number.normalize(), "f")


def _items(errors: Errors, raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list | tuple) or not raw:
        errors.add("kpis", _("Give at least one KPI."))
        return []
    if len(raw) > MAX_KPIS:
        errors.add("kpis", _("At most %(n)d KPIs.") % {"n": MAX_KPIS})
        return []
    items, names = [], set()
    for i, item in enumerate(raw, start=1):
        item = item if isinstance(item, dict) else {}
        name = errors.text(item.get("name"), f"kpis.{i}.name", max_length=200, required=True)
        target = errors.text(item.get("target"), f"kpis.{i}.target", max_length=300)
        weight = errors.decimal(item.get("weight"), f"kpis.{i}.weight", low=Decimal("0.01"), high=HUNDRED)
        if name and name in names:
            errors.add(f"kpis.{i}.name", _("Two KPIs have the same name."))
        names.add(name)
        items.append({"name": name, "target": target, "weight": weight})
    weights = [it["weight"] for it in items]
    if all(w is not None for w in weights) and sum(weights) != HUNDRED:
        errors.add("kpis", _("The weights add up to %(sum)s%%; they must add up to 100%%.")
                   % {"sum": plain(sum(weights))})
    return items


def _snapshot(review: Review) -> list[dict[str, Any]]:
    return [{"name": k.name, "weight": plain(k.weight)} for k in review.kpis.all()]


@transaction.atomic
def set_kpis(actor: User, employee: Employee, cycle: ReviewCycle, kpis: Any, reason: Any = "") -> Review:
    """Set (or re-set, with a reason) the KPIs and weights of ``employee`` in ``cycle``. Scores already
    given to a KPI that keeps its name are kept."""
    require(actor, "performance.manage_performance", employee)
    if cycle.company_id != employee.company_id:
        raise ValidationError(_("Unknown cycle."))
    errors = Errors()
    why = errors.text(reason, "reason", max_length=500)
    items = _items(errors, kpis)
    if not cycle.is_open:
        errors.add("cycle", _("The cycle is closed."))
    review = Review.objects.select_for_update().filter(cycle=cycle, employee=employee).first()
    resetting = review is not None and review.kpis.exists()
    if resetting and not why:
        errors.add("reason", _("Changing KPIs or weights during the cycle needs a reason."))
    if review is not None and review.status == ReviewStatus.SCORED:
        errors.add("cycle", _("The review was already scored."))
    errors.raise_if_any()
    if review is None:
        review = Review.objects.create(company_id=employee.company_id, cycle=cycle, employee=employee)
    before = _snapshot(review)
    old_scores = {k.name: k.score for k in review.kpis.all()}
    review.kpis.all().delete()
    KpiItem.objects.bulk_create([
        KpiItem(company_id=employee.company_id, review=review, name=it["name"], target=it["target"],
                weight=it["weight"], score=old_scores.get(it["name"]), position=i)
        for i, it in enumerate(items)
    ])
    after = _snapshot(review)
    if resetting:
        WeightChange.objects.create(company_id=employee.company_id, review=review, before=before, after=after,
                                    reason=why, changed_by=actor)
    evidence.record(
        employee.company, actor, "review.kpis_reset" if resetting else "review.kpis_set", review, employee=employee,
        data={"title": cycle.name, "before": before, "after": after, "reason": why},
    )
    return review


def rating_for(cycle: ReviewCycle, total: Decimal) -> str:
    for low, rating in sorted(cycle.rating_bands or DEFAULT_BANDS, key=lambda b: -Decimal(str(b[0]))):
        if total >= Decimal(str(low)):
            return str(rating)
    return ""


@transaction.atomic
def score_review(actor: User, review: Review, scores: dict[Any, Any], comment: Any = "") -> Review:
    """Scores 0–100 per KPI (by KPI id or name); total = Σ weight × score / 100."""
    review = Review.objects.select_for_update().select_related("cycle", "employee").get(pk=review.pk)
    require(actor, "performance.manage_performance", review.employee)
    errors = Errors()
    text = errors.text(comment, "comment", max_length=5000)
    if not review.cycle.is_open:
        errors.add("cycle", _("The cycle is closed."))
    kpis = list(review.kpis.all())
    if not kpis:
        errors.add("kpis", _("Set the KPIs before scoring."))
    given = {str(k): v for k, v in (scores or {}).items()}
    for kpi in kpis:
        raw = given.get(str(kpi.pk), given.get(kpi.name))
        kpi.score = errors.decimal(raw, f"score.{kpi.pk}", low=Decimal(0), high=HUNDRED)
    errors.raise_if_any()
    total = sum((k.weight * k.score / HUNDRED for k in kpis), Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    KpiItem.objects.bulk_update(kpis, ["score"])
    review.total_score, review.rating, review.comment = total, rating_for(review.cycle, total), text
    review.status, review.scored_by, review.scored_at = ReviewStatus.SCORED, actor, timezone.now()
    review.save()
    evidence.record(
        review.company_id, actor, "review.scored", review, employee=review.employee_id,
        data={"title": review.cycle.name, "total": total, "rating": review.rating,
              "scores": [{"name": k.name, "weight": k.weight, "score": k.score} for k in kpis], "comment": text},
    )
    return review


@transaction.atomic
def create_plan(actor: User, employee: Employee, data: dict[str, Any]) -> ImprovementPlan:
    require(actor, "performance.manage_performance", employee)
    errors = Errors()
    goals = errors.text(data.get("goals"), "goals", max_length=5000, required=True)
    start = errors.date(data.get("start_date"), "start_date")
    deadline = errors.date(data.get("deadline"), "deadline")
    if start and deadline and deadline <= start:
        errors.add("deadline", _("The deadline must be after the start."))
    review = None
    if data.get("review") not in (None, ""):
        review = Review.objects.filter(employee=employee, pk=as_int(data.get("review")) or 0).first()
        if review is None:
            errors.add("review", _("Not a review of this employee."))
    errors.raise_if_any()
    plan = ImprovementPlan.objects.create(
        company_id=employee.company_id, employee=employee, review=review, goals=goals, start_date=start,
        deadline=deadline, created_by=actor,
    )
    evidence.record(employee.company, actor, "improvement_plan.created", plan, employee=employee,
                    data={"title": goals[:80], "goals": goals, "start": start, "deadline": deadline,
                          "review": review.pk if review else None})
    return plan


@transaction.atomic
def close_plan(actor: User, plan: ImprovementPlan, status: Any, outcome: Any) -> ImprovementPlan:
    plan = ImprovementPlan.objects.select_for_update().select_related("employee").get(pk=plan.pk)
    require(actor, "performance.manage_performance", plan.employee)
    errors = Errors()
    value = str(status or "")
    if value not in (PlanStatus.PASSED, PlanStatus.FAILED, PlanStatus.CANCELLED):
        errors.add("status", _("Choose goals met, goals not met or cancelled."))
    text = errors.text(outcome, "outcome", max_length=5000, required=True)
    if plan.status != PlanStatus.OPEN:
        errors.add("status", _("The plan is already closed."))
    errors.raise_if_any()
    plan.status, plan.outcome, plan.closed_by, plan.closed_at = value, text, actor, timezone.now()
    plan.save()
    evidence.record(plan.company_id, actor, f"improvement_plan.{value}", plan, employee=plan.employee_id,
                    data={"title": plan.goals[:80], "outcome": text})
    return plan
