"""The nightly scan (Huey periodic task): every company, at 02:30."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hrguard.core.models import Company

from . import scan


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_scan() -> None:
    for company in Company.objects.order_by("pk"):
        scan.run(company)
