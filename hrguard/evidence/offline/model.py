"""The package as read from its zip, the outcome of each check, and the format's constants."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from cryptography import x509

FORMAT = "hrguard-evidence-package"
PACKAGE_ACTION = "evidence.package_built"
GENESIS = "0" * 64
MAX_MEMBER = 512 * 1024 * 1024


# --- results ---------------------------------------------------------------------------------------------

@dataclass
class Check:
    zh: str
    en: str
    status: str = "ok"  # ok | fail | skipped
    detail: str = ""


@dataclass
class Result:
    checks: list[Check] = field(default_factory=list)
    info: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.status != "fail" for c in self.checks)

    @property
    def first_failure(self) -> Check | None:
        return next((c for c in self.checks if c.status == "fail"), None)


class Invalid(Exception):
    """A check failed; the message names what."""


@dataclass
class Package:
    files: dict[str, bytes]
    manifest: dict[str, Any] = field(default_factory=dict)
    records: list[tuple[bytes, dict[str, Any]]] = field(default_factory=list)
    proofs: dict[str, Any] = field(default_factory=dict)
    checkpoint: dict[str, Any] = field(default_factory=dict)
    statement: dict[str, Any] = field(default_factory=dict)
    certs: list[x509.Certificate] = field(default_factory=list)
    info: list[str] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)


def _json(pkg: Package, name: str) -> Any:
    if name not in pkg.files:
        raise Invalid(f"{name} is missing")
    try:
        return json.loads(pkg.files[name].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Invalid(f"{name} is not valid JSON: {exc}") from exc


def read_zip(data: bytes) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(BytesIO(data)) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            if info.file_size > MAX_MEMBER:
                raise ValueError(f"{info.filename} is too large")
            if info.filename in files:
                raise ValueError(f"{info.filename} appears twice in the zip")
            files[info.filename] = zf.read(info)
    return files
