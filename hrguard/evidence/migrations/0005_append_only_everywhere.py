"""The evidence log and its checkpoints are append-only on every database, with no bypass.

PostgreSQL: the trigger function no longer honours any session setting (``app.audit_bypass`` let any
role that could connect switch it off); both tables refuse UPDATE, DELETE and TRUNCATE, and PUBLIC
holds none of those privileges (apps.revoke_evidence_writes also takes them from every other role at
each migrate). Only the tables' owner — the role migrations run as, never the application's — could
disable the triggers. SQLite: triggers refuse UPDATE and DELETE.

The test suite's reset path (tests/evidence/bypass.py) replaces these in the test database only."""

from django.db import migrations

TABLES = ("evidence_evidenceevent", "evidence_checkpoint")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION evidence_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'evidence log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PG_TRIGGERS = """
DROP TRIGGER IF EXISTS evidence_append_only_row ON {table};
CREATE TRIGGER evidence_append_only_row BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION evidence_append_only();
DROP TRIGGER IF EXISTS evidence_append_only_truncate ON {table};
CREATE TRIGGER evidence_append_only_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION evidence_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM PUBLIC;
"""

SQLITE_TRIGGERS = """
DROP TRIGGER IF EXISTS {table}_no_update;
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, 'evidence log is append-only: UPDATE on {table} refused'); END;
DROP TRIGGER IF EXISTS {table}_no_delete;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, 'evidence log is append-only: DELETE on {table} refused'); END;
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)
        for table in TABLES:
            schema_editor.execute(PG_TRIGGERS.format(table=table), params=None)
    elif vendor == "sqlite":
        with schema_editor.connection.cursor() as cur:
            for table in TABLES:
                for statement in SQLITE_TRIGGERS.format(table=table).split(";\n"):
                    if statement.strip():
                        cur.execute(statement)
    # other databases: unsupported by HRGuard


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS evidence_append_only_row ON evidence_checkpoint; "
            "DROP TRIGGER IF EXISTS evidence_append_only_truncate ON evidence_checkpoint;",
            params=None,
        )
    elif vendor == "sqlite":
        with schema_editor.connection.cursor() as cur:
            for table in TABLES:
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


class Migration(migrations.Migration):
    dependencies = [("evidence", "0004_checkpoint_links")]
    operations = [migrations.RunPython(forward, backward)]
