"""Pagination without COUNT(*): counting 100,000 rows on every page is what makes big HR lists slow.

Responses carry ``next``/``previous`` links and ``results``; a page fetches ``limit + 1`` rows to know
whether there is a next page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 200


class NoCountPagination(BasePagination):
    page_size = 50

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any]:
        self.request = request
        self.limit = _int(request.query_params.get("page_size"), self.page_size, 1, MAX_PAGE_SIZE)
        self.page = _int(request.query_params.get("page"), 1, 1, 1_000_000)
        offset = (self.page - 1) * self.limit
        rows = list(queryset[offset : offset + self.limit + 1])
        self.has_next = len(rows) > self.limit
        return rows[: self.limit]

    def get_paginated_response(self, data: Any) -> Response:
        url = self.request.build_absolute_uri()
        nxt = replace_query_param(url, "page", self.page + 1) if self.has_next else None
        prev = None
        if self.page > 1:
            prev = replace_query_param(url, "page", self.page - 1) if self.page > 2 else remove_query_param(url, "page")
        return Response({"next": nxt, "previous": prev, "page": self.page, "results": data})

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
                "name": "page_size", "required": False, "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)
