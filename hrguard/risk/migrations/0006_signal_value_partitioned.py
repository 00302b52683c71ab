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


# The partitions are managed at scan time by the application's role, which may not create, drop or attach
# tables (scripts/pg_roles.sh: it owns nothing and has no CREATE on the schema). These functions run as their
# owner, the role migrations run as (SECURITY DEFINER, a fixed search_path), and do only this: a company's
# partition (by its integer id, under one of two names), its unindexed successor, and the swap.
FUNCTIONS = r"""
CREATE FUNCTION hrguard_risk_partition_names(company bigint, OUT current text, OUT other text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  a text := format('risk_signalvalue_c%s', company);
  b text := format('risk_signalvalue_c%s_b', company);
BEGIN
  SELECT c.relname INTO current FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = 'public.risk_signalvalue'::regclass AND c.relname IN (a, b);
  other := CASE WHEN current = a THEN b ELSE a END;
END $$;

CREATE FUNCTION hrguard_risk_partition(company bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE n record;
BEGIN
  SELECT * INTO n FROM hrguard_risk_partition_names(company);
  IF n.current IS NOT NULL THEN RETURN n.current; END IF;
  EXECUTE format('CREATE UNLOGGED TABLE public.%I PARTITION OF public.risk_signalvalue FOR VALUES IN (%s)',
                 n.other, company);
  RETURN n.other;
END $$;

CREATE FUNCTION hrguard_risk_rebuild_start(company bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE n record;
BEGIN
  SELECT * INTO n FROM hrguard_risk_partition_names(company);
  EXECUTE format('DROP TABLE IF EXISTS public.%I', n.other);
  EXECUTE format('CREATE UNLOGGED TABLE public.%I (LIKE public.risk_signalvalue, '
                 'CONSTRAINT %I CHECK (company_id = %s))', n.other, n.other || '_company', company);
  RETURN n.other;
END $$;

CREATE FUNCTION hrguard_risk_rebuild_finish(company bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
SET maintenance_work_mem = '256MB' AS $$
DECLARE n record;
BEGIN
  SELECT * INTO n FROM hrguard_risk_partition_names(company);
  IF to_regclass(format('public.%I', n.other)) IS NULL THEN
    RAISE EXCEPTION 'no rebuilt table for company %', company;
  END IF;
  EXECUTE format('ALTER TABLE public.%I ADD CONSTRAINT %I PRIMARY KEY (company_id, signal, month, employee_id)',
                 n.other, n.other || '_pkey');
  IF n.current IS NOT NULL THEN
    EXECUTE format('DROP TABLE public.%I', n.current);
  END IF;
  EXECUTE format('ALTER TABLE public.risk_signalvalue ATTACH PARTITION public.%I FOR VALUES IN (%s)',
                 n.other, company);
  EXECUTE format('ANALYZE public.%I', n.other);
  RETURN n.other;
END $$;
"""
DROP_FUNCTIONS = " ".join(f"DROP FUNCTION IF EXISTS {name}(bigint);" for name in (
    "hrguard_risk_rebuild_finish", "hrguard_risk_rebuild_start", "hrguard_risk_partition",
    "hrguard_risk_partition_names"))


def _forget_months(apps):
    apps.get_model("risk", "MaterialisedMonth").objects.all().delete()


def partitioned(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _forget_months(apps)
    schema_editor.execute('DROP TABLE "risk_signalvalue"')
    schema_editor.execute(CREATE + " PARTITION BY LIST (company_id)")
    with schema_editor.connection.cursor() as cur:
        cur.execute(FUNCTIONS)  # no parameters: the %s are format()'s


def single_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _forget_months(apps)
    with schema_editor.connection.cursor() as cur:
        cur.execute(DROP_FUNCTIONS)
    schema_editor.execute('DROP TABLE "risk_signalvalue"')  # its partitions go with it
    schema_editor.execute(CREATE.replace("CREATE TABLE", "CREATE UNLOGGED TABLE"))


class Migration(migrations.Migration):

    dependencies = [("risk", "0005_signal_value_composite_pk_unlogged")]

    operations = [migrations.RunPython(partitioned, single_table)]
