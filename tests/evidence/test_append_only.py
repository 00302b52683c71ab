"""The evidence tables refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on SQLite and PostgreSQL;
the migration's own triggers have no bypass at all — only the test database's reset path does."""

from __future__ import annotations

import importlib

import pytest
from django.db import DatabaseError, connection, transaction

from hrguard.evidence import checkpoints, services
from hrguard.evidence.models import Checkpoint, EvidenceEvent

from . import bypass

pytestmark = pytest.mark.django_db
migration = importlib.import_module("hrguard.evidence.migrations.0005_append_only_everywhere")


def _event(world) -> EvidenceEvent:
    with transaction.atomic():
        return services.record(world.company, None, "test.append_only", None, {"n": 1})


def _refused(sql: str, params: list) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks, so TRUNCATE reaches the trigger
        cur.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE evidence_evidenceevent SET action = 'forged' WHERE id = %s",
        "UPDATE evidence_evidenceevent SET employee_id = NULL WHERE id = %s",
        "DELETE FROM evidence_evidenceevent WHERE id = %s",
    ],
)
def test_update_and_delete_are_refused(world, sql) -> None:
    ev = _event(world)
    with bypass.enforced():
        _refused(sql, [ev.pk])
    assert EvidenceEvent.objects.get(pk=ev.pk).action == "test.append_only"


def test_checkpoints_are_append_only_too(world) -> None:
    _event(world)
    cp = checkpoints.issue_for_company(world.company.pk)
    with bypass.enforced():
        _refused("UPDATE evidence_checkpoint SET root = %s WHERE id = %s", ["00" * 32, cp.pk])
        _refused("DELETE FROM evidence_checkpoint WHERE id = %s", [cp.pk])
    assert Checkpoint.objects.get(pk=cp.pk).root == cp.root


def test_orm_update_and_delete_are_refused(world) -> None:
    ev = _event(world)
    with bypass.enforced():
        with pytest.raises(DatabaseError), transaction.atomic():
            EvidenceEvent.objects.filter(pk=ev.pk).update(action="forged")
        with pytest.raises(DatabaseError), transaction.atomic():
            EvidenceEvent.objects.filter(pk=ev.pk).delete()
    assert EvidenceEvent.objects.filter(pk=ev.pk, action="test.append_only").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused(world) -> None:
    _event(world)
    with bypass.enforced():
        _refused("TRUNCATE evidence_evidenceevent CASCADE", [])
    assert EvidenceEvent.objects.filter(company=world.company).exists()


def test_the_migrations_triggers_have_no_bypass(world) -> None:
    """Put the migration's triggers back (inside a transaction rolled back afterwards): with the bypass
    switch on — the PostgreSQL session setting the old trigger obeyed — changes are still refused."""
    ev = _event(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute(migration.PG_FUNCTION)
                cur.execute("SET LOCAL app.audit_bypass = 'on'")
            else:
                for table in migration.TABLES:
                    for statement in migration.SQLITE_TRIGGERS.format(table=table).split(";\n"):
                        if statement.strip():
                            cur.execute(statement)
            cur.execute("UPDATE evidence_evidenceevent SET action = 'forged' WHERE id = %s", [ev.pk])
    assert EvidenceEvent.objects.get(pk=ev.pk).action == "test.append_only"
    # and the test reset path is back once that transaction rolled back
    EvidenceEvent.objects.filter(pk=ev.pk).update(action="reset-path")
