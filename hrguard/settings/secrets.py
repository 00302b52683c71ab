"""Secret key handling: from the environment, or (embedded only) generated once into the keys directory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .paths import private_dir


def require_env(name: str, what: str, example: str) -> str:
    """The value of a required environment variable, or a clear refusal to start."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set: production settings need {what} and do not fall back to a default. "
            f"Set it, e.g. {name}={example}"
        )
    return value


def load_secret_key(*, generate: bool = True) -> str:
    """``HRGUARD_SECRET_KEY`` if set; otherwise (``generate``) a key created once, 0600, in the keys
    directory. Production passes ``generate=False``: several web hosts must share one key, so a key
    made up on one of them would silently break sessions and signed links on the others."""
    value = os.environ.get("HRGUARD_SECRET_KEY", "").strip()
    if value:
        return value
    if not generate:
        return require_env("HRGUARD_SECRET_KEY", "the Django secret key shared by every web process",
                           "$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')")
    from .base import HRGUARD_KEYS_DIR

    path = Path(HRGUARD_KEYS_DIR) / "django-secret-key"
    if not path.exists():
        private_dir(path.parent)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
