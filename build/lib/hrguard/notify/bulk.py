"""Enqueue many notifications at once (e-signature invitations to a whole department, reminders):
one query for existing keys, one bulk insert, one evidence batch, one hand-off after commit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hrguard.evidence import services as evidence

from .addressing import Directory, employee_of, user_of
from .models import OutboxMessage

HANDOFF_CHUNK = 500


def enqueue_many(company: Any, items: Sequence[Mapping[str, Any]], *, actor: Any = None) -> list[OutboxMessage]:
    """Like ``services.enqueue`` for many items; each item is a mapping of enqueue's keyword arguments
    (recipient, channels, subject, body, idempotency_key; optional link, about, employee, purpose).
    All or nothing: if any new (key, channel) cannot reach its recipient, ValidationError lists every
    problem and nothing is written. Existing (key, channel) rows are returned untouched."""
    from .services import _schedule_delivery

    company_id = getattr(company, "pk", company)
    keys = [str(item["idempotency_key"]) for item in items]
    with transaction.atomic():
        existing: dict[tuple[str, str], OutboxMessage] = {}
        for start in range(0, len(keys), 1000):
            for m in OutboxMessage.objects.filter(idempotency_key__in=keys[start:start + 1000]):
                existing[(m.idempotency_key, m.channel)] = m
        directory = Directory()
        directory.prefetch([item["recipient"] for item in items], {c for item in items for c in item["channels"]})
        rows: list[OutboxMessage] = []
        problems: list[str] = []
        seen: set[tuple[str, str]] = set()
        for item in items:
            recipient, key = item["recipient"], str(item["idempotency_key"])
            todo = [c for c in dict.fromkeys(item["channels"]) if (key, c) not in existing and (key, c) not in seen]
            if not item["channels"]:
                problems.append(f"{key}: no channel chosen")
            found = directory.problems(recipient, todo)
            problems.extend(found.values())
            if found:
                continue
            about = item.get("about")
            employee = item.get("employee") or employee_of(recipient)
            user = user_of(recipient)
            for channel in todo:
                seen.add((key, channel))
                rows.append(OutboxMessage(
                    company_id=company_id, idempotency_key=key, channel=channel, employee=employee, user=user,
                    address=directory.address(recipient, channel), subject=str(item["subject"])[:200],
                    body=item["body"], link=item.get("link", ""), purpose=item.get("purpose", ""),
                    about_type=f"{about._meta.app_label}.{about._meta.model_name}" if about is not None else "",
                    about_id=str(about.pk) if about is not None else "",
                ))
        if problems:
            raise ValidationError({"channels": problems})
        try:
            with transaction.atomic():
                created = OutboxMessage.objects.bulk_create(rows, batch_size=1000)
        except IntegrityError:  # a concurrent enqueue took some keys: fall back to one by one
            from .services import enqueue

            return [m for item in items for m in enqueue(company, actor=actor, **dict(item))]
        if any(m.pk is None for m in created):  # backends that do not return ids from bulk inserts
            created = list(OutboxMessage.objects.filter(
                idempotency_key__in=[m.idempotency_key for m in created]
            ).exclude(pk__in=[m.pk for m in existing.values()]))
        evidence.record_many(company_id, actor, [
            evidence.PendingEvent(
                "notify.queued", evidence.Subject("notify.outboxmessage", str(m.pk)),
                {"channel": m.channel, "purpose": m.purpose, "about": f"{m.about_type}:{m.about_id}",
                 "key": m.idempotency_key, "subject": m.subject},
                m.employee_id,
            )
            for m in created
        ])
        ids = [m.pk for m in created]
        for start in range(0, len(ids), HANDOFF_CHUNK):
            chunk = ids[start:start + HANDOFF_CHUNK]
            transaction.on_commit(lambda chunk=chunk: _schedule_delivery(chunk))
    by_key = {**existing, **{(m.idempotency_key, m.channel): m for m in created}}
    return [by_key[(str(item["idempotency_key"]), c)] for item in items for c in dict.fromkeys(item["channels"])]
