"""Control commands the harness runs in a process of its own, with the bench settings:

    python -m bench.scaleout.ctl seed N SMTP_PORT   company, employees, email channel, N due reminders
    python -m bench.scaleout.ctl kick               enqueue the periodic deadline sweep and outbox sweep now
    python -m bench.scaleout.ctl status             counts of deadline and outbox states (JSON)
    python -m bench.scaleout.ctl tables             the deadline table's name (the harness polls it directly)
    python -m bench.scaleout.ctl expire             end the leases a dead consumer still holds
    python -m bench.scaleout.ctl reconcile FILE     settle messages a dead consumer was sending

Each prints one JSON line."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.scaleout.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from hrguard.deadlines.models import Deadline, DeadlineState  # noqa: E402
from hrguard.notify import delivery, services  # noqa: E402
from hrguard.notify.adapters import configure  # noqa: E402
from hrguard.notify.models import MessageState, OutboxMessage  # noqa: E402
from hrguard.people.synthetic import generate_company  # noqa: E402

from .deadline_handlers import ACTION, PURPOSE  # noqa: E402

EMPLOYEES = 50


def seed(n: int, smtp_port: int) -> dict[str, Any]:
    gen = generate_company("scale", "规模测试有限公司", employees=EMPLOYEES, with_users=False)
    configure(gen.company, "email", {"host": "127.0.0.1", "port": smtp_port, "from_address": "hr@scale.example.com"})
    due = timezone.now() - dt.timedelta(minutes=1)
    rows = [
        Deadline(company=gen.company, key=f"scaleout:{i}", action=ACTION, subject_type="people.employee",
                 subject_id=str(gen.employees[i % len(gen.employees)].pk), due_at=due, payload={})
        for i in range(n)
    ]
    with transaction.atomic():
        Deadline.objects.bulk_create(rows, batch_size=2000)
    return {"company": gen.company.pk, "reminders": n}


def kick() -> dict[str, Any]:
    """What the scheduling consumer does every minute, now: the periodic deadline sweep (which fans the
    due rows out as batch tasks for every consumer) and the outbox sweep."""
    from hrguard.deadlines.tasks import sweep_deadlines
    from hrguard.notify.tasks import deliver_due

    sweep_deadlines()  # calling a Huey task enqueues it (Redis); a consumer runs it
    deliver_due()
    return status()


def status() -> dict[str, Any]:
    deadlines = dict(Deadline.objects.filter(action=ACTION).values_list("state").annotate(n=Count("id")))
    outbox = dict(OutboxMessage.objects.filter(purpose=PURPOSE).values_list("state").annotate(n=Count("id")))
    leased = Deadline.objects.filter(action=ACTION, state=DeadlineState.PENDING, lease_until__gt=timezone.now())
    return {"deadlines": deadlines, "outbox": outbox, "leased": leased.count()}


def expire() -> dict[str, Any]:
    """Stand-in for waiting out ``deadlines.LEASE`` (5 minutes): every pending lease ends now. A live
    sweeper still holding one of them loses nothing: its per-row UPDATE … WHERE lease_owner=<its own>
    no longer matches once another sweep re-claimed the row, so each row still runs once."""
    n = Deadline.objects.filter(action=ACTION, state=DeadlineState.PENDING, lease_until__isnull=False).update(
        lease_until=timezone.now()
    )
    return {"expired": n}


def reconcile(received_file: str) -> dict[str, Any]:
    """Messages left SENDING by the killed consumer: the reaper marks them UNKNOWN (here without
    waiting ``STUCK_AFTER``), and HR decides with the provider's log — here the SMTP server's list of
    the X-HRGuard-Key headers it accepted: confirm what arrived, resend what did not."""
    with open(received_file, encoding="utf-8") as fh:
        received = set(json.load(fh))
    reaped = delivery.reap_stuck(timezone.now() + delivery.STUCK_AFTER + dt.timedelta(seconds=1))
    confirmed = resent = 0
    for msg in OutboxMessage.objects.filter(purpose=PURPOSE, state=MessageState.UNKNOWN):
        arrived = f"{msg.idempotency_key}:{msg.channel}" in received
        services.decide_unknown(msg, None, resend=not arrived)
        if arrived:
            confirmed += 1
        else:
            resent += 1
            delivery.deliver(msg.pk)
    return {"reaped": reaped, "confirmed": confirmed, "resent": resent}


def main(argv: list[str]) -> None:
    cmd, args = argv[0], argv[1:]
    if cmd == "seed":
        out = seed(int(args[0]), int(args[1]))
    elif cmd == "kick":
        out = kick()
    elif cmd == "tables":
        out = {"deadline": Deadline._meta.db_table, "action": ACTION}
    elif cmd == "status":
        out = status()
    elif cmd == "expire":
        out = expire()
    elif cmd == "reconcile":
        out = reconcile(args[0])
    else:
        raise SystemExit(f"unknown command {cmd!r}")
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
