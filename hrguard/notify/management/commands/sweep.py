from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hrguard.deadlines import services as deadlines
from hrguard.notify import delivery


def notification_summary(report: delivery.DeliveryReport, reaped: int) -> str:
    """Outcomes, truthfully: an attempt is not a delivery, and a provider's "accepted" is not "delivered"."""
    text = (f"Notifications: {report.delivered} delivered, {report.sent} accepted by the provider (delivery not "
            f"confirmed), {report.retrying} failed and to be retried, {report.failed} failed, {report.unknown} "
            f"outcome unknown")
    if reaped:
        text += f"; {reaped} earlier send(s) marked outcome-unknown (the worker stopped mid-send)"
    if report.failed or report.unknown or reaped:
        text += " — see the problems page (/notify/problems/)"
    return text


class Command(BaseCommand):
    help = "Run every due deadline once, then deliver due notifications (the worker does this every minute)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-deliver", action="store_true", help="only run deadlines")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.stdout.write(f"{deadlines.sweep()} deadline(s) completed")
        if not opts["no_deliver"]:
            reaped = delivery.reap_stuck()
            report = delivery.deliver_due_report()
            self.stdout.write(notification_summary(report, reaped))
