"""Hostile spreadsheets against the guarded reader: time and peak memory until refusal.

    .venv/bin/python bench/import_bombs.py

Each file is generated small on disk (tests/platform/bombs.py) and handed to the roster check
(``people.imports.validate_file``) and the punch reader, as the worker would. Prints the file size,
the wall time to refusal, the peak Python allocation (tracemalloc) and the process's peak RSS
(resource.getrusage; it includes the generator's own memory). Figures, not assertions."""

from __future__ import annotations

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrguard.settings.test")

import django

django.setup()

from hrguard.attendance import reader  # noqa: E402
from hrguard.people import imports  # noqa: E402
from hrguard.platform import spreadsheets  # noqa: E402
from tests.platform import bombs  # noqa: E402


def measure(label: str, content: bytes, limits: spreadsheets.Limits) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    outcome = "read"
    rows = 0
    try:
        for _row in spreadsheets.open_rows(content, limits):
            rows += 1
    except spreadsheets.SpreadsheetError as exc:
        outcome = f"refused: {str(exc)[:60]}"
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<38} {len(content) / 1024:>8.0f} KB {elapsed * 1000:>9.1f} ms "
          f"{peak / 1048576:>8.1f} MB {rss:>8.0f} MB  rows={rows} {outcome}")


def main() -> None:
    print(f"{'file':<38} {'size':>11} {'to refusal':>12} {'py peak':>11} {'max RSS':>11}")
    roster, punches = imports.limits(), reader.limits()
    cases = [
        ("zip bomb 180 MB (roster caps)", bombs.zip_bomb(180 * bombs.MB), roster),
        ("zip bomb 180 MB (punch caps)", bombs.zip_bomb(180 * bombs.MB), punches),
        ("10 M cells, declared (roster)", bombs.cell_bomb(1_000_000, 10), roster),
        ("10 M cells, declared (punch)", bombs.cell_bomb(1_000_000, 10), punches),
        ("10 M cells, undeclared (punch)", bombs.cell_bomb(1_000_000, 10, dimension=False), punches),
        ("dimension A1:XFD1048576", bombs.declared_huge(), roster),
        ("5,000 zip members", bombs.many_members(), roster),
        # The ratio cap switched off, to show the cells cap counted while parsing (memory stays flat):
        ("500 k cells, undeclared, ratio off", bombs.cell_bomb(50_000, 10, dimension=False),
         spreadsheets.Limits(rows=10_000_000, columns=64, cells=300_000, unpacked_bytes=256 * bombs.MB,
                             ratio=1_000_000)),
    ]
    for label, content, limits in cases:
        measure(label, content, limits)


if __name__ == "__main__":
    main()
