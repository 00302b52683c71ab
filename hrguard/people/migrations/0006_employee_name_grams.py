"""Name pieces for name search (``EmployeeNameGram``): the table, the triggers that keep it, a backfill.

Triggers rather than Python: every path that writes employees (forms, imports, the bulk generator, raw
SQL) keeps the pieces right without knowing about them. The pieces are built with ``substr`` over
``json_each`` of the positions 1..99 (names have at most 100 characters; SQLite triggers allow no CTE).
SQLite only: PostgreSQL answers name searches from its own indexes (pg_trgm, migration 0003; the bigram
GIN index, 0005), so there the table stays empty and no trigger costs a write."""

import django.db.models.deletion
from django.db import migrations, models

# SQLite: json_each over the positions 1..99 stands for a series (substituted for :positions: below).
POSITIONS = "[" + ",".join(str(i) for i in range(1, 100)) + "]"

SQLITE = [
    """CREATE TRIGGER people_employee_grams_insert AFTER INSERT ON people_employee BEGIN
        INSERT INTO people_employeenamegram (company_id, employee_id, gram)
        SELECT DISTINCT NEW.company_id, NEW.id, substr(NEW.name, p.value, 2)
        FROM json_each(':positions:') AS p WHERE p.value < length(NEW.name);
    END""",
    """CREATE TRIGGER people_employee_grams_update AFTER UPDATE OF name, company_id ON people_employee BEGIN
        DELETE FROM people_employeenamegram WHERE employee_id = OLD.id;
        INSERT INTO people_employeenamegram (company_id, employee_id, gram)
        SELECT DISTINCT NEW.company_id, NEW.id, substr(NEW.name, p.value, 2)
        FROM json_each(':positions:') AS p WHERE p.value < length(NEW.name);
    END""",
    """CREATE TRIGGER people_employee_grams_delete AFTER DELETE ON people_employee BEGIN
        DELETE FROM people_employeenamegram WHERE employee_id = OLD.id;
    END""",
    """INSERT INTO people_employeenamegram (company_id, employee_id, gram)
        SELECT DISTINCT e.company_id, e.id, substr(e.name, p.value, 2)
        FROM people_employee AS e, json_each(':positions:') AS p WHERE p.value < length(e.name)""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS people_employee_grams_insert",
    "DROP TRIGGER IF EXISTS people_employee_grams_update",
    "DROP TRIGGER IF EXISTS people_employee_grams_delete",
]

def create(apps, schema_editor):
    statements = SQLITE if schema_editor.connection.vendor == "sqlite" else []
    for sql in statements:
        schema_editor.execute(sql.replace(":positions:", POSITIONS))


def drop(apps, schema_editor):
    statements = SQLITE_DROP if schema_editor.connection.vendor == "sqlite" else []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_initial"),
        ("people", "0005_employee_name_bigrams"),
    ]

    operations = [
        migrations.CreateModel(
            name="EmployeeNameGram",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("gram", models.CharField(max_length=2)),
                (
                    "company",
                    models.ForeignKey(
                        db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+", to="core.company",
                    ),
                ),
                (
                    "employee",
                    models.ForeignKey(
                        db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                        to="people.employee",
                    ),
                ),
            ],
            options={
                "default_permissions": (),
                "indexes": [models.Index(fields=["company", "gram", "employee"], name="employee_name_gram")],
            },
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
