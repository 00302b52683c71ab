"""``evidence.services.batched``: the events of one state change appended together at the end of the block,
in order, still in the change's transaction; an event recorded in a savepoint that was rolled back is
dropped with it; nothing is written when the block raises; the chain verifies."""

from __future__ import annotations

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hrguard.evidence import services, verify
from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db


def _actions(world) -> list[str]:
    return list(EvidenceEvent.objects.filter(company=world.company).order_by("seq").values_list("action", flat=True))


def test_a_batch_writes_its_events_in_order_with_one_head_lock(world):
    hr, admin = world.users["hr"], world.users["admin"]
    with transaction.atomic():
        services.record(world.company, hr, "test.warm", None, {})  # the chain head exists
    with CaptureQueriesContext(connection) as ctx, transaction.atomic(), services.batched():
        for i in range(10):
            event = services.record(world.company, hr, "test.batched", world.employees["east_rep"], {"i": i})
            assert event.pk is None  # written when the block ends
        services.record(world.company, admin, "test.other_actor", None, {"i": 10})
        assert EvidenceEvent.objects.filter(action="test.batched").count() == 0
    writes = [q["sql"] for q in ctx.captured_queries if "evidence_" in q["sql"] and "COUNT(" not in q["sql"]]
    assert len(writes) == 6, writes  # per run of one actor: head lock, insert, head update
    assert _actions(world) == ["test.warm"] + ["test.batched"] * 10 + ["test.other_actor"]
    rows = EvidenceEvent.objects.filter(action="test.batched").order_by("seq")
    assert [json.loads(r.record)["data"]["i"] for r in rows] == list(range(10))
    assert EvidenceEvent.objects.get(action="test.other_actor").actor_id == admin.pk
    assert verify.verify_company(world.company.pk).ok


def test_a_rolled_back_savepoint_takes_its_batched_events_with_it(world):
    hr = world.users["hr"]
    with transaction.atomic(), services.batched():
        services.record(world.company, hr, "test.kept", None, {})
        try:
            with transaction.atomic():
                services.record(world.company, hr, "test.undone", None, {})
                raise RuntimeError("the inner change fails")
        except RuntimeError:
            pass
        with transaction.atomic():
            services.record(world.company, hr, "test.released", None, {})
    assert _actions(world) == ["test.kept", "test.released"]
    assert verify.verify_company(world.company.pk).ok


def test_a_block_that_raises_writes_nothing(world):
    with pytest.raises(ValueError), transaction.atomic(), services.batched():
        services.record(world.company, world.users["hr"], "test.never", None, {})
        raise ValueError("refused")
    assert not EvidenceEvent.objects.filter(action="test.never").exists()


def test_data_is_taken_when_recorded_not_when_written(world):
    data = {"state": "before"}
    with transaction.atomic(), services.batched():
        services.record(world.company, world.users["hr"], "test.snapshot", None, data)
        data["state"] = "after"
    assert json.loads(EvidenceEvent.objects.get(action="test.snapshot").record)["data"] == {"state": "before"}

