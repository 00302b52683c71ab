"""Channel names as people read them: ``channel_label("inapp,sms")`` → "站内信、短信". Covers the delivery
channels (in-app, email, SMS, chat platforms) and the channels the evidence log records a request
through (web, API, command line, background task, import)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from hrguard.evidence.timeline import CHANNEL_LABELS

from .models import Channel


def channel_label(value: Any) -> str:
    """One code, a comma-separated string or a list of codes, as translated names joined by 、."""
    if value in (None, ""):
        return ""
    codes: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    names = []
    for code in codes:
        code = str(code).strip()
        if code in Channel.values:
            names.append(str(Channel(code).label))
        elif code in CHANNEL_LABELS:
            names.append(str(CHANNEL_LABELS[code]))
        elif code:
            names.append(_("Unknown channel"))
    return "、".join(names)
