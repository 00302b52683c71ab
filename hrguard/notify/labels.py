"""Channel names as people read them: ``channel_label("inapp,sms")`` → "站内信、短信". Covers the delivery
channels (in-app, email, SMS, chat platforms) and the channels the evidence log records a request
through (web, API, command line, background task, import)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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


# Provider and transport errors are stored as the adapters raise them (English, with the provider's own
# text, for the record and for support). People read them through ``error_label``: a sentence in their
# language saying what went wrong and what to do, then the provider's words as the detail.
_ERRORS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^HTTP (4\d\d) from provider"), _lazy("The provider refused the request (HTTP %(1)s): check the "
                                                      "channel settings (key, secret, sender).")),
    (re.compile(r"^HTTP (5\d\d) from provider"),
     _lazy("The provider had an error (HTTP %(1)s); it will be tried again.")),
    (re.compile(r"^network error"), _lazy("The provider could not be reached (network error).")),
    (re.compile(r"^provider returned a non-JSON response|^provider returned an unexpected JSON"),
     _lazy("The provider answered with something unexpected.")),
    (re.compile(r"^invalid provider URL"), _lazy("The provider address in the channel settings is not valid.")),
    (re.compile(r"^SMTP authentication failed"), _lazy("The mail server refused the user name or password.")),
    (re.compile(r"^SMTP unavailable"), _lazy("The mail server could not be reached.")),
    (re.compile(r"invalid user"), _lazy("The chat platform does not know this person's user id: check their chat id "
                                        "in the settings.")),
    (re.compile(r"access token refused"), _lazy("The chat platform refused the app's credentials.")),
    (re.compile(r"^no SMS template configured for purpose"), _lazy("No SMS template is set up for this kind of "
                                                                   "message.")),
    (re.compile(r"unsupported receive_id_type"), _lazy("The Feishu channel is set up with an unsupported id type.")),
    (re.compile(r"^the worker stopped while sending"), _lazy("The sender stopped while sending: ask the provider "
                                                             "whether it arrived before sending again.")),
]


def error_label(text: Any) -> str:
    """A stored delivery error as a reader's sentence, the provider's own words after it in brackets."""
    raw = str(text or "").strip()
    if not raw:
        return ""
    if not raw.isascii():
        return raw  # already written in the reader's words (translated when it was recorded)
    for pattern, sentence in _ERRORS:
        if match := pattern.search(raw):
            said = str(sentence) % {"1": match.group(1) if match.groups() else ""}
            return _("%(sentence)s (provider: %(detail)s)") % {"sentence": said, "detail": raw[:300]}
    return _("Delivery failed (provider: %(detail)s)") % {"detail": raw[:300]}
