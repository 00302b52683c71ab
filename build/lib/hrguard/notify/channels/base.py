"""The one interface every channel adapter implements, its errors, and a small JSON-over-HTTP client.

Errors are classified so the outbox knows what to do:
- ``TransientDeliveryError``: network failure, HTTP 5xx, rate limiting, provider "system busy" — the
  outbox retries with exponential backoff, then marks the message failed (shown to HR).
- ``PermanentDeliveryError``: bad phone number, unknown user, rejected content or credentials — retrying
  cannot help; the message is marked failed at once."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol


class DeliveryError(Exception):
    """Base class; ``code`` is the provider's error code when there is one."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class TransientDeliveryError(DeliveryError):
    pass


class PermanentDeliveryError(DeliveryError):
    pass


@dataclass(frozen=True)
class OutgoingMessage:
    """What the outbox hands to an adapter. ``idempotency_key`` is stable across retries of one message."""

    idempotency_key: str
    recipient: str
    subject: str
    text: str
    html: str = ""
    link: str = ""
    purpose: str = ""


@dataclass(frozen=True)
class Receipt:
    """The provider's answer: its message id (for later delivery receipts) and the raw, non-secret
    fields worth keeping as evidence."""

    provider_message_id: str
    accepted: bool = True
    details: dict[str, Any] = field(default_factory=dict)


class Channel(Protocol):
    name: str

    def send(self, message: OutgoingMessage) -> Receipt: ...


TIMEOUT = 10.0


def http_json(
    method: str,
    url: str,
    *,
    query: dict[str, Any] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> dict[str, Any]:
    """Call a JSON API. Network errors, 5xx and 429 raise TransientDeliveryError; other 4xx raise
    PermanentDeliveryError unless the JSON body says otherwise (callers inspect the body)."""
    if query:
        url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(query)}"
    if not url.startswith(("http://", "https://")):
        raise PermanentDeliveryError(f"invalid provider URL: {url[:100]}")
    data = None
    hdrs = {"Accept": "application/json", **(headers or {})}
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        hdrs.setdefault("Content-Type", "application/json; charset=utf-8")
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)  # noqa: S310 (scheme checked)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        raw = exc.read() or b""
        if exc.code >= 500 or exc.code == 429:
            raise TransientDeliveryError(f"HTTP {exc.code} from provider", str(exc.code)) from exc
        try:
            return _decode(raw) | {"_http_status": exc.code}
        except TransientDeliveryError:
            raise PermanentDeliveryError(f"HTTP {exc.code} from provider", str(exc.code)) from exc
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as exc:
        raise TransientDeliveryError(f"network error: {exc}") from exc
    return _decode(raw)


def _decode(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TransientDeliveryError("provider returned a non-JSON response") from exc
    if not isinstance(doc, dict):
        raise TransientDeliveryError("provider returned an unexpected JSON document")
    return doc
