"""Pagination without COUNT(*): counting 100,000 rows on every page is what makes big HR lists slow.

Responses carry ``next``/``previous`` links and ``results``; a page fetches ``limit + 1`` rows to know
whether there is a next page.

The links carry an opaque ``cursor`` (keyset pagination): the next page is "rows after the last one
of this page" in the list's order, so page 1,000 costs what page 1 does (an OFFSET walks and drops
every earlier row). That needs an order by one field that is unique in the list: a unique field, or
one unique per company (``UniqueConstraint(company, field)``, e.g. the employee number — API lists are
always one company's). Lists ordered otherwise keep plain page numbers. ``?page=N`` without a cursor
still works (OFFSET) for old links; with a cursor ``page`` is only the label."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, QuerySet, UniqueConstraint
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 200
TENANT_FIELDS = {"company"}


class NoCountPagination(BasePagination):
    page_size = 50

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any]:
        self.request = request
        self.limit = _int(request.query_params.get("page_size"), self.page_size, 1, MAX_PAGE_SIZE)
        self.page = _int(request.query_params.get("page"), 1, 1, 1_000_000)
        self.key = keyset_field(queryset)
        cursor = decode_cursor(request.query_params.get("cursor")) if self.key else None
        if cursor is None:
            offset = (self.page - 1) * self.limit
            rows = list(queryset[offset : offset + self.limit + 1])
            self.has_next, self.has_prev = len(rows) > self.limit, self.page > 1
            self.rows = rows[: self.limit]
            return self.rows
        field, descending = self.key
        forward = cursor["d"] == "n"
        lookup = "gt" if forward != descending else "lt"
        qs = queryset.filter(**{f"{field.attname}__{lookup}": cursor["v"]})
        rows = list((qs if forward else qs.reverse())[: self.limit + 1])
        more, rows = len(rows) > self.limit, rows[: self.limit]
        if forward:
            self.has_next, self.has_prev = more, True
        else:
            rows.reverse()
            self.has_next, self.has_prev = True, more
            if not more:
                self.page = 1  # went back past the start: this is the first page
        self.rows = rows
        return rows

    def get_paginated_response(self, data: Any) -> Response:
        links = {"next": self.next_link(), "previous": self.previous_link()}
        return Response({**links, "page": self.page, "results": data})

    def next_link(self) -> str | None:
        if not self.has_next:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), "page", self.page + 1)
        value = self._value(self.rows[-1]) if self.rows else None
        if value is None:
            return remove_query_param(url, "cursor")
        return replace_query_param(url, "cursor", encode_cursor(value, "n"))

    def previous_link(self) -> str | None:
        if self.page <= 1 or not self.has_prev:
            return None
        url = self.request.build_absolute_uri()
        if self.page == 2:
            return remove_query_param(remove_query_param(url, "page"), "cursor")
        url = replace_query_param(url, "page", self.page - 1)
        value = self._value(self.rows[0]) if self.rows else None
        if value is None:
            return remove_query_param(url, "cursor")
        return replace_query_param(url, "cursor", encode_cursor(value, "p"))

    def _value(self, row: Any) -> Any:
        if self.key is None:
            return None
        field = self.key[0]
        value = row.get(field.name, row.get(field.attname)) if isinstance(row, dict) else getattr(row, field.attname)
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return value if isinstance(value, str | int) and not isinstance(value, bool) else None

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results", "page"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "page": {"type": "integer"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {"name": "page", "required": False, "in": "query", "schema": {"type": "integer", "minimum": 1}},
            {
                "name": "cursor", "required": False, "in": "query", "schema": {"type": "string"},
                "description": "Opaque position from a next/previous link (faster than page numbers).",
            },
            {
                "name": "page_size", "required": False, "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


def keyset_field(queryset: QuerySet[Any]) -> tuple[Field, bool] | None:
    """(field, descending) when the list is ordered by one non-null field unique within a company."""
    query = queryset.query
    ordering = list(query.order_by) or (list(queryset.model._meta.ordering) if query.default_ordering else [])
    if len(ordering) != 1 or not isinstance(ordering[0], str) or query.extra_order_by or query.combinator:
        return None
    name = ordering[0]
    descending = name.startswith("-")
    name = name.lstrip("-")
    meta = queryset.model._meta
    try:
        field = meta.pk if name == "pk" else meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not getattr(field, "concrete", False) or field.null or field.is_relation:
        return None
    unique = field.unique or any(
        isinstance(c, UniqueConstraint) and c.condition is None and not c.expressions
        and set(c.fields) - {field.name} <= TENANT_FIELDS and field.name in c.fields
        for c in meta.constraints
    )
    return (field, descending) if unique else None


def encode_cursor(value: str | int, direction: str) -> str:
    raw = json.dumps({"v": value, "d": direction}, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str | None) -> dict[str, Any] | None:
    """The cursor, or None for anything malformed (then the page number applies)."""
    if not text or len(text) > 400:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(data, dict) or data.get("d") not in ("n", "p"):
        return None
    value = data.get("v")
    return data if isinstance(value, str | int) and not isinstance(value, bool) else None


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)
