"""The list dumper of the PostgreSQL backend (platform/postgresql/arrays.py): byte for byte psycopg's own
text dumper, and the values come back from the server unchanged."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.db import connection
from psycopg.types.array import ListDumper

from hrguard.platform.postgresql.arrays import EscapingListDumper

VALUES = ['{"seq": 1, "data": {"note": "a \\"quoted\\" word"}}', "back\\slash", 'both \\" and "\\', "", "NULL",
          "null", "{braces}", "a,b", "tab\tand space", "全角　空格", "换行\n", "plain", None, "x" * 5000]


def _dump(dumper_class: type[ListDumper], value: list[Any]) -> bytes:
    tx = psycopg.adapt.Transformer()
    return bytes(dumper_class(list, tx).upgrade(value, psycopg.adapt.PyFormat.TEXT).dump(value))


@pytest.mark.parametrize("value", [VALUES, [VALUES[:3], VALUES[3:6]], [], [None], ["\\\\\"\"\\"]])
def test_the_same_bytes_as_psycopgs_dumper(value: list[Any]) -> None:
    assert _dump(EscapingListDumper, value) == _dump(ListDumper, value)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_backend_uses_it_and_the_server_reads_the_same_values(db: Any) -> None:
    with connection.cursor() as cur:
        assert cur.connection.adapters.get_dumper(list, psycopg.adapt.PyFormat.AUTO) is EscapingListDumper
        cur.execute("SELECT %s::text[]", [VALUES])
        assert cur.fetchone()[0] == VALUES
