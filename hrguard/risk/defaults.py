"""Shipped rules: the seeds' examples (/work/shared/seeds/001: 出差频率突然增加30%、报销金额连续三个月超过
阈值、绩效下降但加班时间减少、新增债务记录) and the issue's. Created switched off — an administrator
back-tests them and switches them on."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hrguard.evidence import services as evidence

from .models import Rule, RuleVersion

DEFAULT_RULES: list[dict[str, Any]] = [
    {"key": "late-arrivals-14d", "name": "14天内迟到3次及以上", "severity": "low",
     "expression": 'late_arrivals("14d") >= 3',
     "explanation": "{employee}最近14天迟到{late_arrivals:14d}次（阈值：3次）。",
     "purposes": ["attendance"], "manager_visible": True},
    {"key": "travel-up", "name": "出差天数高于本人基线30%", "severity": "medium",
     "expression": 'travel_days("1m") >= 3 && travel_days("1m") >= 1.3 * baseline("travel_days")',
     "explanation": "{employee}本月出差{travel_days:1m}天，本人近6个月月均{baseline:travel_days}天（阈值：1.3倍）。",
     "purposes": ["finance", "retention"], "manager_visible": False},
    {"key": "claims-over-threshold-3m", "name": "报销超阈值连续3个月", "severity": "medium",
     "expression": 'months_running("claims_over_threshold", 3)',
     "explanation": "{employee}连续3个月有超过阈值的报销（本月{claims_over_threshold:1m}笔）。",
     "purposes": ["finance"], "manager_visible": False},
    {"key": "performance-attendance-conduct", "name": "绩效不合格3个月且迟到≥5次且有违纪", "severity": "high",
     "expression": 'performance_failing("3m") >= 3 && late_arrivals("3m") >= 5 && violations("3m") >= 1',
     "explanation": "{employee}近3个月绩效不合格{performance_failing:3m}次、迟到{late_arrivals:3m}次、"
                    "违纪{violations:3m}次。",
     "purposes": ["conduct"], "manager_visible": False},
    {"key": "performance-down-overtime-down", "name": "绩效下降但加班减少", "severity": "medium",
     "expression": 'performance_score("1m") > 0 && performance_score("1m") < baseline("performance_score") - 10.0'
                   ' && overtime_hours("1m") < 0.5 * baseline("overtime_hours")',
     "explanation": "{employee}本月绩效{performance_score:1m}分（基线{baseline:performance_score}分），"
                    "加班{overtime_hours:1m}小时（基线{baseline:overtime_hours}小时）。",
     "purposes": ["retention"], "manager_visible": False},
    {"key": "adverse-check", "name": "外部核查发现新增不良记录", "severity": "high",
     "expression": 'check_adverse("1m") >= 1',
     "explanation": "{employee}本月经授权的外部核查有{check_adverse:1m}项不良结果。",
     "purposes": ["finance", "retention"], "manager_visible": False},
]


@transaction.atomic
def ensure_default_rules(company: Any, *, active: bool = False) -> list[Rule]:
    """Idempotent, by key (an existing rule is left as the company edited it)."""
    made = []
    for spec in DEFAULT_RULES:
        rule, created = Rule.objects.get_or_create(company_id=company.pk, key=spec["key"],
                                                   defaults={"active": active})
        if created:
            RuleVersion.objects.create(rule=rule, number=1, **{k: v for k, v in spec.items() if k != "key"})
            evidence.record(company, None, "risk.rule_saved", rule, {"key": rule.key, "version": 1,
                                                                     "expression": spec["expression"],
                                                                     "default": True})
        made.append(rule)
    return made
