"""``hrguard verify``: re-check every company's evidence chain, its columns and its checkpoints (stored
and exported); report the first broken link and every contradicted checkpoint."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrguard.evidence.chain import ChainReport
from hrguard.evidence.verify import verify_all, verify_company


class Command(BaseCommand):
    help = "Verify the hash-chained evidence log and its checkpoints (exit status 1 if anything is broken)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", type=int, help="only this company id")
        parser.add_argument(
            "--checkpoint", action="append", metavar="FILE", type=Path,
            help="also check the database against this exported checkpoint file (repeatable); without it, "
            "the copy in HRGUARD_CHECKPOINT_DIR is used",
        )
        parser.add_argument("package", nargs="?", help="an exported evidence package (.zip) to check offline instead")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts.get("package"):
            from hrguard.evidence.offline.verify import main as verify_package

            status = verify_package([opts["package"]])
            if status:
                raise CommandError(f"package {opts['package']} did not verify (exit status {status})")
            return
        files: list[Path] | None = opts.get("checkpoint")
        for path in files or []:
            if not path.is_file():
                raise CommandError(f"checkpoint file {path} does not exist")
        started = time.perf_counter()
        if opts.get("company"):
            reports = [verify_company(opts["company"], files)]
        else:
            reports = verify_all(files)
        elapsed = time.perf_counter() - started
        for r in reports:
            self._print(r)
        total = sum(r.checked for r in reports)
        rate = total / elapsed if elapsed > 0 else 0.0
        self.stdout.write(f"{total} events checked in {elapsed:.3f} s ({rate:,.0f} events/s)")
        broken = [r for r in reports if not r.ok]
        if broken:
            raise CommandError(f"{len(broken)} evidence log(s) broken: " + "; ".join(_summary(r) for r in broken))

    def _print(self, r: ChainReport) -> None:
        if r.ok:
            self.stdout.write(
                f"company {r.company}: OK, {r.checked} events, head {r.last_hash[:16]}…, "
                f"{r.checkpoints_checked} checkpoint(s) and {r.exported_checked} exported checkpoint(s) agree"
            )
            return
        if r.first_broken_seq is not None:
            self.stdout.write(
                f"company {r.company}: BROKEN at event #{r.first_broken_seq}: {r.reason} "
                f"({r.checked} events verified before it)"
            )
        for problem in r.checkpoint_problems:
            self.stdout.write(f"company {r.company}: CONTRADICTED {problem}")


def _summary(r: ChainReport) -> str:
    if r.first_broken_seq is not None:
        return f"company {r.company} event #{r.first_broken_seq}"
    first = r.checkpoint_problems[0] if r.checkpoint_problems else r.reason
    return f"company {r.company} {first.split(': ', 1)[0]}"
