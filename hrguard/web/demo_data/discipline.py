"""The employee handbook (clauses), an escalation ladder, violations in every state (reported, under
investigation, decided and acknowledged / refused / awaiting, not substantiated) with one dismissal
review opened by the ladder, and client complaints — one open with a claimed loss of 200,000 — through
``discipline.violations`` and ``discipline.complaints``."""

from __future__ import annotations

from typing import Any

from hrguard.discipline import complaints, violations
from hrguard.discipline.models import HandbookClause, Violation
from hrguard.people.models import Employee

from .base import Demo

CLAUSES = [
    ("HB-3.1", "考勤纪律", "员工应按时上下班并如实打卡；无故迟到、早退或旷工的，按本手册第七章处理。"),
    ("HB-3.2", "请假制度", "员工请假应提前通过系统申请并经批准；未经批准擅自离岗的，按旷工处理。"),
    ("HB-4.1", "保密义务", "员工不得泄露公司商业秘密及客户信息，离职后仍须遵守。"),
    ("HB-4.2", "廉洁从业", "员工不得收受客户或供应商的财物、回扣，不得利用职务谋取私利。"),
    ("HB-4.3", "禁止私下代客交易", "员工不得私下接受客户委托代为操作账户或进行交易。"),
    ("HB-5.1", "客户服务规范", "员工应文明礼貌地对待客户，及时处理客户诉求，不得推诿。"),
    ("HB-5.2", "信息安全", "员工不得将公司数据复制到个人设备或上传至外部网站。"),
    ("HB-6.1", "财务报销", "员工应如实报销费用，不得虚开、伪造票据。"),
]


def done(demo: Demo) -> bool:
    return HandbookClause.objects.filter(company=demo.company).exists()


def _people(demo: Demo) -> list[Employee]:
    sales = demo.sales_path()
    manager = demo.user("manager")
    own = [e for e in demo.current() if e.user_id == demo.user("employee").pk]
    others = [
        e for e in demo.current()
        if e.department_path.startswith(sales) and e.user_id != manager.pk and e.pk not in demo.managers
        and e not in own
    ]
    rest = [e for e in demo.current() if e.pk not in demo.managers and e not in own and e not in others]
    return own + others[:3] + rest[:3]


def seed(demo: Demo) -> int:
    compliance = demo.user("compliance")
    clauses = {code: violations.save_clause(compliance, demo.company, {"code": code, "title": t, "body": b})
               for code, t, b in CLAUSES}
    violations.save_rule(compliance, demo.company, {
        "name": "一年内两次书面警告进入解除审查", "threshold": 2, "window_days": 365,
        "count_decisions": ["warning", "serious_warning"],
    })
    people = _people(demo)
    if len(people) < 4:
        return len(clauses)
    own, repeat, reported, probed = people[0], people[1], people[2], people[3]
    dismissed = people[4] if len(people) > 4 else probed
    deducted = people[5] if len(people) > 5 else reported

    def record(emp: Employee, code: str, days_ago: int, facts: str) -> Violation:
        return violations.record_violation(compliance, emp, {
            "clause": clauses[code].pk, "occurred_on": demo.days_ago(days_ago), "facts": facts,
        })

    def decide(v: Violation, decision: str, note: str, **extra: Any) -> Violation:
        return violations.decide(compliance, v, {"decision": decision, "decision_note": note, **extra})

    v = record(own, "HB-3.1", 50, "当月迟到 6 次，累计 140 分钟，经提醒仍未改正。")
    decide(v, "warning", "依据员工手册第 3.1 条给予口头警告。")
    violations.acknowledge(demo.user("employee"), v, True, "已知悉，今后按时上班。")
    v = record(repeat, "HB-3.1", 120, "连续三日未打卡且未请假。")
    decide(v, "warning", "依据员工手册第 3.1 条给予书面警告。")
    violations.record_refusal(demo.user("hr"), v, "员工拒绝在警告通知书上签字，见证人：人事专员、部门经理。")
    trade = record(repeat, "HB-4.3", 30, "客户投诉该员工私下代其操作证券账户，造成亏损。")
    violations.investigate(compliance, trade, "调取通话录音与聊天记录，员工承认代客户操作账户两次。")
    decide(trade, "serious_warning", "严重违反员工手册第 4.3 条，给予严重警告；一年内第二次书面警告，进入解除审查。")
    record(reported, "HB-5.2", 3, "员工将客户名单导出至个人网盘。")
    v = record(probed, "HB-6.1", 12, "报销发票疑似重复使用。")
    violations.investigate(compliance, v, "已向财务调取原始票据，待与员工面谈。")
    v = record(dismissed, "HB-4.2", 70, "匿名举报收受供应商礼品。")
    decide(v, "not_substantiated", "经调查，礼品为公司统一采购的节日礼品，举报不成立。")
    v = record(deducted, "HB-5.1", 25, "客户来电投诉服务态度恶劣，录音属实。")
    decide(v, "bonus_deduction", "扣减当月绩效奖金 500 元。", deduction_amount="500")
    return len(clauses) + 7 + _complaints(demo, repeat, trade, deducted)


def _complaints(demo: Demo, repeat: Employee, trade: Violation, other: Employee) -> int:
    compliance = demo.user("compliance")
    big = complaints.record_complaint(compliance, repeat, {
        "client": "上海汇鑫投资有限公司", "received_on": demo.days_ago(28), "claimed_loss": "200000",
        "facts": "客户称该员工私下代其操作账户，造成投资损失 200,000 元，要求公司赔偿。", "violations": [trade.pk],
    })
    settled = complaints.record_complaint(compliance, other, {
        "client": "杭州云帆贸易有限公司", "received_on": demo.days_ago(24), "claimed_loss": "5000",
        "facts": "客户投诉客服人员态度恶劣并延误处理，要求补偿。",
    })
    complaints.resolve(compliance, settled, {"status": "settled", "settled_amount": "3000",
                                             "resolution": "与客户协商一致，补偿 3,000 元并书面致歉。"})
    resolved = complaints.record_complaint(compliance, other, {
        "client": "成都锦程科技有限公司", "received_on": demo.days_ago(90), "facts": "客户反映工单回复不及时。",
    })
    complaints.resolve(compliance, resolved, {"status": "resolved", "resolution": "已当面回访，客户表示满意。"})
    rejected = complaints.record_complaint(compliance, repeat, {
        "client": "南京恒泰实业有限公司", "received_on": demo.days_ago(150), "facts": "客户称未收到合同约定的报价。",
    })
    complaints.resolve(compliance, rejected, {"status": "rejected",
                                              "resolution": "经核实报价已按时邮件发送，投诉不成立。"})
    assert big.pk
    return 4
