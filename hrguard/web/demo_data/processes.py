"""Process instances for the demo company — the hook the engine fills in.

``seed_process_instances(company, rng)`` is called by ``hrguard demo`` after every other section, so
the leave requests, trips and claims it may start processes for already exist. Until the process engine
(``hrguard/workflows``: ``services.start(...)`` / ``act(...)``) runs leave and expense approvals, there
is nothing to start and it returns 0. Once it does, it should: start instances for the pending leave
and expense requests (running, some past their due date so they show as overdue on 工作台), and
complete / reject instances for the decided ones — idempotently (skip requests that have an instance)."""

from __future__ import annotations

import random

from hrguard.core.models import Company


def seed_process_instances(company: Company, rng: random.Random) -> int:
    """Returns the number of instances created (0 while no flow runs on the engine)."""
    del company, rng
    return 0
