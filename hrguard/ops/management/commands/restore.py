"""``hrguard restore SOURCE``: restore a ``hrguard backup`` archive, then verify it (see hrguard/ops/backup.py).

Stop the web and worker processes first; restore runs as the database owner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrguard.ops.backup import BackupError, restore
from hrguard.ops.dbdump import DumpError


class Command(BaseCommand):
    help = "Restore a backup archive (database, keys, uploaded files) and verify the result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="archive written by `hrguard backup`")
        parser.add_argument("--force", action="store_true", help="replace a database that already holds data")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = restore(Path(opts["source"]), force=opts["force"], progress=self.stdout.write)
        except (BackupError, DumpError) as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        for note in result.notes:
            self.stdout.write(f"note: {note}")
        events = sum(c["events"] for c in result.manifest["evidence"].values())
        self.stdout.write(f"restored and verified: {events} evidence events, keys open the encrypted data")
