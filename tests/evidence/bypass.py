"""Test-only reset path for the append-only evidence tables (never installed outside the test database).

Migrations make the tables refuse UPDATE/DELETE (and TRUNCATE on PostgreSQL) with no way around it.
For the test database only, :func:`install` replaces that with a variant that yields while the bypass
is on, so that test teardown (flush/TRUNCATE) and the tamper tests, which play a DBA rewriting rows,
can run: on PostgreSQL the trigger honours the session setting ``app.audit_bypass`` (on for the test
connection, see settings/test.py); on SQLite it asks the connection function
``hrguard_test_evidence_bypass()``, registered on every test connection. :func:`enforced` switches the
bypass off to prove the refusal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created

TABLES = ("evidence_evidenceevent", "evidence_checkpoint")
_state = {"on": True}

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION evidence_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('app.audit_bypass', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'evidence log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

SQLITE_TRIGGER = """
CREATE TRIGGER {table}_no_{op} BEFORE {OP} ON {table} WHEN NOT hrguard_test_evidence_bypass()
BEGIN SELECT RAISE(ABORT, 'evidence log is append-only: {OP} on {table} refused'); END
"""


def _register(sender: Any = None, connection: Any = None, **kwargs: Any) -> None:
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function(
            "hrguard_test_evidence_bypass", 0, lambda: 1 if _state["on"] else 0, deterministic=False
        )


connection_created.connect(_register, dispatch_uid="hrguard-test-evidence-bypass")


def install() -> None:
    """Put the test-only variant in place (call once the test database is migrated)."""
    connection.ensure_connection()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(PG_FUNCTION)
        elif connection.vendor == "sqlite":
            _register(connection=connection)
            for table in TABLES:
                for op in ("update", "delete"):
                    cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
                    cur.execute(SQLITE_TRIGGER.format(table=table, op=op, OP=op.upper()))


@contextmanager
def enforced() -> Iterator[None]:
    """Inside this block the evidence tables refuse changes as in production (current connection)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET app.audit_bypass = 'off'")
        try:
            yield
        finally:
            if connection.is_usable():
                with connection.cursor() as cur:
                    cur.execute("SET app.audit_bypass = 'on'")
        return
    _state["on"] = False
    try:
        yield
    finally:
        _state["on"] = True
