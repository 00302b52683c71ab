"""Read queries compiled once per database connection and run again with other values.

Building a Django query and compiling it to SQL costs several times what the database spends on a
single-row read: for the queries every page makes (the signed-in user, the unread badge, …) that was a
large part of a request's CPU. ``Prepared`` keeps the compiled statement::

    USER = Prepared(lambda pk: User.objects.select_related("company").filter(pk=pk).order_by()[:2])
    rows = USER.rows(pk=7)         # list of model instances (or the values / values_list tuples)

``build(**shape, **values)`` returns a QuerySet whose SQL must not depend on the values (they are only compared
with, as ``=``/``IN`` parameters): a scope that changes the WHERE clause, a LIMIT, a LIKE pattern belong
in ``shape=`` (one statement per distinct shape, e.g. the viewer's scope as a ``Q``: equal shapes give
equal SQL) or outside. A value named in ``like=`` may also reach the SQL as the pattern of a Django
``startswith`` / ``contains`` / ``endswith`` lookup (``text%``, ``%text%``, ``%text``, escaped by the
database's ``prep_for_like_query`` as Django escapes it); it is bound the same way. This is checked when a
statement is compiled:
the query is built twice with two different sets of stand-in values, and both must give the same SQL
with each stand-in exactly where the other one is, otherwise ``ValueError``. Values may be ``int`` or
``str``. The rows come through Django's own iterable (converters, select_related, values), so they are
what the QuerySet itself would give; prefetches are refused. Each connection (one per thread) has its
own compiled statements, kept on the connection object."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

__all__ = ["MAX_STATEMENTS", "Prepared"]

MAX_STATEMENTS = 512  # per connection

@dataclass
class _Statement:
    queryset: QuerySet[Any]
    compiler: Any
    sql: str
    params: tuple[Any, ...]
    # (index in params, value name, LIKE pattern the value is escaped into, or "" for the value itself)
    slots: tuple[tuple[int, str, str], ...]
    # The selected columns and their converters (``compiler.get_converters``), found once per statement.
    columns: tuple[Any, ...] = ()
    converters: dict[int, Any] | None = None


MARK = "\x1fprep"  # begins every str stand-in
LIKE_PATTERNS = ("%s%%", "%%%s%%", "%%%s")  # Django's startswith, contains, endswith


def _stand_ins(values: dict[str, Any], round_: int, like: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Values to build the query with, distinct per value and per round. Integers stay within a small
    integer field's range (Django answers "no rows" for a value outside a field's range); a stand-in that
    equals a constant of the query is noticed: the two rounds then disagree. The stand-ins of ``like``
    values hold ``_`` and ``%``, so that their LIKE patterns show whether they were escaped."""
    out: dict[str, Any] = {}
    for i, (name, value) in enumerate(values.items()):
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"Prepared: {name} must be an int or a str, not {type(value).__name__}")
        if isinstance(value, int):
            out[name] = 24_000 + 17 * i + round_
        else:
            out[name] = f"{MARK}{i}_{round_}%\x1f" if name in like else f"{MARK}{i}.{round_}\x1f"
    return out


def _compile(queryset: QuerySet[Any]) -> tuple[Any, str, tuple[Any, ...]]:
    if queryset._prefetch_related_lookups:
        raise ValueError("Prepared: prefetch_related is not supported")
    if queryset.db != DEFAULT_DB_ALIAS:
        raise ValueError("Prepared: only queries on the default database")
    compiler = queryset.query.get_compiler(using=queryset.db)  # (applies any deferred filter first)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # e.g. a scope of nobody (``pk__in=[]``): Django runs nothing and finds no rows
        return compiler, "", ()
    return compiler, sql, tuple(params)


def _kind(value: Any) -> type | None:
    """``int`` or ``str`` for a parameter of either kind — wrapped too: psycopg's ``Int8`` for big
    integers on PostgreSQL is an ``int`` —, else None."""
    if isinstance(value, bool):
        return None
    return int if isinstance(value, int) else str if isinstance(value, str) else None


def _slots(
    params: tuple[Any, ...], stand_ins: dict[str, Any], like: frozenset[str] = frozenset(),
) -> tuple[tuple[int, str, str], ...]:
    by_value = {(_kind(v), v): (name, "") for name, v in stand_ins.items()}
    escape = connections[DEFAULT_DB_ALIAS].ops.prep_for_like_query
    for name in like & set(stand_ins):
        for pattern in LIKE_PATTERNS:
            by_value[(str, pattern % escape(stand_ins[name]))] = (name, pattern)
    slots = []
    for i, param in enumerate(params):
        found = by_value.get((_kind(param), param)) if _kind(param) else None
        if found is not None:
            slots.append((i, *found))
        elif isinstance(param, str) and MARK in param:
            raise ValueError("Prepared: a value is transformed in the SQL (a LIKE pattern?); pass it in shape=")
    if {name for _i, name, _p in slots} != set(stand_ins):
        raise ValueError("Prepared: a value does not reach the SQL as a parameter; pass it in shape=")
    return tuple(slots)


def _bind(template: Any, value: Any, pattern: str) -> Any:
    """``value`` in the parameter's own type (psycopg's ``Int8`` stays an ``Int8``); a ``like`` value as
    its escaped LIKE pattern, as Django's lookup writes it."""
    if pattern:
        return pattern % connections[DEFAULT_DB_ALIAS].ops.prep_for_like_query(value)
    kind = type(template)
    return value if kind is type(value) else kind(value)


def _shallow(obj: Any) -> Any:
    copy = object.__new__(type(obj))
    copy.__dict__.update(obj.__dict__)
    return copy


def _remembered_converters(compiler: Any, statement: _Statement) -> Callable[[Any], dict[int, Any]]:
    """``compiler.get_converters`` that answers the statement's own columns from what was found when it was
    compiled (the same converters of the same connection and fields; finding them again on every run
    cost 0.8 M instructions a request over the load mix, 1.6 M on a profile page), and any other list of
    expressions as Django does."""
    find = type(compiler).get_converters.__get__(compiler)
    columns, converters = statement.columns, statement.converters

    def get_converters(expressions: Any) -> dict[int, Any]:
        if converters is not None and len(expressions) == len(columns) and all(
            a is b for a, b in zip(expressions, columns, strict=True)
        ):
            return converters
        return find(expressions)

    return get_converters


class Prepared:
    """One read query, compiled once per connection and shape (see the module's docstring)."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *, like: Iterable[str] = ()) -> None:
        self.build = build
        self.like = frozenset(like)

    def _statement(self, shape: dict[str, Hashable], values: dict[str, Any]) -> _Statement:
        first, second = _stand_ins(values, 1, self.like), _stand_ins(values, 2, self.like)
        queryset = self.build(**shape, **first)
        compiler, sql, params = _compile(queryset)
        _c2, sql2, params2 = _compile(self.build(**shape, **second))
        if not sql and not sql2:
            return _Statement(queryset, compiler, "", (), ())
        slots = _slots(params, first, self.like)
        if sql2 != sql or _slots(params2, second, self.like) != slots or len(params2) != len(params) or any(
            a != b for i, (a, b) in enumerate(zip(params, params2, strict=True)) if i not in {s[0] for s in slots}
        ):
            raise ValueError("Prepared: the SQL depends on the values; pass what changes it in shape=")
        columns = tuple(s[0] for s in compiler.select[0 : compiler.col_count])
        return _Statement(queryset, compiler, sql, params, slots, columns, compiler.get_converters(list(columns)))

    def rows(self, *, shape: dict[str, Hashable] | None = None, **values: Any) -> list[Any]:
        """The query's rows: what ``list(build(**shape, **values))`` gives. ``shape``: arguments that
        change the SQL itself (each distinct one is compiled once), ``values``: its parameters."""
        shape = shape or {}
        if any(_kind(v) is int and not -(2**63) <= v < 2**63 for v in values.values()):
            return list(self.build(**shape, **values))  # out of any column's range: the ORM's answer (no rows)
        cache: dict[tuple[Any, ...], _Statement] = connections[DEFAULT_DB_ALIAS].__dict__.setdefault(
            "_hrguard_prepared", {})
        key = (self, tuple(sorted(shape.items())), *((name, _kind(v)) for name, v in values.items()))
        statement = cache.get(key)
        if statement is None:
            if len(cache) >= MAX_STATEMENTS:  # shapes may hold a viewer's scope: keep the cache bounded
                cache.clear()
            statement = cache[key] = self._statement(shape, values)
        if not statement.sql:
            return []
        params = list(statement.params)
        for i, name, pattern in statement.slots:
            params[i] = _bind(statement.params[i], values[name], pattern)
        sql, bound = statement.sql, tuple(params)
        # Shallow copies for this call (nothing shared is changed, even where two threads share one
        # connection, as test live servers do): Django's iterable asks the query for a compiler and gets
        # one whose SQL is made, with this call's parameters.
        compiler = _shallow(statement.compiler)
        compiler.as_sql = lambda *_a, **_k: (sql, bound)
        compiler.get_converters = _remembered_converters(compiler, statement)
        query = _shallow(statement.queryset._query)
        query.get_compiler = lambda *_a, **_k: compiler
        queryset = _shallow(statement.queryset)
        queryset._query = query
        queryset._result_cache = None
        queryset._prefetch_done = False
        return list(queryset)
