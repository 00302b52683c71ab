"""Messages to a company's administrators on behalf of a lower layer (the evidence log registers
nothing itself: it cannot import notify). Used for signed evidence checkpoints and their refusals."""

from __future__ import annotations

from collections.abc import Sequence

from hrguard.core.models import User

from . import services


def message_admins(company_id: int, subject: str, body: str, key: str, channels: Sequence[str]) -> int:
    """Queue ``subject``/``body`` to every active administrator on each of ``channels`` that reaches
    them (others are skipped); ``key`` + the user id is the idempotency key. Returns messages queued."""
    queued = 0
    admins = User.objects.filter(company_id=company_id, role="admin", is_active=True).order_by("pk")
    for admin in admins:
        usable = [c for c in channels if c not in services.check_channels(admin, list(channels))]
        if not usable:
            continue
        queued += len(services.enqueue(
            company_id, recipient=admin, channels=usable, subject=subject, body=body,
            purpose="evidence.checkpoint", idempotency_key=f"{key}:{admin.pk}",
        ))
    return queued
