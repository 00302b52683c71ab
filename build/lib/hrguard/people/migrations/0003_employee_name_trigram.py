"""PostgreSQL only: a pg_trgm GIN index on the employee name, so that a "name contains" search of three
or more characters is an index lookup instead of a walk through the whole roster. SQLite: nothing."""

from django.db import DatabaseError, migrations

INDEX = "employee_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        installed = cursor.fetchone() is not None
    if not installed:
        try:
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as exc:
            raise RuntimeError(
                "HRGuard needs the PostgreSQL extension pg_trgm (in the standard contrib package) for fast "
                "name search, and this database user may not create it. Ask the database administrator to "
                "run, as a superuser, in this database:  CREATE EXTENSION pg_trgm;  then migrate again. "
                f"(PostgreSQL said: {exc})"
            ) from exc
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_employee USING gin (name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0002_lifecycle_json_encoder"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
