"""``manage.py checkpoint``: issue a signed Merkle checkpoint over a company's evidence log now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrguard.evidence import checkpoints, export
from hrguard.evidence.models import ChainHead


class Command(BaseCommand):
    help = "Issue signed checkpoints (tree size + Merkle root) for one or all companies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", type=int, help="only this company id (default: every company)")
        parser.add_argument("--force", action="store_true", help="issue even if the log did not grow")

    def handle(self, *args: Any, **opts: Any) -> None:
        ids = [opts["company"]] if opts.get("company") else list(
            ChainHead.objects.order_by("company_id").values_list("company_id", flat=True)
        )
        if not ids:
            raise CommandError("no evidence log to checkpoint")
        refused = []
        for company_id in ids:
            try:
                cp = (
                    checkpoints.issue_for_company(company_id) if opts["force"]
                    else checkpoints.issue_if_grown(company_id)
                )
            except checkpoints.HistoryConflict as exc:
                self.stderr.write(f"REFUSED {exc}")
                refused.append(company_id)
                continue
            if cp is None:
                self.stdout.write(f"company {company_id}: up to date, no new checkpoint")
                continue
            stamped = "timestamped" if cp.timestamp_token else "no timestamp"
            self.stdout.write(
                f"company {company_id}: checkpoint #{cp.pk} tree size {cp.tree_size} root {cp.root} ({stamped}); "
                f"exported to {export.latest_path(company_id)}"
            )
        if refused:
            raise CommandError(
                f"no checkpoint issued for company {', '.join(map(str, refused))}: the log contradicts its "
                "history — run `hrguard verify`"
            )
