"""In-app inbox: the outbox row itself is the inbox entry; nothing leaves the server."""

from __future__ import annotations

from .base import OutgoingMessage, Receipt


class InAppChannel:
    name = "inapp"

    def send(self, message: OutgoingMessage) -> Receipt:
        return Receipt(provider_message_id=f"inapp:{message.idempotency_key}", details={"inbox": True})
