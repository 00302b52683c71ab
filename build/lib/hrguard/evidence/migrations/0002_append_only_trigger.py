"""PostgreSQL: refuse UPDATE/DELETE/TRUNCATE on the evidence log (append-only).

The trigger yields only where the session setting ``app.audit_bypass`` is 'on' — set solely in the test
database's connection options so that test teardown can truncate; production never sets it."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION evidence_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('app.audit_bypass', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'evidence log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS evidence_append_only_row ON evidence_evidenceevent;
CREATE TRIGGER evidence_append_only_row BEFORE UPDATE OR DELETE ON evidence_evidenceevent
    FOR EACH ROW EXECUTE FUNCTION evidence_append_only();
DROP TRIGGER IF EXISTS evidence_append_only_truncate ON evidence_evidenceevent;
CREATE TRIGGER evidence_append_only_truncate BEFORE TRUNCATE ON evidence_evidenceevent
    FOR EACH STATEMENT EXECUTE FUNCTION evidence_append_only();
"""

UNDO = """
DROP TRIGGER IF EXISTS evidence_append_only_row ON evidence_evidenceevent;
DROP TRIGGER IF EXISTS evidence_append_only_truncate ON evidence_evidenceevent;
DROP FUNCTION IF EXISTS evidence_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNDO, params=None)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
