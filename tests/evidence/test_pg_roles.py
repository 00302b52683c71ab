"""PostgreSQL: the application's role may only INSERT and SELECT the evidence tables — even when it was
granted everything on the schema, migrate takes UPDATE/DELETE/TRUNCATE back — it cannot disable the
triggers (not the owner) and has no bypass to switch on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connection

from hrguard.evidence import roles, services

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]
APP_ROLE = os.environ.get("HRGUARD_PG_APP_USER", "hrguard_app")


def _ensure_app_role() -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cur.fetchone() is None:
            try:
                cur.execute(f"CREATE ROLE {connection.ops.quote_name(APP_ROLE)} LOGIN")
            except DatabaseError as exc:  # a concurrent run created it, or we may not create roles
                cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
                if cur.fetchone() is None:
                    pytest.skip(f"cannot create the application role {APP_ROLE}: {exc}")


@pytest.fixture
def app(world) -> Iterator[Any]:
    """A connection as the application's role, after a careless ``GRANT ALL`` and then migrate's revoke."""
    import psycopg

    _ensure_app_role()
    db = connection.settings_dict["NAME"]
    role = connection.ops.quote_name(APP_ROLE)
    with connection.cursor() as cur:
        cur.execute(f"GRANT CONNECT ON DATABASE {connection.ops.quote_name(db)} TO {role}")
        cur.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cur.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO {role}")
        cur.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    revoked = roles.revoke_evidence_writes()
    assert ("evidence_evidenceevent", APP_ROLE) in revoked
    settings = connection.settings_dict
    conn = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, dbname=db, user=APP_ROLE, autocommit=True
    )
    try:
        yield conn
    finally:
        conn.close()
        with connection.cursor() as cur:
            cur.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
            cur.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}")


def _denied(conn: Any, sql: str, match: str) -> None:
    import psycopg

    with pytest.raises(psycopg.Error, match=match):
        conn.execute(sql)


def test_app_role_reads_and_appends_but_cannot_rewrite(world, app) -> None:
    from django.db import transaction

    with transaction.atomic():
        event = services.record(world.company, None, "test.role", None, {})
    assert app.execute("SELECT count(*) FROM evidence_evidenceevent").fetchone()[0] == 1
    app.execute(
        "INSERT INTO evidence_evidenceevent (company_id, seq, at, actor_name, action, subject_type, subject_id, "
        "record, hash, prev_hash) VALUES (%s, 99, now(), 'x', 'x', '', '', '{}', 'x', 'x')",
        [world.company.pk],
    )
    _denied(app, f"UPDATE evidence_evidenceevent SET action = 'forged' WHERE id = {event.pk}", "permission denied")
    _denied(app, f"DELETE FROM evidence_evidenceevent WHERE id = {event.pk}", "permission denied")
    _denied(app, "TRUNCATE evidence_evidenceevent CASCADE", "permission denied")
    _denied(app, "DELETE FROM evidence_checkpoint", "permission denied")
    _denied(app, "ALTER TABLE evidence_evidenceevent DISABLE TRIGGER ALL", "must be owner")
    _denied(app, "ALTER TABLE evidence_evidenceevent DISABLE TRIGGER evidence_append_only_row", "must be owner")
    _denied(app, "DROP TRIGGER evidence_append_only_row ON evidence_evidenceevent", "must be owner")
    _denied(app, "CREATE OR REPLACE FUNCTION evidence_append_only() RETURNS trigger AS $$ BEGIN RETURN NEW; END; "
                 "$$ LANGUAGE plpgsql", "must be owner|permission denied")
    app.execute("SET app.audit_bypass = 'on'")  # a session setting anyone may set: it switches nothing on
    _denied(app, f"UPDATE evidence_evidenceevent SET action = 'forged' WHERE id = {event.pk}", "permission denied")
    # other tables stay writable for the application
    app.execute(f"UPDATE evidence_chainhead SET size = size WHERE company_id = {world.company.pk}")
    assert app.execute(f"SELECT action FROM evidence_evidenceevent WHERE id = {event.pk}").fetchone()[0] == "test.role"


def test_deploy_check_flags_an_owner_or_superuser_connection(world) -> None:
    problems = roles.runtime_role_problems()
    assert problems, "the test suite connects as the tables' owner: the deploy check must say so"
    assert any("owns evidence_evidenceevent" in p or "superuser" in p for p in problems)
