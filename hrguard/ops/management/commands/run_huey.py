"""``hrguard run_huey``: Huey's consumer, plus the guards of an embedded worker.

Before consuming: refuse to start when the keys do not open the stored data; when started by ``hrguard
run`` (``HRGUARD_PARENT_PID`` set), stop when that parent goes away; on a SQLite queue, hold the
queue's exclusive lock so that no second consumer runs on it. Redis queues take any number of
consumers (scale-out: pass ``-n`` to all but one so periodic tasks are scheduled once)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from huey import SqliteHuey
from huey.contrib.djhuey.management.commands.run_huey import Command as HueyCommand

from hrguard.core.crypto import KeysUnavailable
from hrguard.core.keycheck import startup_check
from hrguard.ops import supervise


class Command(HueyCommand):
    help = "Run the background worker (Huey consumer); one per SQLite queue, any number on Redis."

    def handle(self, *args: Any, **options: Any) -> None:
        supervise.watch_parent()
        try:
            startup_check()
        except KeysUnavailable as exc:
            raise CommandError(str(exc)) from exc
        huey = settings.HUEY
        if isinstance(huey, SqliteHuey):
            try:
                supervise.lock_queue(huey.storage.filename)
            except supervise.QueueBusy as exc:
                raise CommandError(str(exc)) from exc
        super().handle(*args, **options)
