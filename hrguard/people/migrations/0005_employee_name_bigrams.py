"""PostgreSQL only: a GIN index on the employee name's character pairs (bigrams), for "name contains"
searches of exactly two characters — a two-character Chinese name is common, and pg_trgm (migration
0003) extracts no trigram from a two-character pattern, so without this such a search tests every row
of the company. ``hrguard_bigrams(text)`` is IMMUTABLE so that it can be indexed; the search
(``selectors.search_q``) asks ``hrguard_bigrams(name) @> ARRAY['王芳']`` and keeps ``LIKE`` for
exactness. SQLite: nothing (it has its own strategy in ``search_q``)."""

from django.db import migrations

FUNCTION = "hrguard_bigrams"
INDEX = "employee_name_bigrams"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}(value text) RETURNS text[] "  # noqa: S608 - constants only
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
        "$$ SELECT ARRAY(SELECT DISTINCT substr(value, i, 2) FROM generate_series(1, length(value) - 1) AS i) $$"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_employee USING gin ({FUNCTION}(name))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_address_encrypted_employee_no_normalised"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
