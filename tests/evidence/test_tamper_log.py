"""Tampering with the stored log as a DBA would (the test database's reset path lets these tests write
the rows): every case is named by ``hrguard verify`` and refused by ``hrguard checkpoint``."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from hrguard.evidence import checkpoints, export, services
from hrguard.evidence.canonical import canonical_bytes, record_hash
from hrguard.evidence.models import ChainHead, Checkpoint, EvidenceEvent
from hrguard.evidence.verify import verify_company

pytestmark = pytest.mark.django_db


def _append(world: Any, n: int, employee: Any = None) -> list[EvidenceEvent]:
    with transaction.atomic():
        return [
            services.record(world.company, world.users["hr"], "test.event", employee, {"i": i}, employee=employee)
            for i in range(n)
        ]


def _verify(*args: str) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("verify", *args, stdout=out)
    return out.getvalue() + str(exc.value)


def _checkpoint_refused(world: Any) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="no checkpoint issued"):
        call_command("checkpoint", "--company", str(world.company.pk), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def _rewind(world: Any, keep: int) -> None:
    """Delete every event from ``keep`` on and point the chain head at the last one kept."""
    EvidenceEvent.objects.filter(company=world.company, seq__gte=keep).delete()
    last = EvidenceEvent.objects.get(company=world.company, seq=keep - 1)
    ChainHead.objects.filter(company=world.company).update(size=keep, last_hash=last.hash)


def _rewrite_from(world: Any, seq: int, data: dict[str, Any]) -> None:
    """Replace event ``seq``'s data and re-hash it and every later event: a chain that links again."""
    rows = list(EvidenceEvent.objects.filter(company=world.company, seq__gte=seq).order_by("seq"))
    prev = rows[0].prev_hash
    for row in rows:
        record = json.loads(row.record)
        if row.seq == seq:
            record["data"] = data
        record["prev"] = prev
        raw = canonical_bytes(record)
        row.record, row.prev_hash, row.hash = raw.decode(), prev, record_hash(raw)
        EvidenceEvent.objects.filter(pk=row.pk).update(record=row.record, prev_hash=prev, hash=row.hash)
        prev = row.hash
    ChainHead.objects.filter(company=world.company).update(last_hash=prev)


def test_truncation_with_rewound_head_names_the_checkpoint(world) -> None:
    _append(world, 6)
    cp = checkpoints.issue_for_company(world.company.pk)
    assert verify_company(world.company.pk).ok
    _rewind(world, 4)
    report = verify_company(world.company.pk)
    assert not report.ok
    assert f"checkpoint #{cp.pk} (tree size 6" in report.reason and "holds only 4" in report.reason
    out = _verify()
    assert f"CONTRADICTED checkpoint #{cp.pk}" in out and "chain head rewound" in out
    assert f"checkpoint #{cp.pk}" in _checkpoint_refused(world)
    assert Checkpoint.objects.filter(company=world.company).count() == 1  # nothing signed over it
    with pytest.raises(checkpoints.HistoryConflict):
        checkpoints.issue_for_company(world.company.pk)  # --force takes the same guard


def test_rewritten_history_names_the_checkpoint(world) -> None:
    _append(world, 5)
    cp = checkpoints.issue_for_company(world.company.pk)
    _append(world, 2)
    _rewrite_from(world, 2, {"i": "forged"})
    report = verify_company(world.company.pk)
    assert not report.ok and report.first_broken_seq is None  # the chain itself links again
    assert f"checkpoint #{cp.pk}" in report.reason and "history rewritten" in report.reason
    assert "history rewritten" in _verify("--company", str(world.company.pk))
    _checkpoint_refused(world)


def test_a_later_checkpoint_is_checked_against_the_earlier_one(world) -> None:
    _append(world, 3)
    first = checkpoints.issue_for_company(world.company.pk)
    _append(world, 3)
    second = checkpoints.issue_for_company(world.company.pk)
    assert json.loads(second.statement)["previous"] == {"tree_size": first.tree_size, "root": first.root}
    assert verify_company(world.company.pk).ok
    # a DBA deletes the middle checkpoint: the next one names a predecessor that is gone
    _append(world, 1)
    third = checkpoints.issue_for_company(world.company.pk)
    Checkpoint.objects.filter(pk=second.pk).delete()
    report = verify_company(world.company.pk)
    assert f"checkpoint #{third.pk}" in report.reason and "removed or replaced" in report.reason


def test_forged_consistency_proof_is_named(world) -> None:
    _append(world, 3)
    first = checkpoints.issue_for_company(world.company.pk)
    _append(world, 3)
    second = checkpoints.issue_for_company(world.company.pk)
    proof = json.loads(second.consistency)
    Checkpoint.objects.filter(pk=second.pk).update(consistency=json.dumps(["00" * 32] * len(proof)))
    report = verify_company(world.company.pk)
    assert f"checkpoint #{second.pk}" in report.reason and f"contradicts checkpoint #{first.pk}" in report.reason


def test_checkpoint_signed_by_another_key_or_with_edited_columns(world, other_world) -> None:
    _append(world, 2)
    cp = checkpoints.issue_for_company(world.company.pk)
    Checkpoint.objects.filter(pk=cp.pk).update(tree_size=1)
    assert "differ from the signed statement" in verify_company(world.company.pk).reason
    Checkpoint.objects.filter(pk=cp.pk).update(tree_size=cp.tree_size)
    foreign = checkpoints.company_signer(other_world.company.pk)
    statement = cp.statement.encode()
    Checkpoint.objects.filter(pk=cp.pk).update(
        signature=foreign.sign(statement).hex(), certificate=foreign.certificate_pem().decode()
    )
    assert "not by the company's key" in verify_company(world.company.pk).reason


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("at", "2020-01-01T00:00:00+00:00"),
        ("actor_name", "ceo"),
        ("actor_id", None),
        ("action", "employee.created"),
        ("employee_id", None),
        ("subject_type", "people.contract"),
        ("subject_id", "999"),
    ],
)
def test_an_edited_column_is_named(world, column: str, value: Any) -> None:
    emp = world.employees["east_rep"]
    events = _append(world, 4, employee=emp)
    if column == "at":
        import datetime as dt

        value = dt.datetime.fromisoformat(value)
    EvidenceEvent.objects.filter(pk=events[2].pk).update(**{column: value})
    report = verify_company(world.company.pk)
    assert not report.ok and report.first_broken_seq == events[2].seq
    assert f"column {column}" in report.reason
    out = _verify()
    assert f"BROKEN at event #{events[2].seq}: column {column}" in out
    _checkpoint_refused(world)


def test_exported_checkpoint_catches_deleted_checkpoints(world, django_capture_on_commit_callbacks) -> None:
    _append(world, 5)
    with django_capture_on_commit_callbacks(execute=True):
        cp = checkpoints.issue_for_company(world.company.pk)
    path = export.latest_path(world.company.pk)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert (doc["tree_size"], doc["root"], doc["statement"]) == (cp.tree_size, cp.root, cp.statement)
    assert verify_company(world.company.pk).ok
    # the DBA removes the checkpoint and the newest events, and rewinds the head: the database alone agrees
    Checkpoint.objects.filter(company=world.company).delete()
    _rewind(world, 3)
    assert verify_company(world.company.pk, exported=[]).ok
    report = verify_company(world.company.pk)  # the exported copy in HRGUARD_CHECKPOINT_DIR is used
    assert not report.ok and f"exported checkpoint {path}" in report.reason and "holds only 3" in report.reason
    _checkpoint_refused(world)


def test_verify_with_a_checkpoint_file(world, tmp_path, django_capture_on_commit_callbacks) -> None:
    _append(world, 4)
    with django_capture_on_commit_callbacks(execute=True):
        checkpoints.issue_for_company(world.company.pk)
    kept = tmp_path / "kept-elsewhere.json"
    kept.write_bytes(export.latest_path(world.company.pk).read_bytes())
    export.latest_path(world.company.pk).unlink()
    out = io.StringIO()
    call_command("verify", "--checkpoint", str(kept), stdout=out)
    assert f"company {world.company.pk}: OK" in out.getvalue()
    assert "1 checkpoint(s) and 1 exported checkpoint(s) agree" in out.getvalue()
    # the DBA deletes the checkpoint row only: the file still must be in the database
    Checkpoint.objects.filter(company=world.company).delete()
    assert "missing from the database" in _verify("--checkpoint", str(kept))
    # a file that is not a checkpoint is named too
    junk = tmp_path / "junk.json"
    junk.write_text("{}", encoding="utf-8")
    assert "junk.json" in _verify("--checkpoint", str(junk))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("verify", "--checkpoint", str(tmp_path / "nope.json"), stdout=io.StringIO())


def test_a_wholly_deleted_log_is_caught_by_its_exported_checkpoint(world, django_capture_on_commit_callbacks) -> None:
    _append(world, 3)
    with django_capture_on_commit_callbacks(execute=True):
        checkpoints.issue_for_company(world.company.pk)
    Checkpoint.objects.filter(company=world.company).delete()
    EvidenceEvent.objects.filter(company=world.company).delete()
    ChainHead.objects.filter(company=world.company).delete()
    out = _verify()
    assert f"company {world.company.pk}: CONTRADICTED exported checkpoint" in out and "holds only 0" in out


def test_hourly_task_refuses_and_alerts_the_admins(world) -> None:
    from hrguard.evidence import tasks
    from hrguard.notify.models import OutboxMessage

    _append(world, 4)
    cp = checkpoints.issue_for_company(world.company.pk)
    _rewind(world, 2)
    with pytest.raises(checkpoints.HistoryConflict):
        tasks.checkpoint_company.call_local(world.company.pk)
    alert = OutboxMessage.objects.get(company=world.company, subject="证据日志与已签署的检查点不一致")
    assert alert.user_id == world.users["admin"].pk and f"checkpoint #{cp.pk}" in alert.body
    with pytest.raises(checkpoints.HistoryConflict):
        tasks.checkpoint_company.call_local(world.company.pk)  # the next hour: no second alert that day
    assert OutboxMessage.objects.filter(company=world.company, subject=alert.subject).count() == 1
    assert Checkpoint.objects.filter(company=world.company).count() == 1
