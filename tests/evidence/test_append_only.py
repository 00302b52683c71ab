"""On PostgreSQL the evidence table refuses UPDATE, DELETE and TRUNCATE (trigger)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from hrguard.evidence import services
from hrguard.evidence.models import EvidenceEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's"),
]


def _event(world) -> EvidenceEvent:
    with transaction.atomic():
        return services.record(world.company, None, "test.append_only", None, {"n": 1})


def _without_bypass(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks, so TRUNCATE reaches the trigger
        cur.execute("SET LOCAL app.audit_bypass = 'off'")
        cur.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE evidence_evidenceevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM evidence_evidenceevent WHERE id = %s",
    ],
)
def test_update_and_delete_are_refused(world, sql) -> None:
    ev = _event(world)
    with pytest.raises(DatabaseError, match="append-only"):
        _without_bypass(sql, [ev.pk])
    assert EvidenceEvent.objects.get(pk=ev.pk).action == "test.append_only"


def test_orm_update_is_refused(world) -> None:
    ev = _event(world)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL app.audit_bypass = 'off'")
        with pytest.raises(DatabaseError), transaction.atomic():
            EvidenceEvent.objects.filter(pk=ev.pk).update(action="forged")


def test_truncate_is_refused(world) -> None:
    _event(world)
    with pytest.raises(DatabaseError, match="append-only"):
        _without_bypass("TRUNCATE evidence_evidenceevent CASCADE", [])
    assert EvidenceEvent.objects.filter(company=world.company).exists()
