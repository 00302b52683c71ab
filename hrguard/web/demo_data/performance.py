"""A closed half-year review cycle with every review scored, the current one with goals set and part
scored (one weight change with its reason), and improvement plans for the weakest — one met, one failed,
one under way — through ``performance.services``."""

from __future__ import annotations

import datetime as dt
import random

from hrguard.law.contracts import add_months
from hrguard.people.models import Employee
from hrguard.performance import services
from hrguard.performance.models import Review, ReviewCycle

from .base import Demo

KPIS = {
    "销售": [("销售额达成率", "完成季度销售目标", 50), ("新客户开发", "每季度新增 5 家客户", 30),
             ("客户满意度", "回访满意度 ≥ 90%", 20)],
    "研发": [("项目按期交付", "里程碑按期完成", 50), ("代码质量", "线上缺陷 ≤ 3 个/季度", 30),
             ("团队协作", "评审与知识分享", 20)],
    "": [("工作质量", "差错率低于 1%", 50), ("工作效率", "按时完成任务", 30), ("团队协作", "跨部门配合", 20)],
}
COMMENTS = ["表现优秀，超额完成目标", "完成既定目标", "基本完成目标，仍有提升空间", "未达成主要目标，需制定改进计划"]


def done(demo: Demo) -> bool:
    return ReviewCycle.objects.filter(company=demo.company).exists()


def _kpis(emp: Employee) -> list[dict[str, object]]:
    name = emp.department.name if emp.department else ""
    key = "销售" if "销售" in name else "研发" if name in ("研发部", "平台组", "产品组") else ""
    return [{"name": n, "target": t, "weight": w} for n, t, w in KPIS[key]]


def _score(demo: Demo, rng: random.Random, review: Review, base: int) -> Review:
    scores = {k.pk: min(100, max(30, base + rng.randint(-8, 8))) for k in review.kpis.all()}
    comment = COMMENTS[0 if base >= 90 else 1 if base >= 78 else 2 if base >= 62 else 3]
    return services.score_review(demo.user("hr"), review, scores, comment)


def _half(day: dt.date) -> tuple[dt.date, dt.date, str]:
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30), f"{day.year}年上半年绩效考核"
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31), f"{day.year}年下半年绩效考核"


def seed(demo: Demo) -> int:
    rng = demo.rng("performance")
    hr = demo.user("hr")
    cur_start, cur_end, cur_name = _half(demo.today)
    prev_start, prev_end, prev_name = _half(cur_start - dt.timedelta(days=1))
    previous = services.create_cycle(hr, demo.company, {"name": prev_name, "start_date": prev_start,
                                                        "end_date": prev_end})
    current = services.create_cycle(hr, demo.company, {"name": cur_name, "start_date": cur_start,
                                                       "end_date": cur_end})
    people = [e for e in demo.current() if e.hire_date <= prev_end]
    bases = {e.pk: rng.choice([95, 88, 85, 82, 80, 78, 75, 72, 70, 65, 58, 52]) for e in people}
    weakest: list[tuple[Employee, Review]] = []
    count = 0
    for emp in people:
        review = services.set_kpis(hr, emp, previous, _kpis(emp))
        review = _score(demo, rng, review, bases[emp.pk])
        count += 1
        if bases[emp.pk] < 60 and emp.user_id != demo.user("manager").pk:
            weakest.append((emp, review))
    services.close_cycle(hr, previous)
    for i, emp in enumerate(p for p in demo.current() if p.hire_date <= demo.today):
        review = services.set_kpis(hr, emp, current, _kpis(emp))
        if i == 0:  # a weight change during the cycle, kept with its reason
            items = _kpis(emp)
            items[0]["weight"], items[1]["weight"] = 40, 40
            review = services.set_kpis(hr, emp, current, items, "下半年重点转向新客户开发，调整权重")
        if rng.random() < 0.5:
            _score(demo, rng, review, bases.get(emp.pk, 80))
        count += 1
    return count + _plans(demo, weakest, prev_end)


def _plans(demo: Demo, weakest: list[tuple[Employee, Review]], after: dt.date) -> int:
    hr = demo.user("hr")
    outcomes = [("passed", "改进期内各项指标达标，结束改进计划"),
                ("failed", "改进期满仍未达到目标，按制度进入下一步处理"), ("", "")]
    count = 0
    for (emp, review), (status, outcome) in zip(weakest, outcomes, strict=False):
        start = after + dt.timedelta(days=10) if status else demo.today - dt.timedelta(days=20)
        plan = services.create_plan(hr, emp, {
            "goals": "三个月内：1. 月度指标完成率达到 80%；2. 每周提交工作周报；3. 参加一次专项培训。",
            "start_date": start, "deadline": add_months(start, 3) if status else demo.today + dt.timedelta(days=70),
            "review": review.pk,
        })
        if status:
            services.close_plan(hr, plan, status, outcome)
        count += 1
    return count
