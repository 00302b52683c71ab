"""Request guards shared by pages and the API.

A NUL character cannot be stored or compared in PostgreSQL text (psycopg refuses the query with a
ValueError, a 500), and no legitimate search or filter contains one. Form and serializer fields already
refuse NUL in bodies (Django's and DRF's ``ProhibitNullCharactersValidator``); query strings reach views
and selectors as raw text, so they are checked here once for every request: a NUL in any query parameter
is a 400 (JSON under /api/, the error page elsewhere) before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse


class NullCharacterInQuery(SuspiciousOperation):
    """A query parameter (name or value) contains a NUL character."""


class QueryStringGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            for name, values in request.GET.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    raise NullCharacterInQuery("NUL character in a query parameter")
        return self.get_response(request)
