"""PostgreSQL: SignalValue partitioned by company (``PARTITION BY LIST (company_id)``), one UNLOGGED partition
per company created by its first scan (``risk/partitions.py``). A scan that recomputes most of a company's
months writes its rows into a fresh unindexed table, builds the primary key once and swaps the table in as
the company's partition: a b-tree built from sorted keys instead of ~2 M single-key insertions.

A partitioned table has no storage of its own and cannot be UNLOGGED itself (PostgreSQL 15); its partitions
are, like MaterialisedMonth, so a crash still empties both together. The rows are derived data: the table
is created again, and the months marked materialised are forgotten so that the next scan recomputes them.
Django's state does not change (same fields, same composite primary key). SQLite: nothing to do."""

from django.db import migrations

CREATE = (
    'CREATE TABLE "risk_signalvalue" ('
    '"signal" varchar(60) COLLATE "C" NOT NULL, "month" date NOT NULL, "value" double precision NOT NULL, '
    '"company_id" bigint NOT NULL, "employee_id" bigint NOT NULL, '
    'CONSTRAINT "risk_signalvalue_pkey" PRIMARY KEY (company_id, signal, month, employee_id))'
)


def _forget_months(apps):
    apps.get_model("risk", "MaterialisedMonth").objects.all().delete()


def partitioned(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _forget_months(apps)
    schema_editor.execute('DROP TABLE "risk_signalvalue"')
    schema_editor.execute(CREATE + " PARTITION BY LIST (company_id)")


def single_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _forget_months(apps)
    schema_editor.execute('DROP TABLE "risk_signalvalue"')  # its partitions go with it
    schema_editor.execute(CREATE.replace("CREATE TABLE", "CREATE UNLOGGED TABLE"))


class Migration(migrations.Migration):

    dependencies = [("risk", "0005_signal_value_composite_pk_unlogged")]

    operations = [migrations.RunPython(partitioned, single_table)]
