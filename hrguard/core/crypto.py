"""Field encryption at rest (AES-256-GCM) and HMAC blind indexes.

Keys live outside the database: in ``HRGUARD_FIELD_KEYS`` / ``HRGUARD_BLIND_INDEX_KEY`` environment
variables (base64) or, by default, in ``<HRGUARD_KEYS_DIR>/field-keys.json`` created on first use with
mode 0600 — but only while the database holds no encrypted value: keys are never generated over
existing data (``KeysUnavailable`` instead, see ``keycheck.py`` for the start-up check that the keys
open the data). Several data keys may exist; new values are written with the current one, old ones still
decrypt (rotation). Ciphertext format: ``v1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>``; the field's
name is bound as associated data, so a ciphertext copied into another column does not decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(ValueError):
    pass


class KeysUnavailable(ImproperlyConfigured):
    """The field-encryption keys are missing or do not open the encrypted data in the database."""


@dataclass(frozen=True)
class Keyring:
    current: str
    data_keys: dict[str, bytes]
    index_key: bytes


_lock = threading.Lock()
_keyring: Keyring | None = None


def _keys_path() -> Path:
    return Path(settings.HRGUARD_KEYS_DIR) / "field-keys.json"


def _load_or_create() -> Keyring:
    env_keys = os.environ.get("HRGUARD_FIELD_KEYS")
    env_index = os.environ.get("HRGUARD_BLIND_INDEX_KEY")
    if env_keys and env_index:
        raw = json.loads(env_keys)
        return Keyring(
            current=raw["current"],
            data_keys={k: base64.b64decode(v) for k, v in raw["keys"].items()},
            index_key=base64.b64decode(env_index),
        )
    path = _keys_path()
    if not path.exists():
        _create_keys(path)
    doc = json.loads(path.read_text())
    return Keyring(
        current=doc["current"],
        data_keys={k: base64.b64decode(v) for k, v in doc["keys"].items()},
        index_key=base64.b64decode(doc["index_key"]),
    )


def _create_keys(path: Path) -> None:
    """Generate a fresh keyring file — refused when encrypted data already exists (it would then be
    unreadable for good, and new records would be encrypted with keys the old backups do not have)."""
    from .keycheck import encrypted_columns_with_data

    if found := encrypted_columns_with_data():
        raise KeysUnavailable(
            f"no field-encryption keys at {path}, but the database already holds encrypted data "
            f"({', '.join(found[:3])}): refusing to generate new keys over it. Restore the keys directory "
            "(hrguard restore, or copy it back) or set HRGUARD_KEYS_DIR / HRGUARD_FIELD_KEYS to where the keys are."
        )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    doc = {
        "current": "k1",
        "keys": {"k1": base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()},
        "index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(json.dumps(doc))
    try:
        os.link(tmp, path)  # atomic and never replaces: a concurrent first start keeps the winner's keys
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def keyring() -> Keyring:
    global _keyring
    if _keyring is None:
        with _lock:
            if _keyring is None:
                _keyring = _load_or_create()
    return _keyring


def reset_keyring_cache() -> None:
    global _keyring
    _keyring = None


def encrypt(plaintext: str, context: str) -> str:
    ring = keyring()
    nonce = secrets.token_bytes(12)
    ct = AESGCM(ring.data_keys[ring.current]).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"v1:{ring.current}:{base64.b64encode(nonce + ct).decode()}"


def decrypt(token: str, context: str) -> str:
    try:
        version, key_id, body = token.split(":", 2)
        if version != "v1":
            raise DecryptionError(f"unknown ciphertext version {version!r}")
        key = keyring().data_keys[key_id]
        blob = base64.b64decode(body)
        return AESGCM(key).decrypt(blob[:12], blob[12:], context.encode()).decode("utf-8")
    except DecryptionError:
        raise
    except Exception as exc:  # bad format, unknown key, tag mismatch
        raise DecryptionError(f"cannot decrypt {context}: {type(exc).__name__}") from exc


def normalize_for_index(value: str) -> str:
    """Normalise before indexing so that full-width digits, spaces and letter case do not matter."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def blind_index(value: str, context: str) -> str:
    """Deterministic keyed hash for equality search on an encrypted column (32 hex chars)."""
    msg = f"{context}\x00{normalize_for_index(value)}".encode()
    return hmac.new(keyring().index_key, msg, hashlib.sha256).hexdigest()[:32]
