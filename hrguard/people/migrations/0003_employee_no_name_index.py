"""Roster name search: an index on (company, employee_no, name) lets "name contains … ORDER BY
employee_no LIMIT 51" walk the index in list order and test the name without reading each wide row
(SQLite: about 30 → 20 ms CPU for a rare name among 100,000 employees; see bench/README.md).

Raw SQL (valid on SQLite and PostgreSQL) so that the model state is unchanged: the index is a
performance detail of the list query, not part of the model."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("people", "0002_lifecycle_json_encoder")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS employee_no_name ON people_employee (company_id, employee_no, name)",
            reverse_sql="DROP INDEX IF EXISTS employee_no_name",
        )
    ]
