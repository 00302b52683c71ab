from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hrguard.workflows import deadlines


class Command(BaseCommand):
    help = "Run every due deadline once (the worker does this every minute)."

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"{deadlines.sweep()} deadline(s) completed")
