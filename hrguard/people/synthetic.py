"""Synthetic company generator: the demo company and the benchmark datasets (bulk inserts, seeded RNG).

``generate_company(code, name, employees=200)`` creates a department tree, positions (some core),
managers, employees with encrypted sensitive fields and valid ID numbers, contracts with clauses, and
one evidence event per created record — all in one transaction, in batches."""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction

from hrguard.core.models import Company, Department, Position, User
from hrguard.core.roles import Role
from hrguard.evidence.services import PendingEvent, Subject, record_many
from hrguard.law.contracts import add_months

from .inputs import apply_indexes
from .models import (
    ClauseCategory,
    ClauseTemplate,
    Contract,
    ContractClause,
    ContractType,
    Employee,
    EmployeeStatus,
    LifecycleEvent,
    LifecycleKind,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
COMPOUND = ["欧阳", "司马", "上官", "诸葛"]
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉玉兰斌宇浩然子涵欣怡雨轩梓萱思远"
REGIONS = ["110105", "310104", "440305", "330106", "510107", "420106", "320102", "370202"]

DEPARTMENT_TREE: list[tuple[str, list[str]]] = [
    ("总经办", []),
    ("销售部", ["华东销售组", "华北销售组", "华南销售组"]),
    ("研发部", ["平台组", "产品组"]),
    ("客户服务部", []),
    ("财务部", []),
    ("人力资源部", []),
    ("法务合规部", []),
]
POSITIONS: list[tuple[str, str, bool, bool]] = [  # name, level, core, confidentiality duty
    ("总经理", "M5", True, True),
    ("销售总监", "M4", True, True),
    ("高级客户经理", "P6", True, True),
    ("客户经理", "P4", False, False),
    ("研发经理", "M3", True, True),
    ("高级工程师", "P6", True, True),
    ("工程师", "P4", False, True),
    ("客服专员", "P3", False, False),
    ("会计", "P4", False, False),
    ("人事专员", "P4", False, False),
    ("合规专员", "P5", False, True),
    ("部门经理", "M3", False, True),
]
CLAUSES: list[tuple[str, str, str, bool]] = [
    ("FIN-DISCLOSE", "个人财务状况披露", ClauseCategory.FINANCE_DISCLOSURE, True),
    ("CONFIDENTIAL", "保密义务", ClauseCategory.CONFIDENTIALITY, True),
    ("NON-COMPETE", "竞业限制", ClauseCategory.NON_COMPETE, True),
    ("NO-PRIVATE-TRADE", "禁止私下代客交易", ClauseCategory.NO_PRIVATE_TRADING, True),
    ("WORK-HOURS", "工作时间和休息休假", ClauseCategory.OTHER, False),
]
CLAUSE_BODIES = {
    "FIN-DISCLOSE": (
        "员工因个人债务引发第三方到公司催收、影响正常工作秩序时，"
        "应在公司通知后二十四小时内说明情况并配合处理。"
    ),
    "CONFIDENTIAL": "员工对在职期间知悉的公司商业秘密和客户信息负有保密义务，离职后仍然有效。",
    "NON-COMPETE": "负有保密义务的员工离职后在约定期限内不得到与公司有竞争关系的单位任职，公司按月支付经济补偿。",
    "NO-PRIVATE-TRADE": "员工不得私下接受客户委托代为操作账户或进行交易。",
    "WORK-HOURS": "公司实行标准工时制度，员工每日工作八小时，每周工作四十小时。",
}
DEMO_PASSWORD = "hrguard-demo-2026"  # noqa: S105 - printed demo login, documented in README


@functools.cache
def demo_password_hash() -> str:
    """One PBKDF2 hash of the demo password, computed once and reused for every synthetic user.

    Always PBKDF2 (Django's default), whatever the settings that generate the data: a database generated
    under the test settings (MD5 hasher) is then still usable by a real server, and thousands of users
    cost one hash. Every user sharing one salt is acceptable for synthetic data only."""
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(DEMO_PASSWORD, hasher.salt())


def id_check_digit(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def synthetic_id(rng: random.Random, birth: dt.date, seq: int) -> str:
    body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{seq % 1000:03d}"
    return body + id_check_digit(body)


def _probation_end(hire: dt.date) -> dt.date:
    """Last day of the synthetic contracts' three-month probation."""
    return add_months(hire, 3) - dt.timedelta(days=1)


def _plus_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def planned_hire_dates(today: dt.date, employees: int) -> list[dt.date]:
    """Hire dates that give a demo company a recent history: three people whose three-month probation
    ends within 15 days, four whose three-year fixed-term contract expires within 30 days, then two hires
    a month over the last twelve months. At most a third of the company."""
    soon = [add_months(today, -3) + dt.timedelta(days=k) for k in (2, 6, 11)]
    expiring = [_plus_years(today, -3) + dt.timedelta(days=k) for k in (5, 12, 20, 27)]
    monthly = [add_months(today, -m) - dt.timedelta(days=d) for m in range(12, 0, -1) for d in (3, 17)]
    return (soon + expiring + monthly)[: employees // 3]


def synthetic_name(rng: random.Random) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.02 else rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


@dataclass
class Generated:
    company: Company
    departments: dict[str, Department] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    employees: list[Employee] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)


def _departments(company: Company) -> dict[str, Department]:
    out: dict[str, Department] = {}
    for name, children in DEPARTMENT_TREE:
        parent = Department.objects.create(company=company, name=name)
        out[name] = parent
        for child in children:
            out[child] = Department.objects.create(company=company, name=child, parent=parent)
    return out


def _positions(company: Company) -> dict[str, Position]:
    return {
        name: Position.objects.create(
            company=company, name=name, level=level, is_core=core, confidentiality_duty=conf
        )
        for name, level, core, conf in POSITIONS
    }


def _position_for(dept: str, rng: random.Random) -> str:
    if "销售" in dept:
        return rng.choice(["客户经理", "客户经理", "客户经理", "高级客户经理"])
    if dept in ("研发部", "平台组", "产品组"):
        return rng.choice(["工程师", "工程师", "高级工程师"])
    return {
        "客户服务部": "客服专员", "财务部": "会计", "人力资源部": "人事专员", "法务合规部": "合规专员",
        "总经办": "部门经理",
    }[dept]


@transaction.atomic
def generate_company(
    code: str,
    name: str,
    employees: int = 200,
    *,
    seed: int = 2026,
    with_users: bool = True,
    with_evidence: bool = True,
    batch_size: int = 2000,
    today: dt.date | None = None,
    history: bool = False,
) -> Generated:
    """``history``: hire dates shaped for the demo (``planned_hire_dates``; everyone else hired more than a
    year ago), so the last twelve months' hires, probation ends and contract expiries are real."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    planned = planned_hire_dates(today, employees) if history else []
    latest_other = today - dt.timedelta(days=400) if history else today
    company = Company.objects.create(code=code, name=name, city="上海")
    gen = Generated(company=company, departments=_departments(company), positions=_positions(company))
    clauses = [
        ClauseTemplate.objects.create(
            company=company, code=c, title=t, body=CLAUSE_BODIES[c], category=cat, key_by_default=key
        )
        for c, t, cat, key in CLAUSES
    ]
    leaf_depts = [d for n, d in gen.departments.items() if not any(n == p for p, ch in DEPARTMENT_TREE if ch)]
    weights = [6 if "销售" in d.name else 3 if d.name in ("平台组", "产品组") else 1 for d in leaf_depts]
    evidence_rows: list[PendingEvent] = []
    width = max(6, len(str(employees)))
    for start in range(0, employees, batch_size):
        batch: list[Employee] = []
        for i in range(start, min(start + batch_size, employees)):
            dept = rng.choices(leaf_depts, weights)[0]
            birth = dt.date(rng.randint(1965, 2002), rng.randint(1, 12), rng.randint(1, 28))
            earliest = dt.date(max(birth.year + 22, 2008), 1, 1)
            hire = min(latest_other, earliest + dt.timedelta(days=rng.randint(0, 6000)))
            if i < len(planned):
                hire = planned[i]
            # Planned hires start on probation; the demo records their 转正 when it has passed.
            on_probation = _probation_end(hire) >= today or i < len(planned)
            emp = Employee(
                company=company, employee_no=f"E{i + 1:0{width}d}", name=synthetic_name(rng),
                gender=rng.choice("MF"), birth_date=birth, id_number=synthetic_id(rng, birth, i),
                phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
                email=f"e{i + 1}@{code}.example.com", department=dept,
                position=gen.positions[_position_for(dept.name, rng)], hire_date=hire,
                work_start_date=hire - dt.timedelta(days=rng.randint(0, 3000)),
                status=EmployeeStatus.PROBATION if on_probation else EmployeeStatus.ACTIVE,
                work_location="上海",
            )
            apply_indexes(emp)
            batch.append(emp)
        Employee.objects.bulk_create(batch, batch_size=batch_size)
        gen.employees.extend(batch)
    by_dept: dict[int, list[Employee]] = {}
    for emp in gen.employees:
        by_dept.setdefault(emp.department_id, []).append(emp)
    # Managers: first employee of each leaf department; parents managed by their first child's manager.
    for dept in gen.departments.values():
        members = by_dept.get(dept.pk)
        if members:
            dept.manager = members[0]
            members[0].position = gen.positions["部门经理"]
    for parent, children in DEPARTMENT_TREE:
        if children and gen.departments[children[0]].manager:
            gen.departments[parent].manager = gen.departments[children[0]].manager
    Department.objects.bulk_update(list(gen.departments.values()), ["manager"])
    Employee.objects.bulk_update([d.manager for d in gen.departments.values() if d.manager], ["position"])
    contracts: list[Contract] = []
    events: list[LifecycleEvent] = []
    for emp in gen.employees:
        contracts.append(
            Contract(
                company=company, employee=emp, contract_no=f"HT-{emp.employee_no}",
                contract_type=ContractType.FIXED_TERM, start_date=emp.hire_date,
                end_date=_plus_years(emp.hire_date, 3) - dt.timedelta(days=1),
                probation_months=3, probation_end_date=_probation_end(emp.hire_date),
                wage=Decimal(rng.randrange(8000, 40000, 500)), work_location="上海",
                signed_date=emp.hire_date,
            )
        )
        events.append(
            LifecycleEvent(
                company=company, employee=emp, kind=LifecycleKind.HIRE, effective_date=emp.hire_date,
                changes={"department": emp.department.name},
            )
        )
    Contract.objects.bulk_create(contracts, batch_size=batch_size)
    LifecycleEvent.objects.bulk_create(events, batch_size=batch_size)
    key_clauses = [c for c in clauses if c.key_by_default][:2]
    ContractClause.objects.bulk_create(
        [
            ContractClause(
                contract=ct, template=c, title=c.title, body=c.body, category=c.category, is_key=True, order=n
            )
            for ct in contracts
            for n, c in enumerate(key_clauses)
        ],
        batch_size=batch_size,
    )
    if with_users:
        gen.users = _demo_users(gen)
    if with_evidence:
        for emp, ct in zip(gen.employees, contracts, strict=True):
            evidence_rows.append(
                PendingEvent(
                    "employee.created", Subject.of(emp),
                    {"employee_no": emp.employee_no, "name": emp.name, "source": "synthetic"}, emp.pk,
                )
            )
            evidence_rows.append(
                PendingEvent("contract.created", Subject.of(ct), {"contract_no": ct.contract_no}, emp.pk)
            )
        for start in range(0, len(evidence_rows), 10000):
            record_many(company, None, evidence_rows[start : start + 10000])
    return gen


def _demo_users(gen: Generated) -> dict[str, User]:
    company, code = gen.company, gen.company.code
    sales = gen.departments["销售部"]
    manager_emp = sales.manager
    managers = {d.manager_id for d in gen.departments.values()}
    in_sales = [
        e for e in gen.employees
        if e.department_path.startswith(sales.path) and e.pk != (manager_emp.pk if manager_emp else None)
        and e.pk not in managers
    ]
    # Preferably someone the demo manager manages directly, so the employee's requests reach them.
    direct = [e for e in in_sales if manager_emp and e.department.manager_id == manager_emp.pk]
    plain = (direct or in_sales)[0]
    specs: list[tuple[str, str, Any]] = [
        ("admin", Role.ADMIN, None),
        ("hr", Role.HR, None),
        ("legal", Role.LEGAL, None),
        ("compliance", Role.COMPLIANCE, None),
        ("finance", Role.FINANCE, None),
        ("manager", Role.EMPLOYEE, manager_emp),
        ("employee", Role.EMPLOYEE, plain),
    ]
    users: dict[str, User] = {}
    for key, role, emp in specs:
        user = User.objects.create(
            username=f"{code}-{key}", password=demo_password_hash(), company=company, role=role,
            first_name=emp.name if emp else "", is_staff=False,
        )
        if emp is not None:
            Employee.objects.filter(pk=emp.pk).update(user=user)
            emp.user = user
        users[key] = user
    return users


def describe(value: Any) -> str:
    return str(value)


def employee_logins(company: Company, employees: list[Employee]) -> list[User]:
    """Employee accounts (``<code>-<employee number>``, the demo password) for synthetic employees who
    have none yet; returns the accounts created."""
    created = []
    for emp in employees:
        if emp.user_id:
            continue
        user = User.objects.create(
            username=f"{company.code}-{emp.employee_no.lower()}", password=demo_password_hash(), company=company,
            role=Role.EMPLOYEE, first_name=emp.name, is_staff=False,
        )
        Employee.objects.filter(pk=emp.pk).update(user=user)
        emp.user = user
        created.append(user)
    return created
