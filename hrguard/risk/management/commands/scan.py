"""``hrguard scan [--company CODE] [--dry-run] [--as-of YYYY-MM-DD]``: the early-warning scan on demand."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrguard.core.models import Company
from hrguard.risk import scan


class Command(BaseCommand):
    help = "Run the early-warning scan (materialise signals, evaluate active rules, raise alerts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", default="", help="company code (default: every company)")
        parser.add_argument("--dry-run", action="store_true", help="count what would fire; raise nothing")
        parser.add_argument("--as-of", default="", help="scan day (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        companies = Company.objects.order_by("pk")
        if options["company"]:
            companies = companies.filter(code=options["company"])
            if not companies.exists():
                raise CommandError(f"No company with code {options['company']!r}.")
        try:
            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else None
        except ValueError as exc:
            raise CommandError("--as-of: use YYYY-MM-DD") from exc
        for company in companies:
            start = time.perf_counter()
            result = scan.run(company, as_of=as_of, dry_run=options["dry_run"])
            fired = ", ".join(f"{k}={v}" for k, v in result.fired.items()) or "-"
            self.stdout.write(
                f"{company.code}: {result.employees} employees, {result.signal_rows} signal values, "
                f"rules fired [{fired}], {'would raise' if options['dry_run'] else 'raised'} "
                f"{len(result.raised) if not options['dry_run'] else sum(result.fired.values())} alerts, "
                f"{result.skipped_open} already open, {time.perf_counter() - start:.2f} s")
