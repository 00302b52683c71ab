"""Notification channels: one interface (``Channel.send(OutgoingMessage) -> Receipt``), one adapter per
provider. Adapters are built from a company's ChannelConfig by ``hrguard.notify.adapters.build_channel``."""

from .base import (
    Channel,
    DeliveryError,
    OutgoingMessage,
    PermanentDeliveryError,
    Receipt,
    TransientDeliveryError,
)

__all__ = [
    "Channel",
    "DeliveryError",
    "OutgoingMessage",
    "PermanentDeliveryError",
    "Receipt",
    "TransientDeliveryError",
]
