"""``hrguard verify``: re-check every company's evidence chain; report the first broken link."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrguard.evidence.verify import verify_all, verify_company


class Command(BaseCommand):
    help = "Verify the hash-chained evidence log (exit status 1 if any chain is broken)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", type=int, help="only this company id")
        parser.add_argument("package", nargs="?", help="an exported evidence package (.zip) to check offline instead")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts.get("package"):
            from hrguard.evidence.offline.verify import main as verify_package

            status = verify_package([opts["package"]])
            if status:
                raise CommandError(f"package {opts['package']} did not verify (exit status {status})")
            return
        started = time.perf_counter()
        reports = [verify_company(opts["company"])] if opts.get("company") else verify_all()
        elapsed = time.perf_counter() - started
        total = sum(r.checked for r in reports)
        broken = [r for r in reports if not r.ok]
        for r in reports:
            if r.ok:
                self.stdout.write(f"company {r.company}: OK, {r.checked} events, head {r.last_hash[:16]}…")
            else:
                self.stdout.write(
                    f"company {r.company}: BROKEN at event #{r.first_broken_seq}: {r.reason} "
                    f"({r.checked} events verified before it)"
                )
        rate = total / elapsed if elapsed > 0 else 0.0
        self.stdout.write(f"{total} events checked in {elapsed:.3f} s ({rate:,.0f} events/s)")
        if broken:
            raise CommandError(f"{len(broken)} chain(s) broken")
