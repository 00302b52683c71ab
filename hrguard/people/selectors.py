"""Read queries on people records, always scoped to what the user may see.

Lists never COUNT the table: they fetch one row more than a page to know if a next page exists.
Every list and detail read is a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import TruncMonth

from hrguard.core.crypto import blind_index
from hrguard.core.models import Department, Position, User
from hrguard.people.permissions import reads_sensitive
from hrguard.people.scope import scope_of
from hrguard.platform.prepared import Prepared

from .inputs import ID_INDEX_CONTEXT, PHONE_INDEX_CONTEXT, normalize_employee_no
from .models import (
    ClauseTemplate,
    Contract,
    ContractClause,
    ContractStatus,
    ContractType,
    Employee,
    EmployeeNameGram,
    EmployeeStatus,
    LifecycleEvent,
    LifecycleKind,
    SupplementaryAgreement,
)

_ID_LIKE = re.compile(r"^[0-9]{17}[0-9Xx]$|^[A-Za-z0-9]{6,20}$")
_PHONE_LIKE = re.compile(r"^1[3-9]\d{9}$")


class NameHasBigram(Func):
    """PostgreSQL: ``hrguard_bigrams(name) @> ARRAY[<two characters>]`` (served by a GIN index)."""

    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        name_sql, name_params = compiler.compile(self.source_expressions[0])
        pair_sql, pair_params = compiler.compile(self.source_expressions[1])
        return f"hrguard_bigrams({name_sql}) @> ARRAY[{pair_sql}]::text[]", [*name_params, *pair_params]


@dataclass(frozen=True)
class EmployeeFilter:
    q: str = ""
    department: int | None = None
    status: str = ""
    position: int | None = None

    @classmethod
    def from_params(cls, params: Any) -> EmployeeFilter:
        def as_int(v: Any) -> int | None:
            try:
                return int(v) if v not in (None, "") else None
            except (TypeError, ValueError):
                return None

        return cls(
            q=str(params.get("q", "") or "").strip()[:100],
            department=as_int(params.get("department")),
            status=str(params.get("status", "") or "").strip(),
            position=as_int(params.get("position")),
        )


def visible_employees(user: User) -> QuerySet[Employee]:
    if not user.is_authenticated or user.company_id is None:
        return Employee.objects.none()
    return Employee.objects.filter(company_id=user.company_id).filter(scope_of(user).employee_q())


def _prefix(field: str, text: str, end: str | None = None) -> Q:
    """``field`` starts with ``text``, written so that a plain B-tree index serves it: a range in binary
    (SQLite) / C-collation order (up to ``end``, ``text`` + U+10FFFF), and the LIKE test itself, which keeps
    the match exact anywhere."""
    return Q(**{f"{field}__gte": text, f"{field}__lt": text + "\U0010ffff" if end is None else end,
                f"{field}__startswith": text})


def _tenant(company_id: int, q: Q) -> Q:
    # The company inside every OR branch lets SQLite answer the OR as a union of index lookups.
    return Q(company_id=company_id) & q


def name_pieces(text: str) -> list[str]:
    """SQLite: the ``EmployeeNameGram`` pieces a "name contains ``text``" search is looked up by — its first
    and last two characters (a name containing ``text`` has both) — or none where they cannot serve: one
    character, or ASCII letters (SQLite's LIKE ignores their case, the pieces keep it). PostgreSQL has
    its own indexes (pg_trgm from three characters, the bigram GIN index for two): no pieces."""
    if connection.vendor != "sqlite" or len(text) < 2:
        return []
    if any(ch.isascii() and ch.isalpha() for ch in text):
        return []
    return sorted({text[:2], text[-2:]})


# The values of a search that reach its SQL only as LIKE patterns or compared values (``platform.prepared``).
SEARCH_LIKE = ("number", "canonical_number", "name_text")


def search_plan(company_id: int, text: str, *, sensitive: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """``search_q``'s decisions on ``text`` as (shape, values): the shape says which branches the query has
    (it changes the SQL), the values are what the branches compare with (``search_from_plan``)."""
    text = text.strip()
    compact = "".join(text.split())
    values: dict[str, Any] = {"company_id": company_id, "number": compact, "number_end": compact + "\U0010ffff"}
    canonical = normalize_employee_no(compact)  # numbers are stored canonical: "ｅ01" finds E01
    if canonical != compact:
        values.update(canonical_number=canonical, canonical_end=canonical + "\U0010ffff")
    by_name = not any(ch.isdigit() for ch in compact)
    name = ""
    if by_name and len(text) == 2 and connection.vendor == "postgresql":
        name = "bigrams"
    elif by_name:
        name = "pieces"
        for i, piece in enumerate(name_pieces(text)):
            values[f"piece{i}"] = piece
    if name:
        values["name_text"] = text
    # Finding someone by their ID number or mobile confirms that value: only for roles that may read it
    # (``sensitive``); for the others such a search is an employee-number / name search like any other.
    if sensitive and _PHONE_LIKE.match(compact):
        values["phone_index"] = blind_index(compact, PHONE_INDEX_CONTEXT)
    if sensitive and _ID_LIKE.match(compact):
        values["id_number_index"] = blind_index(compact, ID_INDEX_CONTEXT)
    shape = {
        "canonical": "canonical_number" in values,
        "name": name,
        "pieces": sum(1 for key in values if key.startswith("piece")),
        "phone": "phone_index" in values,
        "id_number": "id_number_index" in values,
        "union": by_name and len(text) >= 2 and connection.vendor == "sqlite",
    }
    return shape, values


def search_from_plan(
    *, canonical: bool, name: str, pieces: int, phone: bool, id_number: bool, union: bool, **values: Any,
) -> Q:
    """The condition of ``search_plan``'s shape and values (see ``search_q``)."""
    company_id = values["company_id"]
    branches = [_prefix("employee_no", values["number"], values["number_end"])]
    if canonical:
        branches.append(_prefix("employee_no", values["canonical_number"], values["canonical_end"]))
    if name == "bigrams":
        # Too short for pg_trgm: the bigram GIN index (migration 0005) finds the candidates.
        branches.append(Q(NameHasBigram(F("name"), Value(values["name_text"]))) & Q(name__contains=values["name_text"]))
    elif name == "pieces":
        q = Q(name__contains=values["name_text"])  # the pieces find candidates; this keeps the match exact
        for i in range(pieces):
            q &= Q(pk__in=EmployeeNameGram.objects.filter(company_id=company_id, gram=values[f"piece{i}"])
                   .values("employee_id"))
        branches.append(q)
    if phone:
        branches.append(Q(phone_index=values["phone_index"]))
    if id_number:
        branches.append(Q(id_number_index=values["id_number_index"]))
    if union:
        tenant = Employee.objects.filter(company_id=company_id).order_by()
        parts = [tenant.filter(branch).values("pk") for branch in branches]
        return Q(company_id=company_id, pk__in=parts[0].union(*parts[1:], all=True))
    q = Q()
    for branch in branches:
        q |= _tenant(company_id, branch)
    return q


def search_q(company_id: int, text: str, *, sensitive: bool = False) -> Q:
    """Employee number (prefix), name (contains; not for text with digits — names have none), or exact ID
    number / mobile through the blind indexes. Every branch is an index lookup but a one-character name.

    Name contains, two or more characters. SQLite: the employees having the text's first and last
    two-character pieces (``EmployeeNameGram``, kept by triggers) — an index lookup whatever the roster's
    size — then the exact ``LIKE '%…%'`` on those few, in one ``id IN (… UNION ALL …)`` so that each branch
    uses its own index (ASCII letters, which have no usable pieces, test the narrow (company, name)
    covering index). PostgreSQL: the pg_trgm index (migration 0003) from three characters, the bigram GIN
    index (migration 0005) for two. One character (a surname, usually matching many) keeps the plain test
    along the employee-number order, which stops as soon as a page is full."""
    shape, values = search_plan(company_id, text, sensitive=sensitive)
    return search_from_plan(**shape, **values)


def employee_list(user: User, flt: EmployeeFilter) -> QuerySet[Employee]:
    qs = visible_employees(user).select_related("department", "position")
    if flt.q:
        qs = qs.filter(search_q(user.company_id, flt.q, sensitive=reads_sensitive(user)))
    if flt.department:
        dept = Department.objects.filter(company_id=user.company_id, pk=flt.department).only("path").first()
        qs = qs.filter(department_path__startswith=dept.path) if dept else qs.none()
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.position:
        qs = qs.filter(position_id=flt.position)
    return qs.order_by("employee_no")


# What a roster page shows (``people_tags.roster_rows``), as named tuples: no model instances (three per
# row with the department and position), no decrypting of the encrypted fields the page does not show.
ROSTER_FIELDS = (
    "pk", "employee_no", "name", "department__name", "position__name", "position__is_core", "status", "hire_date",
)


def roster_columns(qs: QuerySet[Employee]) -> QuerySet[Any]:
    """The roster's rows as ``Row(pk, employee_no, name, department__name, position__name,
    position__is_core, status, hire_date)``, in ``qs``'s order (pages and cursors work as on ``qs``)."""
    return qs.values_list(*ROSTER_FIELDS, named=True)


def page(qs: QuerySet[Any], number: int, size: int = 50) -> tuple[list[Any], bool]:
    number = max(1, number)
    rows = list(qs[(number - 1) * size : number * size + 1])
    return rows[:size], len(rows) > size


def keyset_page(
    qs: QuerySet[Any], size: int = 50, *, after: str | None = None, before: str | None = None,
    key: str = "employee_no",
) -> tuple[list[Any], bool, bool]:
    """A page next to a cursor instead of an OFFSET: rows after ``after`` (or before ``before``) in
    ``key`` order, which must be the list's order and unique in it (the employee number is unique per
    company). Costs the same on page 1,000 as on page 1. Returns (rows, has_next, has_previous)."""
    if before is not None:
        rows = list(qs.filter(**{f"{key}__lt": before}).order_by(f"-{key}")[: size + 1])
        return rows[:size][::-1], True, len(rows) > size
    rows = list(qs.filter(**{f"{key}__gt": after or ""})[: size + 1])
    return rows[:size], len(rows) > size, True


def compiled_roster_page(
    user: User, flt: EmployeeFilter, size: int, *, number: int, after: str | None, before: str | None,
) -> tuple[list[Any], bool, bool] | None:
    """What ``keyset_page`` (with a cursor) or ``page`` (the first page) gives on
    ``roster_columns(employee_list(user, flt))`` — (rows, has_next, has_previous) — from a statement compiled
    once per connection, viewer scope and search shape (``platform.prepared``), for the roster unfiltered or
    searched (``flt.q`` alone); None for anything else (a department, status or position filter, an OFFSET
    page): the caller goes through the ORM."""
    if replace(flt, q="") != EmployeeFilter() or user.company_id is None or not user.is_authenticated:
        return None
    if after is None and before is None and number != 1:
        return None
    mode = "before" if before is not None else "after" if after is not None else "first"
    shape: dict[str, Any] = {"scope": scope_of(user).employee_q(), "mode": mode, "size": size, "search": None}
    values: dict[str, Any] = {"company_id": user.company_id}
    if flt.q:
        search_shape, search_values = search_plan(user.company_id, flt.q, sensitive=reads_sensitive(user))
        shape["search"] = tuple(sorted(search_shape.items()))
        values.update({f"search_{name}": value for name, value in search_values.items()})
    if mode != "first":
        values["cursor"] = before if before is not None else after
    rows = _ROSTER.rows(shape=shape, **values)
    if mode == "before":
        return rows[:size][::-1], True, len(rows) > size
    if mode == "after":
        return rows[:size], len(rows) > size, True
    return rows[:size], len(rows) > size, False


def _roster(
    *, scope: Q, mode: str, size: int, search: tuple[tuple[str, Any], ...] | None, company_id: int, cursor: str = "",
    **search_values: Any,
) -> QuerySet[Any]:
    # employee_list(user, EmployeeFilter(q=…)) through roster_columns, then keyset_page / page's slicing
    qs = Employee.objects.filter(company_id=company_id).filter(scope).select_related("department", "position")
    if search is not None:
        qs = qs.filter(search_from_plan(**dict(search), **{
            name.removeprefix("search_"): value for name, value in search_values.items()}))
    qs = roster_columns(qs.order_by("employee_no"))
    if mode == "before":
        return qs.filter(employee_no__lt=cursor).order_by("-employee_no")[: size + 1]
    if mode == "after":
        return qs.filter(employee_no__gt=cursor)[: size + 1]
    return qs[: size + 1]


_ROSTER = Prepared(_roster, like=[f"search_{name}" for name in SEARCH_LIKE])


# What is read of the two managers an employee comes with (``employee_detail``): who they are, not their
# whole record. Any other field still loads when used (one query), so nothing reads a wrong value.
MANAGER_FIELDS = frozenset({"id", "company", "employee_no", "name", "department", "manager", "status", "user"})
_MANAGER_DEFERRED = tuple(
    f"{prefix}__{f.name}" for prefix in ("manager", "department__manager")
    for f in Employee._meta.concrete_fields if f.name not in MANAGER_FIELDS
)


def employee_detail(user: User, pk: int) -> Employee | None:
    """One visible employee with department, position, line manager and department manager, or None.
    Unordered: with an ORDER BY (the model's default, or ``first()``'s) Django compares every selected
    column of the four tables while compiling, which cost more than running the query. The managers
    come with ``MANAGER_FIELDS`` only (no encrypted fields decrypted for a name and a number)."""
    if not user.is_authenticated or user.company_id is None:
        return None
    scope = scope_of(user).employee_q()
    if isinstance(pk, int) and not isinstance(pk, bool):  # on every profile page: compiled once per scope
        rows = _DETAIL.rows(shape={"scope": scope}, company_id=user.company_id, pk=pk)
    else:  # whatever else callers pass goes through the ORM as before (its errors included)
        rows = list(_detail(scope=scope, company_id=user.company_id, pk=pk))
    return rows[0] if rows else None


def _detail(*, scope: Q, company_id: int, pk: Any) -> QuerySet[Employee]:
    """``visible_employees(user).filter(pk=pk)`` with the employee's department, position and managers."""
    return (
        Employee.objects.filter(company_id=company_id).filter(scope)
        .select_related("department", "position", "manager", "department__manager")
        .defer(*_MANAGER_DEFERRED)
        .filter(pk=pk)
        .order_by()[:1]
    )


_DETAIL = Prepared(_detail)


def contracts_of(employee: Employee) -> QuerySet[Contract]:
    return Contract.objects.filter(company_id=employee.company_id, employee=employee).prefetch_related(
        "clauses", "supplements"
    )


def contracts_with_terms(employee: Employee) -> list[Contract]:
    """``list(contracts_of(employee))`` with each contract's clauses and supplements, as the prefetch gives
    them (``c.clauses.all()``, ``c.supplements.all()``, each row's ``contract`` set), in three statements
    compiled once per connection (``platform.prepared``; the profile page): the clauses and supplements of
    the employee's contracts are read by the contract's employee, not by a list of contract ids."""
    contracts = _CONTRACTS.rows(company_id=employee.company_id, employee_id=employee.pk)
    if not contracts:  # (the prefetch runs nothing either)
        return contracts
    by_id = {c.pk: c for c in contracts}
    for prepared, name in ((_CLAUSES, "clauses"), (_SUPPLEMENTS, "supplements")):
        rows = prepared.rows(company_id=employee.company_id, employee_id=employee.pk)
        grouped: dict[int, list[Any]] = {pk: [] for pk in by_id}
        field = type(rows[0]).contract.field if rows else None
        for row in rows:
            grouped[row.contract_id].append(row)
            field.set_cached_value(row, by_id[row.contract_id])  # type: ignore[union-attr]
        for pk, contract in by_id.items():
            qs = getattr(contract, name).get_queryset()
            qs._result_cache = grouped[pk]
            qs._prefetch_done = True
            # what prefetch_related("clauses", "supplements") leaves on each contract
            contract.__dict__.setdefault("_prefetched_objects_cache", {})[name] = qs
    return contracts


_CONTRACTS = Prepared(
    lambda *, company_id, employee_id: Contract.objects.filter(company_id=company_id, employee_id=employee_id))
_CLAUSES = Prepared(lambda *, company_id, employee_id: ContractClause.objects.filter(
    contract__company_id=company_id, contract__employee_id=employee_id))
_SUPPLEMENTS = Prepared(lambda *, company_id, employee_id: SupplementaryAgreement.objects.filter(
    contract__company_id=company_id, contract__employee_id=employee_id))


def lifecycle_of(employee: Employee) -> list[LifecycleEvent]:
    """The employee's lifecycle events with who recorded them (profile page: compiled once, ``platform.prepared``)."""
    return _LIFECYCLE.rows(company_id=employee.company_id, employee_id=employee.pk)


def _lifecycle(*, company_id: int, employee_id: int) -> QuerySet[LifecycleEvent]:
    return LifecycleEvent.objects.filter(company_id=company_id, employee_id=employee_id).select_related("created_by")


_LIFECYCLE = Prepared(_lifecycle)


def departments_for(user: User) -> QuerySet[Department]:
    return Department.objects.filter(company_id=user.company_id).order_by("path")


def department_list(user: User) -> list[Department]:
    """``list(departments_for(user))``, compiled once per connection (the roster's filter bar, on every
    roster page: ``platform.prepared``)."""
    return _DEPARTMENTS.rows(company_id=user.company_id) if user.company_id else []


_DEPARTMENTS = Prepared(lambda *, company_id: Department.objects.filter(company_id=company_id).order_by("path"))


def names_of(company_id: int, employee_ids: set[int]) -> list[str]:
    """Names of these employees of the company, by id (the parties of an evidence package)."""
    rows = Employee.objects.filter(company_id=company_id, pk__in=employee_ids).order_by("pk")
    return [e.name for e in rows.only("name")]


def _contract_scope(user: User) -> Q:
    if user.is_hr:
        return Q()
    scope = scope_of(user)
    q = Q(employee_id=scope.employee_id) if scope.employee_id else Q(pk__in=[])
    for path in scope.partnered_paths:
        q |= Q(employee__department_path__startswith=path)
    return q


def visible_contracts(user: User, employee_id: int | None = None) -> QuerySet[Contract]:
    """Contracts ``people.view_contracts`` allows (HR: the company; HR partner: partnered subtrees; everyone:
    their own), newest first."""
    if not user.is_authenticated or user.company_id is None:
        return Contract.objects.none()
    qs = Contract.objects.filter(company_id=user.company_id).filter(_contract_scope(user))
    if employee_id is not None:
        qs = qs.filter(employee_id=employee_id)
    return (
        qs.select_related("employee")
        .prefetch_related("clauses", "supplements")
        .order_by("-start_date", "-pk")
    )


def departments(user: User) -> QuerySet[Department]:
    return Department.objects.filter(company_id=user.company_id).select_related("manager").order_by("path")


def positions(user: User) -> QuerySet[Position]:
    return Position.objects.filter(company_id=user.company_id).order_by("name", "pk")


def clause_templates(user: User) -> QuerySet[ClauseTemplate]:
    return ClauseTemplate.objects.filter(company_id=user.company_id).order_by("code", "pk")


def lifecycle(employee_id: int, company_id: int) -> QuerySet[LifecycleEvent]:
    return (
        LifecycleEvent.objects.filter(company_id=company_id, employee_id=employee_id)
        .select_related("created_by")
        .order_by("-effective_date", "-pk")
    )


def clause_of(contract: Contract, pk: int) -> ContractClause | None:
    """One clause of this contract (None if it belongs to another contract or does not exist)."""
    return ContractClause.objects.filter(contract=contract, pk=pk).first()


# --- what HR works from (工作台): probation and contract end dates, headcount and movements ---------------------
def _live_contracts(user: User) -> QuerySet[Contract]:
    """Contracts in force of employees still employed, that ``people.view_contracts`` lets the user read."""
    if not user.is_authenticated or user.company_id is None:
        return Contract.objects.none()
    return (
        Contract.objects.filter(company_id=user.company_id, status=ContractStatus.ACTIVE)
        .filter(_contract_scope(user))
        .exclude(employee__status__in=[EmployeeStatus.LEFT, EmployeeStatus.PENDING])
    )


def probation_ending(user: User, *, today: dt.date, within_days: int, limit: int = 20) -> list[Contract]:
    """Contracts whose probation ends between today and ``within_days`` from now, of employees still on
    probation, soonest first, with the employee and department (one query)."""
    until = today + dt.timedelta(days=within_days)
    qs = _live_contracts(user).filter(
        probation_end_date__gte=today, probation_end_date__lte=until, employee__status=EmployeeStatus.PROBATION
    )
    return list(qs.select_related("employee", "employee__department").order_by("probation_end_date", "pk")[:limit])


def fixed_terms_expiring(
    user: User, *, today: dt.date, within_days: int, lookback_days: int = 366, limit: int = 20
) -> list[Contract]:
    """Fixed-term contracts in force ending within ``within_days`` — or already ended (up to ``lookback_days``
    ago) while the employee works on with no later contract: the renewal decisions, most urgent (earliest end)
    first. Each row carries ``fixed_terms``: how many fixed-term contracts the employee has concluded
    (Art. 14 open-ended renewal). One query."""
    until = today + dt.timedelta(days=within_days)
    later = Contract.objects.filter(
        company_id=OuterRef("company_id"), employee_id=OuterRef("employee_id"), start_date__gt=OuterRef("end_date")
    )
    fixed = (
        Contract.objects.filter(
            company_id=OuterRef("company_id"), employee_id=OuterRef("employee_id"),
            contract_type=ContractType.FIXED_TERM,
        ).order_by().values("employee_id").annotate(n=Count("pk")).values("n")
    )
    qs = (
        _live_contracts(user)
        .filter(contract_type=ContractType.FIXED_TERM, end_date__lte=until,
                end_date__gte=today - dt.timedelta(days=lookback_days))
        .filter(~Exists(later))
        .annotate(fixed_terms=Subquery(fixed[:1]))
    )
    return list(qs.select_related("employee", "employee__department").order_by("end_date", "pk")[:limit])


@dataclass(frozen=True)
class HeadcountSeries:
    months: list[dt.date]  # the last day of each month, oldest first
    departments: list[tuple[int, str]]  # (department id, name): the top of the tree
    counts: dict[int, list[int]]  # department id → headcount at each month end


def _month_ends(today: dt.date, months: int) -> list[dt.date]:
    ends: list[dt.date] = []
    year, month = today.year, today.month
    for _i in range(months):
        first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(min(today, first_next - dt.timedelta(days=1)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return ends[::-1]


def _top_departments(company_id: int) -> list[Department]:
    """The departments a company chart groups by: the roots, or the children of a single root."""
    rows = list(Department.objects.filter(company_id=company_id).only("pk", "name", "path", "parent_id"))
    roots = [d for d in rows if d.parent_id is None]
    if len(roots) == 1:
        roots = [d for d in rows if d.parent_id == roots[0].pk] or roots
    return sorted(roots, key=lambda d: d.path)


def headcount_by_department(company_id: int, *, today: dt.date, months: int = 12) -> HeadcountSeries:
    """Employees on the payroll at each of the last ``months`` month ends, by top department (the employee's
    current department: a transfer moves their whole history). Two queries whatever the company's size: the
    departments and one GROUP BY over the employees."""
    ends = _month_ends(today, months)
    tops = _top_departments(company_id)
    on_books = {
        f"m{i}": Count("pk", filter=Q(hire_date__lte=end) & (Q(termination_date__isnull=True)
                                                             | Q(termination_date__gt=end)))
        for i, end in enumerate(ends)
    }
    rows = (
        Employee.objects.filter(company_id=company_id).exclude(status=EmployeeStatus.PENDING)
        .order_by().values("department_path").annotate(**on_books)
    )
    counts = {d.pk: [0] * months for d in tops}
    for row in rows:
        top = next((d for d in tops if row["department_path"].startswith(d.path)), None)
        if top is not None:
            series = counts[top.pk]
            for i in range(months):
                series[i] += row[f"m{i}"]
    return HeadcountSeries(ends, [(d.pk, d.name) for d in tops], counts)


MOVEMENT_KINDS: dict[str, str] = {  # 入转调离: lifecycle kind → movement
    LifecycleKind.HIRE: "hire",
    LifecycleKind.PROBATION_PASSED: "regular",
    LifecycleKind.TRANSFER: "transfer",
    LifecycleKind.PROMOTION: "transfer",
    LifecycleKind.TERMINATION: "exit",
}


def movements_by_month(company_id: int, *, today: dt.date, months: int = 12) -> dict[str, list[int]]:
    """入职 / 转正 / 调动 (transfers and promotions) / 离职 per month over the last ``months`` months (oldest
    first), from the lifecycle events. One GROUP BY query."""
    ends = _month_ends(today, months)
    start = ends[0].replace(day=1)
    index = {(end.year, end.month): i for i, end in enumerate(ends)}
    rows = (
        LifecycleEvent.objects.filter(company_id=company_id, effective_date__gte=start, effective_date__lte=today,
                                      kind__in=list(MOVEMENT_KINDS))
        .annotate(month=TruncMonth("effective_date")).order_by().values("month", "kind").annotate(n=Count("pk"))
    )
    out = {kind: [0] * months for kind in dict.fromkeys(MOVEMENT_KINDS.values())}
    for row in rows:
        month = row["month"]
        i = index.get((month.year, month.month))
        if i is not None:
            out[MOVEMENT_KINDS[row["kind"]]][i] += row["n"]
    return out
