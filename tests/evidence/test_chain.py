"""The evidence log: written in the change's transaction, verifiable, and tampering is found."""

from __future__ import annotations

import itertools
import json

import pytest
from django.db import connection, transaction

from hrguard.evidence import services, verify
from hrguard.evidence.canonical import GENESIS, canonical_bytes, record_hash
from hrguard.evidence.models import ChainHead, EvidenceEvent


def _append(world, n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            services.record(
                world.company, world.users["hr"], "test.event", world.employees["east_rep"], {"i": i, "名": "张测试"}
            )


@pytest.mark.django_db
def test_chain_links_and_verifies(world) -> None:
    _append(world, 5)
    events = list(EvidenceEvent.objects.filter(company=world.company).order_by("seq"))
    assert [e.seq for e in events] == list(range(5))
    assert events[0].prev_hash == GENESIS
    for prev, cur in itertools.pairwise(events):
        assert cur.prev_hash == prev.hash
        assert json.loads(cur.record)["prev"] == prev.hash
    for e in events:
        assert record_hash(e.record.encode()) == e.hash
        rec = json.loads(e.record)
        assert canonical_bytes(rec) == e.record.encode()  # stored text is canonical
        assert rec["actor"]["name"] == "acme-hr"
        assert rec["data"]["名"] == "张测试"
    report = verify.verify_company(world.company.pk)
    assert report.ok and report.checked == 5


@pytest.mark.django_db(transaction=True)
def test_evidence_outside_transaction_is_refused(world) -> None:
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match="inside the transaction"):
        services.record(world.company, None, "bad.outside", None, {})
    with transaction.atomic():
        services.record(world.company, None, "ok.inside", None, {})
    assert EvidenceEvent.objects.filter(company=world.company).count() == 1


@pytest.mark.django_db
def test_rolled_back_change_leaves_no_evidence(world) -> None:
    before = EvidenceEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        services.record(world.company, None, "doomed", None, {})
        1 / 0  # noqa: B018
    assert EvidenceEvent.objects.count() == before
    assert verify.verify_company(world.company.pk).ok


def _tamper(sql: str, params: list) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL app.audit_bypass = 'on'")
        cur.execute(sql, params)


@pytest.mark.django_db
def test_edited_record_is_found(world) -> None:
    _append(world, 6)
    ev = EvidenceEvent.objects.get(company=world.company, seq=3)
    forged = ev.record.replace('"i":3', '"i":30')
    _tamper(f"UPDATE {EvidenceEvent._meta.db_table} SET record = %s WHERE id = %s", [forged, ev.pk])
    report = verify.verify_company(world.company.pk)
    assert not report.ok
    assert report.first_broken_seq == 3
    assert "hash" in report.reason


@pytest.mark.django_db
def test_rehashed_record_breaks_the_next_link(world) -> None:
    _append(world, 6)
    ev = EvidenceEvent.objects.get(company=world.company, seq=2)
    forged = ev.record.replace('"i":2', '"i":20')
    _tamper(
        f"UPDATE {EvidenceEvent._meta.db_table} SET record = %s, hash = %s WHERE id = %s",
        [forged, record_hash(forged.encode()), ev.pk],
    )
    report = verify.verify_company(world.company.pk)
    assert not report.ok and report.first_broken_seq == 3


@pytest.mark.django_db
def test_deleted_record_is_found(world) -> None:
    _append(world, 6)
    ev = EvidenceEvent.objects.get(company=world.company, seq=4)
    _tamper(f"DELETE FROM {EvidenceEvent._meta.db_table} WHERE id = %s", [ev.pk])
    report = verify.verify_company(world.company.pk)
    assert not report.ok and report.first_broken_seq == 4


@pytest.mark.django_db
def test_truncated_tail_is_found_through_the_chain_head(world) -> None:
    _append(world, 4)
    ev = EvidenceEvent.objects.get(company=world.company, seq=3)
    _tamper(f"DELETE FROM {EvidenceEvent._meta.db_table} WHERE id = %s", [ev.pk])
    report = verify.verify_company(world.company.pk)
    assert not report.ok and "truncated" in report.reason
    assert ChainHead.objects.get(company=world.company).size == 4


@pytest.mark.django_db
def test_companies_have_separate_chains(world, other_world) -> None:
    _append(world, 2)
    with transaction.atomic():
        services.record(other_world.company, None, "x", None, {})
    assert EvidenceEvent.objects.get(company=other_world.company).seq == 0
    assert all(r.ok for r in verify.verify_all())


@pytest.mark.django_db
def test_verify_command_reports_break(world, capsys) -> None:
    from django.core.management import CommandError, call_command

    _append(world, 3)
    call_command("verify")
    assert "OK, 3 events" in capsys.readouterr().out
    ev = EvidenceEvent.objects.get(company=world.company, seq=1)
    _tamper(f"UPDATE {EvidenceEvent._meta.db_table} SET record = %s WHERE id = %s", [ev.record + " ", ev.pk])
    with pytest.raises(CommandError):
        call_command("verify")
    assert "BROKEN at event #1" in capsys.readouterr().out
