"""``{% load notify_labels %}`` then ``{{ req.channels|channel_label }}``: channel codes as translated names."""

from __future__ import annotations

from typing import Any

from django import template

from hrguard.notify.labels import channel_label as _channel_label
from hrguard.notify.labels import error_label as _error_label

register = template.Library()


@register.filter
def channel_label(value: Any) -> str:
    return _channel_label(value)


@register.filter
def delivery_error(value: Any) -> str:
    """``{{ m.last_error|delivery_error }}``: the stored error as a sentence in the reader's language."""
    return _error_label(value)
