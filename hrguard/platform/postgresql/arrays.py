"""A faster text dumper for Python lists (PostgreSQL arrays), same output as psycopg's.

Django 5.2 sends ``bulk_create`` on PostgreSQL as ``INSERT … SELECT * FROM UNNEST(%s::text[], …)``: one array
per column. psycopg's text array dumper (pure Python, also with the C implementation) escapes each quoted
element with ``re.sub`` and a replacement template, so every ``"`` and ``\\`` of an element costs a regex
match and a template expansion. An evidence record is canonical JSON, about 190 quotes each: the 9,000
alerts of a full scan of 100,000 people spent ~1 s of the scan's CPU escaping (bench/README.md, "Early
warning"). Two ``bytes.replace`` calls give the same bytes: backslashes doubled first, then quotes escaped.

Only the escaper is replaced; psycopg decides as before which elements are quoted. Should psycopg rename
the attribute, its own escaper is used again (slower, same result); ``tests/platform/test_pg_arrays.py``
compares the two on every character class."""

from __future__ import annotations

from typing import Any

from psycopg.types.array import ListDumper


class _Escaper:
    """Stands in for the compiled ``(["\\\\])`` pattern: ``sub(template, value)`` backslash-escapes both."""

    @staticmethod
    def sub(template: bytes, value: Any) -> bytes:
        return bytes(value).replace(b"\\", b"\\\\").replace(b'"', b'\\"')


class EscapingListDumper(ListDumper):
    _re_esc = _Escaper()  # type: ignore[assignment]


def register(connection: Any) -> None:
    """Use the dumper for lists on this psycopg connection (text format; the binary one escapes nothing)."""
    connection.adapters.register_dumper(list, EscapingListDumper)
