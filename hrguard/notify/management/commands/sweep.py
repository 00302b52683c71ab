from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hrguard.deadlines import services as deadlines
from hrguard.notify import delivery


class Command(BaseCommand):
    help = "Run every due deadline once, then deliver due notifications (the worker does this every minute)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-deliver", action="store_true", help="only run deadlines")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"{deadlines.sweep()} deadline(s) completed")
        if not opts["no_deliver"]:
            reaped = delivery.reap_stuck()
            sent = delivery.deliver_due()
            self.stdout.write(f"{sent} notification(s) delivered, {reaped} marked outcome-unknown")
