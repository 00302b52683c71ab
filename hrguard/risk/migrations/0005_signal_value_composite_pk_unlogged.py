"""SignalValue: the natural key (company, signal, month, employee) as its primary key instead of a surrogate
``id`` plus a unique index (one index to maintain on the ~2 M rows a full scan of 100,000 people writes);
on PostgreSQL SignalValue and MaterialisedMonth UNLOGGED (no WAL for derived data; a crash empties both
together, and the next scan recomputes every month), and the signal column compared bytewise (``COLLATE
"C"``; Django's state does not know it, an AlterField of that column would set the default again).

Django cannot change a table's primary key to a composite one, so the table is dropped and created again:
its rows are derived data, and the months marked materialised are forgotten with them so that the next
scan recomputes all of them (a month is never marked without its values)."""

import django.db.models.deletion
from django.db import migrations, models

DERIVED = ("risk_signalvalue", "risk_materialisedmonth")


def forget_months(apps, schema_editor):
    apps.get_model("risk", "MaterialisedMonth").objects.all().delete()


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in DERIVED:
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET UNLOGGED")
        # The signal names are ASCII identifiers compared for equality only: bytewise ("C") instead of the
        # database's locale makes each of the primary key's comparisons a memcmp, not a strcoll.
        schema_editor.execute('ALTER TABLE "risk_signalvalue" ALTER COLUMN "signal" TYPE varchar(60) COLLATE "C"')


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "risk_signalvalue" ALTER COLUMN "signal" TYPE varchar(60) COLLATE "default"')
        for table in DERIVED:
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET LOGGED")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_localwage"),
        ("people", "0007_workbench_indexes"),
        ("risk", "0004_scan_run"),
    ]

    operations = [
        migrations.RunPython(forget_months, migrations.RunPython.noop),
        migrations.DeleteModel(name="SignalValue"),
        migrations.CreateModel(
            name="SignalValue",
            fields=[
                ("pk", models.CompositePrimaryKey("company", "signal", "month", "employee", blank=True,
                                                  editable=False, primary_key=True, serialize=False)),
                ("signal", models.CharField(max_length=60)),
                ("month", models.DateField()),
                ("value", models.FloatField()),
                ("company", models.ForeignKey(db_constraint=False, db_index=False,
                                              on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                              to="core.company")),
                ("employee", models.ForeignKey(db_constraint=False, db_index=False,
                                               on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                               to="people.employee")),
            ],
        ),
        migrations.RunPython(unlogged, logged),
    ]
