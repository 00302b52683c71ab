"""Secret key handling: from the environment, or generated once into the keys directory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def load_secret_key() -> str:
    value = os.environ.get("HRGUARD_SECRET_KEY")
    if value:
        return value
    from .base import HRGUARD_KEYS_DIR

    path = Path(HRGUARD_KEYS_DIR) / "django-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
