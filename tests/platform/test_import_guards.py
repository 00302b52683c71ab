"""Both importers go through the guarded reader, and a long punch import lets other writers in."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from hrguard.attendance import importer
from hrguard.attendance.models import Punch
from hrguard.core.models import Department
from hrguard.evidence.models import EvidenceEvent
from hrguard.people import imports

from . import bombs


def test_the_roster_import_refuses_the_bombs(world):
    for content in (bombs.zip_bomb(180 * bombs.MB), bombs.declared_huge(), bombs.many_members()):
        report = imports.validate_file(world.company, content, "bomb.xlsx")
        assert report.file_errors and not report.valid


def test_the_punch_import_refuses_the_bombs_and_saves_nothing(world):
    profile = importer.get_default_profile(world.company)
    for content in (bombs.zip_bomb(180 * bombs.MB), bombs.cell_bomb(rows=200_000, cols=10)):
        with pytest.raises(ValidationError) as info:
            importer.import_file(world.users["hr"], world.company, profile, content, "bomb.xlsx")
        assert "file" in info.value.message_dict
    assert not Punch.objects.exists()


def test_the_punch_import_caps_rows(world, settings):
    settings.HRGUARD_PUNCH_MAX_ROWS = 50
    profile = importer.get_default_profile(world.company)
    data = ("工号,时间,类型\n" + "S002,2025-03-03 09:00,上班\n" * 60).encode()
    with pytest.raises(ValidationError, match="50"):
        importer.import_file(world.users["hr"], world.company, profile, data, "big.csv")
    assert not Punch.objects.exists()


def test_counts_are_exact_across_statements_and_batches(world, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 7)  # several INSERT statements per batch
    monkeypatch.setattr(importer, "BATCH_ROWS", 20)  # several batches
    numbers = [e.employee_no for e in world.employees.values()]
    data = _punch_file(10, numbers)
    profile = importer.get_default_profile(world.company)
    first = importer.import_file(world.users["hr"], world.company, profile, data, "a.csv")
    total = 10 * len(numbers) * 2
    assert (first.rows, first.inserted, first.duplicates) == (total, total, 0)
    assert Punch.objects.filter(batch=first).count() == total
    again = importer.import_file(world.users["hr"], world.company, profile, data, "a.csv")
    assert (again.inserted, again.duplicates) == (0, total)
    saved = EvidenceEvent.objects.filter(action="attendance.punch_batch_saved", subject_id=str(first.pk))
    assert saved.count() == -(-total // 20)


def _punch_file(days: int, employees: list[str]) -> bytes:
    lines = ["工号,时间,类型"]
    for day in range(days):
        date = f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}"
        for no in employees:
            lines += [f"{no},{date} 09:00,上班", f"{no},{date} 18:00,下班"]
    return "\n".join(lines).encode()


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_writer_succeeds_during_a_long_punch_import(world, monkeypatch):
    """SQLite: the import commits in short batches with a gap between them, so a writer with a 3 s
    busy timeout (production waits 30 s) never fails with "database is locked" while the import runs
    — the same import inside one transaction does (checked by hand: see bench/README.md)."""
    if connection.vendor != "sqlite":
        pytest.skip("the write lock under test is SQLite's")
    monkeypatch.setattr(importer, "BATCH_ROWS", 300)
    numbers = [e.employee_no for e in world.employees.values()]
    data = _punch_file(300, numbers)  # 300 days × employees × 2 punches
    profile = importer.get_default_profile(world.company)
    done = threading.Event()
    failures: list[BaseException] = []
    writes = {"n": 0}

    def writer() -> None:
        conn = connections["default"]
        try:
            with conn.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 3000")
            while not done.is_set():
                Department.objects.filter(pk=world.depts["root"].pk).update(name=f"总部{writes['n']}")
                writes["n"] += 1
                time.sleep(0.01)
        except BaseException as exc:
            failures.append(exc)
        finally:
            conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while not writes["n"] and thread.is_alive():  # the writer is connected and writing
            time.sleep(0.01)
        started, before = time.monotonic(), writes["n"]
        batch = importer.import_file(world.users["hr"], world.company, profile, data, "long.csv")
        elapsed, during = time.monotonic() - started, writes["n"] - before
    finally:
        done.set()
        thread.join()
    assert not failures, failures
    assert batch.inserted == 300 * len(numbers) * 2
    assert during >= 2, (during, elapsed)  # the writer got in while the import was running
