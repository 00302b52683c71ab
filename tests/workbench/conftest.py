"""Records the 工作台 shows, written as their apps store them (dates relative to ``TODAY``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

TODAY = timezone.localdate()


def contract(world: Any, key: str, no: str, *, end: dt.date | None, probation_end: dt.date | None = None,
             kind: str = "fixed_term", start: dt.date | None = None) -> Any:
    from hrguard.people.models import Contract

    return Contract.objects.create(
        company=world.company, employee=world.employees[key], contract_no=no, contract_type=kind,
        start_date=start or dt.date(2020, 1, 6), end_date=end, probation_end_date=probation_end,
        probation_months=3 if probation_end else 0, wage=Decimal("10000"), work_location="上海",
    )


def leave_request(world: Any, key: str, *, start: dt.date, status: str = "pending") -> Any:
    from hrguard.leave.models import LeaveRequest

    return LeaveRequest.objects.create(
        company=world.company, employee=world.employees[key], leave_type="personal", start_date=start,
        end_date=start, days=Decimal("1"), status=status,
    )


def request_leave(world: Any, key: str, *, start: dt.date) -> Any:
    """Leave asked for through the service: its approval is a process on the engine. Ten days from
    ``start``, so the request has working days whatever weekday or holiday the test runs on."""
    from hrguard.leave import services

    end = start + dt.timedelta(days=9)
    return services.request_leave(world.users["employee"], world.employees[key], {
        "leave_type": "personal", "start_date": f"{start:%Y-%m-%d}", "end_date": f"{end:%Y-%m-%d}", "reason": "家事"})


def submit_claim(world: Any, amount: str = "320.50") -> Any:
    from hrguard.expenses import services

    return services.submit_claim(world.users["employee"], world.employees["east_rep"], {
        "category": "transport", "spent_on": f"{TODAY:%Y-%m-%d}", "amount": amount, "description": "高铁票"},
        [("票据.pdf", b"%PDF-1.4 ticket")])


def inapp(world: Any, recipient: Any, key: str, subject: str) -> Any:
    from hrguard.notify import services

    with transaction.atomic():
        (msg,) = services.enqueue(world.company, recipient=recipient, channels=["inapp"], subject=subject,
                                  body="b", idempotency_key=key)
    return msg


def undeliverable(world: Any, key: str, subject: str) -> Any:
    from hrguard.notify import services

    with transaction.atomic():
        (msg,) = services.enqueue(world.company, recipient=world.employees["sales_rep"], channels=["inapp"],
                                  subject=subject, body="b", idempotency_key=key, if_unreachable="record",
                                  handoff=False)
    return msg
