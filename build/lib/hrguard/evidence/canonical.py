"""Canonical record encoding and the hashes built on it (no Django: usable by the offline verifier).

A record is a JSON object with sorted keys, UTF-8, no insignificant whitespace. Its fields:
``seq`` (0-based position in the company's chain), ``company``, ``at`` (UTC, ISO 8601, microseconds,
``Z``), ``actor``, ``action``, ``subject``, ``ctx`` (ip/user agent/channel), ``data`` and ``prev``
(hex SHA-256 of the previous record's canonical bytes; 64 zeros for the first).

* record hash  = SHA-256(canonical bytes)       — chains the log
* Merkle leaf  = SHA-256(0x00 ‖ canonical bytes) — RFC 6962 leaf of the company's tree
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def canonical_bytes(record: dict[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def record_hash(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


def leaf_hash(canonical: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + canonical).digest()
