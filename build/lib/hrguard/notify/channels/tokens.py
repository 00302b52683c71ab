"""Access tokens for the chat platforms, cached until shortly before they expire (shared cache, so
several worker processes on one Redis do not each fetch their own)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache

SAFETY_MARGIN = 300  # seconds: refresh before the provider's expiry


def _key(provider: str, base_url: str, app_id: str) -> str:
    digest = hashlib.sha256(f"{provider}|{base_url}|{app_id}".encode()).hexdigest()[:32]
    return f"hrguard:notify:token:{digest}"


class TokenCache:
    """``get()`` returns a cached token or calls ``fetch`` (→ token, lifetime seconds) once;
    ``invalidate()`` drops it after the provider said it expired."""

    def __init__(self, provider: str, base_url: str, app_id: str, fetch: Callable[[], tuple[str, int]]) -> None:
        self.key = _key(provider, base_url, app_id)
        self.fetch = fetch

    def get(self) -> str:
        token = cache.get(self.key)
        if token:
            return str(token)
        token, lifetime = self.fetch()
        cache.set(self.key, token, max(60, int(lifetime) - SAFETY_MARGIN))
        return token

    def invalidate(self) -> None:
        cache.delete(self.key)
