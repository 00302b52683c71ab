"""Signed checkpoints: cover the log, prove inclusion, verify the signature, catch a forged root; an
RFC 3161 token is attached when a TSA is configured (a real TSA protocol server on 127.0.0.1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from hrguard.evidence import checkpoints, merkle, services, tasks
from hrguard.evidence.canonical import leaf_hash
from hrguard.evidence.models import Checkpoint, EvidenceEvent
from hrguard.evidence.offline import verify as offline
from hrguard.platform.pdf.keys import generate_tsa_pki
from tests.tsa_server import serve_tsa

from .test_package_helpers import build_case_package, rezip


def _append(world: Any, n: int) -> list[EvidenceEvent]:
    with transaction.atomic():
        return [services.record(world.company, world.users["hr"], "test.event", None, {"i": i}) for i in range(n)]


@pytest.mark.django_db
def test_checkpoint_covers_events_and_proofs_verify(world) -> None:
    events = _append(world, 13)
    cp = checkpoints.issue_for_company(world.company.pk)
    assert cp.tree_size == 13
    assert cp.root == merkle.root([leaf_hash(e.record.encode()) for e in events]).hex()
    root = bytes.fromhex(cp.root)
    for event in events:
        proof = [bytes.fromhex(h) for h in checkpoints.inclusion_proof(event, cp)]
        assert merkle.verify_inclusion(event.seq, cp.tree_size, leaf_hash(event.record.encode()), proof, root)
    assert checkpoints.verify_statement(cp.statement.encode(), bytes.fromhex(cp.signature), cp.certificate.encode())
    assert json.loads(cp.statement) == {
        "alg": "ES256", "company": world.company.pk, "issued_at": cp.issued_at, "root": cp.root,
        "tree_size": 13, "version": 2, "previous": None,
    }
    assert not cp.timestamp_token  # no TSA configured


@pytest.mark.django_db
def test_tampered_root_or_record_fails(world) -> None:
    events = _append(world, 6)
    cp = checkpoints.issue_for_company(world.company.pk)
    forged = cp.statement.replace(cp.root, "00" * 32).encode()
    assert not checkpoints.verify_statement(forged, bytes.fromhex(cp.signature), cp.certificate.encode())
    proof = [bytes.fromhex(h) for h in checkpoints.inclusion_proof(events[2], cp)]
    leaf = leaf_hash(events[2].record.encode())
    assert not merkle.verify_inclusion(2, cp.tree_size, leaf, proof, b"\x00" * 32)
    edited = leaf_hash(events[2].record.replace('"i":2', '"i":3').encode())
    assert not merkle.verify_inclusion(2, cp.tree_size, edited, proof, bytes.fromhex(cp.root))


@pytest.mark.django_db
def test_other_company_key_does_not_verify(world, other_world) -> None:
    _append(world, 2)
    cp = checkpoints.issue_for_company(world.company.pk)
    other = checkpoints.company_signer(other_world.company.pk).certificate_pem()
    assert not checkpoints.verify_statement(cp.statement.encode(), bytes.fromhex(cp.signature), other)


@pytest.mark.django_db
def test_issue_if_grown_and_covering(world) -> None:
    assert checkpoints.issue_if_grown(world.company.pk) is None  # empty log
    _append(world, 3)
    first = checkpoints.issue_if_grown(world.company.pk)
    assert first is not None and first.tree_size == 3
    assert first.own_events == 2  # evidence.checkpoint_issued + the admin's in-app notification
    assert checkpoints.issue_if_grown(world.company.pk) is None  # nothing new but its own events
    _append(world, 2)
    second = checkpoints.issue_if_grown(world.company.pk)
    assert second is not None and second.tree_size == 3 + 2 + 2
    assert checkpoints.covering(world.company.pk, 2) == first
    assert checkpoints.covering(world.company.pk, 4) == second
    assert checkpoints.covering(world.company.pk, 8) is None


@pytest.mark.django_db
def test_checkpoint_command_and_periodic_task(world, other_world, capsys) -> None:
    _append(world, 4)
    call_command("checkpoint", "--company", str(world.company.pk))
    out = capsys.readouterr().out
    assert "tree size 4" in out
    call_command("checkpoint", "--company", str(world.company.pk))
    assert "up to date" in capsys.readouterr().out
    _append(world, 1)
    with transaction.atomic():
        services.record(other_world.company, None, "test.event", None, {})
    tasks.checkpoint_all()  # Huey immediate mode in tests: runs now, enqueues one task per company
    sizes = {c.company_id: c.tree_size for c in Checkpoint.objects.order_by("tree_size")}
    assert sizes == {world.company.pk: 4 + 2 + 1, other_world.company.pk: 1}


@pytest.mark.parametrize("size", [*range(1, 34), 100, 257])
def test_batch_inclusion_proofs_equal_single_ones(size: int) -> None:
    leaves = [bytes([i % 256, i // 256]) * 16 for i in range(size)]
    root = merkle.root(leaves)
    indices = list(range(size))
    batch = merkle.inclusion_proofs(indices, leaves)
    for i in indices:
        assert batch[i] == merkle.inclusion_proof(i, leaves)
        assert offline.root_from_inclusion(i, size, leaves[i], batch[i]) == root


@pytest.fixture
def tsa_url() -> Iterator[str]:
    with serve_tsa(generate_tsa_pki("HRGuard 测试时间戳服务").signer) as url:
        yield url


@pytest.mark.django_db
def test_timestamped_checkpoint_in_package(world, settings, tsa_url: str) -> None:
    settings.HRGUARD_TSA_URL = tsa_url
    _append(world, 2)
    cp = checkpoints.issue_for_company(world.company.pk)
    assert cp.timestamp_token
    data = build_case_package(world)
    result = offline.verify_package(data)
    assert result.ok, offline.format_report(result, "x")
    ts = next(c for c in result.checks if c.en == "RFC 3161 timestamp")
    assert ts.status == "ok" and "HRGuard 测试时间戳服务" in ts.detail

    def resign(files: dict[str, bytes]) -> None:
        doc = json.loads(files["checkpoint.json"])
        other = checkpoints.Checkpoint.objects.filter(company=world.company).order_by("tree_size").first()
        doc["timestamp_token"] = other.timestamp_token  # a genuine token, but for another statement
        files["checkpoint.json"] = json.dumps(doc).encode()

    bad = offline.verify_package(rezip(data, resign))
    assert bad.first_failure is not None and bad.first_failure.en == "RFC 3161 timestamp"
    assert "other data" in bad.first_failure.detail


@pytest.mark.django_db
def test_checkpoint_leaves_the_database(world, settings, tsa_url: str, django_capture_on_commit_callbacks) -> None:
    """Exported to HRGUARD_CHECKPOINT_DIR with its RFC 3161 token, and queued to every administrator."""
    from hrguard.evidence import export
    from hrguard.notify.models import OutboxMessage

    settings.HRGUARD_TSA_URL = tsa_url
    _append(world, 3)
    with django_capture_on_commit_callbacks(execute=True):
        cp = checkpoints.issue_for_company(world.company.pk)
    doc = json.loads(export.latest_path(world.company.pk).read_text(encoding="utf-8"))
    assert doc["timestamp_token"] == cp.timestamp_token != ""
    assert doc["statement"] == cp.statement and doc["signature"] == cp.signature
    assert export.latest_path(world.company.pk).parent == settings.HRGUARD_CHECKPOINT_DIR
    messages = OutboxMessage.objects.filter(company=world.company, purpose=export.PURPOSE)
    assert {m.user_id for m in messages} == {world.users["admin"].pk}
    body = messages.first().body
    assert cp.root in body and cp.signature in body and "证据" in messages.first().subject
    issued = EvidenceEvent.objects.get(company=world.company, action="evidence.checkpoint_issued")
    assert json.loads(issued.record)["data"]["root"] == cp.root


@pytest.mark.django_db
def test_checkpoint_dir_must_not_be_the_database_directory(settings) -> None:
    from pathlib import Path

    from django.db import connection

    from hrguard.evidence.apps import checkpoint_dir_apart_from_database

    if connection.vendor != "sqlite":
        pytest.skip("the database directory is SQLite's")
    assert checkpoint_dir_apart_from_database() == []
    settings.HRGUARD_CHECKPOINT_DIR = Path(connection.settings_dict["NAME"]).parent
    assert [m.id for m in checkpoint_dir_apart_from_database()] == ["hrguard.E101"]
