"""``hrguard backup DEST``: database, keys and uploaded files in one archive (see hrguard/ops/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrguard.ops.backup import BackupError, backup
from hrguard.ops.dbdump import DumpError


class Command(BaseCommand):
    help = "Back up the database, the keys and the uploaded files into one archive (DEST, e.g. hrguard.tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", help="archive file to write (replaced if it exists)")
        parser.add_argument("--no-keys", action="store_true", help="leave the keys out (you back them up separately)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = backup(Path(opts["dest"]), include_keys=not opts["no_keys"])
        except (BackupError, DumpError) as exc:
            raise CommandError(str(exc)) from exc
        m = result.manifest
        events = sum(c["events"] for c in m["evidence"].values())
        self.stdout.write(
            f"backup written to {opts['dest']}: {m['database']['vendor']} database, {len(m['files'])} files, "
            f"{events} evidence events, keys {'included' if m['keys']['included'] else 'NOT included'}"
        )
        for note in result.notes:
            self.stdout.write(f"note: {note}")
