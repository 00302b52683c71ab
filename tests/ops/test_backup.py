"""``hrguard backup`` / ``hrguard restore`` on the test database (SQLite or PostgreSQL, whichever the run
uses): database, keys and uploads round-trip; a damaged archive or missing keys are refused; the
restore ends verified."""

from __future__ import annotations

import io
import json
import shutil
import stat
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from hrguard.core import crypto
from hrguard.evidence import services as evidence
from hrguard.evidence.models import EvidenceEvent
from hrguard.ops import backup as ops
from hrguard.people.models import Employee

pytestmark = pytest.mark.django_db(transaction=True)


def _events(world: Any, n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            evidence.record(world.company, None, "test.backup", evidence.Subject.of(world.company), {"i": i})


@pytest.fixture
def upload() -> Any:
    name = default_storage.save("attachments/ops-test.txt", ContentFile("附件内容".encode()))
    yield name
    default_storage.delete(name)


def test_round_trip_restores_data_keys_and_uploads(world: Any, upload: str, tmp_path: Path) -> None:
    _events(world, 3)
    archive = tmp_path / "b.tar.gz"
    result = ops.backup(archive)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    m = result.manifest
    assert m["keys"]["included"] and "keys/field-keys.json" in m["files"]
    assert f"media/{upload}" in m["files"] and m["database"]["file"] in m["files"]
    assert m["evidence"][str(world.company.pk)]["events"] == EvidenceEvent.objects.filter(company=world.company).count()

    # Afterwards: a new employee, more evidence, a lost upload.
    emp = world.employees["east_rep"]
    Employee.objects.filter(pk=emp.pk).update(name="改过")
    _events(world, 2)
    default_storage.delete(upload)

    with pytest.raises(ops.BackupError, match="already holds data"):
        ops.restore(archive)
    ops.restore(archive, force=True)
    assert Employee.objects.get(pk=emp.pk).name == "张测试"
    assert Employee.objects.get(pk=emp.pk).id_number == emp.id_number  # decrypts with the restored keys
    assert EvidenceEvent.objects.filter(company=world.company).count() == m["evidence"][str(world.company.pk)]["events"]
    assert default_storage.open(upload).read().decode() == "附件内容"
    call_command("verify", stdout=io.StringIO())


def _rewrite(archive: Path, out: Path, change: Any) -> None:
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else b""
            data = change(member.name, data)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def test_damaged_archive_is_refused_before_anything_changes(world: Any, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    manifest = ops.backup(archive).manifest
    Employee.objects.filter(pk=world.employees["engineer"].pk).update(name="之后改的")
    db_member = manifest["database"]["file"]

    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(archive, damaged, lambda name, data: data[:-1] + bytes([data[-1] ^ 1]) if name == db_member else data)
    with pytest.raises(ops.BackupError, match="does not match its SHA-256"):
        ops.restore(damaged, force=True)

    unlisted = tmp_path / "unlisted.tar.gz"
    def drop_keys(name: str, data: bytes) -> bytes:
        if name == "manifest.json":
            doc = json.loads(data)
            del doc["files"]["keys/field-keys.json"]
            return json.dumps(doc).encode()
        return data
    _rewrite(archive, unlisted, drop_keys)
    with pytest.raises(ops.BackupError, match="members differ from the manifest"):
        ops.restore(unlisted, force=True)

    (tmp_path / "junk.tar.gz").write_bytes(b"not a tar")
    with pytest.raises(ops.BackupError, match="not a readable HRGuard backup"):
        ops.restore(tmp_path / "junk.tar.gz", force=True)
    assert Employee.objects.get(pk=world.employees["engineer"].pk).name == "之后改的"  # untouched


def test_restore_without_keys_fails_verification_and_generates_none(
    world: Any, tmp_path: Path, settings: Any
) -> None:
    archive = tmp_path / "nokeys.tar.gz"
    result = ops.backup(archive, include_keys=False)
    assert not result.manifest["keys"]["included"]
    assert not any(name.startswith("keys/") for name in result.manifest["files"])
    original = settings.HRGUARD_KEYS_DIR
    try:
        settings.HRGUARD_KEYS_DIR = tmp_path / "empty-keys"  # a new machine: the keys were not brought
        crypto.reset_keyring_cache()
        with pytest.raises(ops.BackupError, match="refusing to generate new keys"):
            ops.restore(archive, force=True)
        assert not (tmp_path / "empty-keys" / "field-keys.json").exists()
    finally:
        settings.HRGUARD_KEYS_DIR = original
        crypto.reset_keyring_cache()
    ops.verify_restored(result.manifest)  # with the right keys the same database verifies


def test_restore_moves_differing_keys_aside_never_deletes(world: Any, tmp_path: Path, settings: Any) -> None:
    original = Path(settings.HRGUARD_KEYS_DIR)
    work = tmp_path / "keys"
    shutil.copytree(original, work)
    settings.HRGUARD_KEYS_DIR = work
    crypto.reset_keyring_cache()
    try:
        archive = tmp_path / "b.tar.gz"
        ops.backup(archive)
        (work / "field-keys.json").write_text((work / "field-keys.json").read_text().replace('"k1"', '"k1" ', 1))
        (work / "extra-key.pem").write_text("mine")
        ops.restore(archive, force=True)
        aside = [p for p in tmp_path.iterdir() if p.name.startswith("keys.replaced-")]
        assert len(aside) == 1 and (aside[0] / "extra-key.pem").read_text() == "mine"
        assert (work / "field-keys.json").read_bytes() == (original / "field-keys.json").read_bytes()
    finally:
        settings.HRGUARD_KEYS_DIR = original
        crypto.reset_keyring_cache()


def test_restored_chain_must_end_where_the_backup_did(world: Any, tmp_path: Path) -> None:
    _events(world, 2)
    manifest = ops.backup(tmp_path / "b.tar.gz").manifest
    _events(world, 1)  # the database now has more than the backup says: as if the wrong dump was loaded
    with pytest.raises(ops.BackupError, match="end elsewhere"):
        ops.verify_restored(manifest)


def test_backup_inside_what_it_copies_is_refused(world: Any, settings: Any) -> None:
    with pytest.raises(ops.BackupError, match="choose a place outside it"):
        ops.backup(Path(settings.HRGUARD_KEYS_DIR) / "b.tar.gz")
    with pytest.raises(ops.BackupError, match="choose a place outside it"):
        ops.backup(Path(default_storage.location) / "sub" / "b.tar.gz")


def test_backup_of_an_unmigrated_database_is_refused(tmp_path: Path, settings: Any) -> None:
    assert settings.DATABASES["default"]["NAME"]
    with pytest.raises(ops.BackupError, match="nothing to back up"), _no_tables():
        ops.backup(tmp_path / "x.tar.gz")


class _no_tables:
    """Make the evidence table look absent (an unmigrated database) without dropping it."""

    def __enter__(self) -> None:
        from hrguard.evidence.models import ChainHead

        self.model = ChainHead
        self.table = ChainHead._meta.db_table
        ChainHead._meta.db_table = "no_such_table_ops_test"

    def __exit__(self, *exc: object) -> None:
        self.model._meta.db_table = self.table


def test_signal_values_survive_a_restore_or_are_recomputed(world: Any, tmp_path: Path) -> None:
    """The early-warning values are derived data. On PostgreSQL the backup leaves them out (their per-company
    partitions, and the months marked materialised); after a restore the next materialisation recomputes the
    same values. On SQLite the snapshot holds them as they were."""
    from django.db import connection

    from hrguard.risk.materialise import materialise
    from hrguard.risk.models import MaterialisedMonth, SignalValue
    from tests.risk.conftest import AS_OF, late

    def values() -> set[tuple[Any, ...]]:
        return set(SignalValue.objects.filter(company=world.company)
                   .values_list("employee_id", "signal", "month", "value"))

    late(world.employees["east_rep"], AS_OF.replace(day=9))
    materialise(world.company.pk, AS_OF)
    before = values()
    assert ("late_arrivals", 1.0) in {(s, v) for _, s, _, v in before}
    archive = tmp_path / "b.tar.gz"
    ops.backup(archive)
    ops.restore(archive, force=True)
    if connection.vendor == "postgresql":
        assert not SignalValue.objects.exists() and not MaterialisedMonth.objects.exists()
        assert materialise(world.company.pk, AS_OF) == len(before)
    assert values() == before
    call_command("verify", stdout=io.StringIO())
