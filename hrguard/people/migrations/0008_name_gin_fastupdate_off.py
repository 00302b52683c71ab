"""PostgreSQL only: the two name-search GIN indexes (pg_trgm, migration 0003; bigrams, migration 0005)
without GIN's "fast update" pending list.

With fast update on (PostgreSQL's default), new entries go to an unsorted pending list that every search
reads in full until a vacuum (or the list reaching ``gin_pending_list_limit``, 4 MB) merges it into the
index. On a roster of 100,000 loaded in bulk the list held 360 pages (41,584 entries) of the trigram index
and 377 pages of the bigram one: a three-character name search read 375 buffers and took 3–8 ms of the
server's CPU, against 15 buffers and 0.3 ms once merged. Without the list, each inserted or renamed
employee updates the index at once (measured: +28–36 µs a row, e.g. +0.7 s for a 20,000-row import, which
runs in the background worker), and a search never depends on when autovacuum last ran.

The existing pending lists are merged here (``gin_clean_pending_list``). SQLite: nothing."""

from django.db import migrations

INDEXES = ("employee_name_trgm", "employee_name_bigrams")


def fastupdate_off(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])


def fastupdate_on(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_workbench_indexes"),
    ]

    operations = [
        migrations.RunPython(fastupdate_off, fastupdate_on, elidable=False),
    ]
