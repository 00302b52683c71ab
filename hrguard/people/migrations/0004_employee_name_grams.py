"""Name pieces for name search (``EmployeeNameGram``): the table, the triggers that keep it, a backfill.

Triggers rather than Python: every path that writes employees (forms, imports, the bulk generator, raw
SQL) keeps the pieces right without knowing about them. SQLite builds the pieces with ``substr`` over
``json_each`` of the positions 1..99 (names have at most 100 characters; SQLite triggers allow no CTE),
PostgreSQL with ``generate_series``."""

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

PG = [
    """CREATE OR REPLACE FUNCTION people_employee_grams() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM people_employeenamegram WHERE employee_id = OLD.id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO people_employeenamegram (company_id, employee_id, gram)
            SELECT DISTINCT NEW.company_id, NEW.id, substr(NEW.name, p, 2)
            FROM generate_series(1, char_length(NEW.name) - 1) AS p;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER people_employee_grams AFTER INSERT OR DELETE OR UPDATE OF name, company_id
        ON people_employee FOR EACH ROW EXECUTE FUNCTION people_employee_grams()""",
    """INSERT INTO people_employeenamegram (company_id, employee_id, gram)
        SELECT DISTINCT e.company_id, e.id, substr(e.name, p, 2)
        FROM people_employee AS e, generate_series(1, char_length(e.name) - 1) AS p""",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS people_employee_grams ON people_employee",
    "DROP FUNCTION IF EXISTS people_employee_grams()",
]


def create(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": PG}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql.replace(":positions:", POSITIONS))


def drop(apps, schema_editor):
    statements = {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_initial"),
        ("people", "0003_employee_name_trigram"),
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
