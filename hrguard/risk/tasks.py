"""The nightly scan (Huey periodic task): every company, at 02:30; and one company's scan started from the
page."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hrguard.core.models import Company

from . import scan, services


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_scan() -> None:
    for company in Company.objects.order_by("pk"):
        scan.run(company)


@db_task()
def scan_company(run_id: int) -> None:
    """A scan started from the page (立即扫描), see ``services.start_scan``."""
    services.run_scan(run_id)
