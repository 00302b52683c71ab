"""``hrguard backup DEST`` / ``hrguard restore SOURCE``: database, keys and uploaded files in one archive.

The archive (a gzip'd tar, written 0600 and renamed into place only when complete) holds::

    manifest.json          format, time, database vendor, evidence chain heads, and for every other
                           member its size and SHA-256
    database/…             SQLite snapshot (online backup API) or pg_dump custom-format file
    keys/…                 the keys directory (field-encryption keys, signing PKI, secret key) —
                           left out with --no-keys (keys kept elsewhere) or when the keys come from
                           environment variables
    checkpoints/…          the exported evidence checkpoints (HRGUARD_CHECKPOINT_DIR)
    media/…                uploaded files

It contains the keys next to the data they open: keep it as safe as the keys themselves.

Restore checks every member against the manifest before it changes anything, refuses to overwrite a
database that already holds data unless forced, never deletes keys (keys that differ are moved aside
to ``<keys dir>.replaced-<time>``), and ends with the checks a restore must pass: the evidence chains
verify and end where the manifest says, and the keys in place open the encrypted data."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hrguard.core import crypto
from hrguard.core.keycheck import check_keys_open_data
from hrguard.evidence.models import ChainHead

from . import dbdump

FORMAT = "hrguard-backup/1"
MANIFEST = "manifest.json"
RESTORE_SAMPLE = 50  # encrypted values per column decrypted after a restore


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead, or did not verify (message says why)."""


@dataclass
class Result:
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _media_root() -> Path | None:
    location = getattr(default_storage, "location", None)
    return Path(location) if location else None


def _keys_dir() -> Path:
    return Path(settings.HRGUARD_KEYS_DIR)


def _checkpoint_dir() -> Path:
    return Path(getattr(settings, "HRGUARD_CHECKPOINT_DIR", "") or _keys_dir().parent / "checkpoints")


def _copy_tree(src: Path, dst: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dst, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.tmp"))


def chain_heads() -> dict[str, dict[str, Any]]:
    heads = ChainHead.objects.order_by("company_id")
    return {str(h.company_id): {"events": h.size, "head": h.last_hash} for h in heads}


def _stage(staging: Path, *, include_keys: bool) -> tuple[dict[str, Any], list[str]]:
    notes: list[str] = []
    if ChainHead._meta.db_table not in connection.introspection.table_names():
        raise BackupError(f"the database {connection.settings_dict['NAME']} has no HRGuard tables (not migrated?): "
                          "nothing to back up. Check DJANGO_SETTINGS_MODULE / HRGUARD_VAR_DIR / HRGUARD_DATABASE_URL.")
    (staging / "database").mkdir()
    db_file = dbdump.dump(staging / "database")
    keys_from_env = bool(os.environ.get("HRGUARD_FIELD_KEYS"))
    if include_keys:
        _copy_tree(_keys_dir(), staging / "keys")
        if keys_from_env:
            notes.append("field-encryption keys come from HRGUARD_FIELD_KEYS and are NOT in the archive")
    else:
        notes.append("keys left out (--no-keys): keep the keys directory backed up separately")
    _copy_tree(_checkpoint_dir(), staging / "checkpoints")
    media = _media_root()
    if media is not None:
        _copy_tree(media, staging / "media")
    files = {
        str(p.relative_to(staging)): {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in sorted(staging.rglob("*")) if p.is_file()
    }
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"vendor": dbdump.vendor(), "file": str(db_file.relative_to(staging))},
        "keys": {"included": include_keys and (staging / "keys").is_dir(), "from_environment": keys_from_env},
        "evidence": chain_heads(),
        "files": files,
    }
    return manifest, notes


def backup(dest: Path, *, include_keys: bool = True) -> Result:
    """Write the archive ``dest`` (replaced atomically if it exists)."""
    dest = dest.resolve()
    for inside in (_media_root(), _keys_dir(), _checkpoint_dir()):
        if inside is not None and dest.is_relative_to(inside.resolve()):
            raise BackupError(f"{dest} is inside {inside}, which the backup copies: choose a place outside it")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".hrguard-backup-", dir=dest.parent) as tmp:
        staging = Path(tmp) / "staging"
        staging.mkdir()
        manifest, notes = _stage(staging, include_keys=include_keys)
        part = Path(tmp) / "archive.part"
        with tarfile.open(part, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            for name in manifest["files"]:
                tar.add(staging / name, arcname=name, recursive=False)
        os.chmod(part, 0o600)
        _unpack(part, Path(tmp) / "check")  # read back: every member is there with its hash
        os.replace(part, dest)
    return Result(manifest, notes)


def _unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Extract (regular files only, no paths outside ``into``) and check every member against the
    manifest; returns the manifest."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive} is not a readable HRGuard backup: {exc}") from exc
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{archive} has no readable {MANIFEST}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: unknown backup format {manifest.get('format')!r} (expected {FORMAT})")
    present = {str(p.relative_to(into)) for p in into.rglob("*") if p.is_file()} - {MANIFEST}
    listed = set(manifest["files"])
    if present != listed:
        raise BackupError(f"{archive}: members differ from the manifest (missing {sorted(listed - present)[:5]}, "
                          f"unlisted {sorted(present - listed)[:5]})")
    for name, meta in manifest["files"].items():
        if _sha256(into / name) != meta["sha256"]:
            raise BackupError(f"{archive}: {name} does not match its SHA-256 in the manifest (damaged backup)")
    return manifest


def _same_tree(a: Path, b: Path) -> bool:
    def digest(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): _sha256(p) for p in root.rglob("*") if p.is_file()}

    return digest(a) == digest(b)


def _restore_dir(src: Path, target: Path, what: str, notes: list[str]) -> None:
    """Put the backup's copy of a directory in place; a differing current one is moved aside, never deleted."""
    if target.exists() and any(target.iterdir()) and not _same_tree(src, target):
        aside = target.with_name(f"{target.name}.replaced-{dt.datetime.now():%Y%m%d-%H%M%S}")
        target.rename(aside)
        notes.append(f"the {what} that were at {target} differ from the backup's: moved to {aside}")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    _copy_tree(src, target)


def restore(source: Path, *, force: bool = False, progress: Callable[[str], None] = lambda _m: None) -> Result:
    """Restore the archive ``source`` into the configured database, keys directory and media storage,
    then verify. Raises ``BackupError`` when it cannot go ahead or the result does not verify."""
    source = source.resolve()
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    with tempfile.TemporaryDirectory(prefix=".hrguard-restore-") as tmp:
        unpacked = Path(tmp)
        manifest = _unpack(source, unpacked)
        progress(f"archive checked: {len(manifest['files'])} files match the manifest")
        kind = manifest["database"]["vendor"]
        if kind != dbdump.vendor():
            raise BackupError(f"this backup holds a {kind} database; the configured database is {dbdump.vendor()}")
        if dbdump.has_data() and not force:
            raise BackupError("the configured database already holds data; restoring would replace it. "
                              "Run again with --force to replace it (make a backup of it first).")
        notes: list[str] = []
        if manifest["keys"]["included"]:
            _restore_dir(unpacked / "keys", _keys_dir(), "keys", notes)
            crypto.reset_keyring_cache()
        else:
            notes.append(f"the backup has no keys: the keys at {_keys_dir()} (or HRGUARD_FIELD_KEYS) must open it")
        dbdump.load(unpacked / manifest["database"]["file"], kind)
        progress("database restored")
        if (unpacked / "checkpoints").is_dir():
            # The exported checkpoints must match the restored database, or `hrguard verify` reports the
            # restore as a truncated history; the newer ones are kept aside (and named in the notes).
            _restore_dir(unpacked / "checkpoints", _checkpoint_dir(), "exported checkpoints", notes)
        media = _media_root()
        if media is not None and (unpacked / "media").is_dir():
            media.mkdir(parents=True, exist_ok=True, mode=0o700)
            _copy_tree(unpacked / "media", media)
    verify_restored(manifest)
    return Result(manifest, notes)


def verify_restored(manifest: dict[str, Any]) -> None:
    """The evidence chains verify and end where the backup's did; the keys open the encrypted data."""
    crypto.reset_keyring_cache()
    try:
        call_command("verify", stdout=io.StringIO())
    except CommandError as exc:
        raise BackupError(f"the restored evidence log does not verify: {exc} (run `hrguard verify`)") from exc
    heads = chain_heads()
    if heads != manifest["evidence"]:
        raise BackupError(
            f"the restored evidence chains end elsewhere than the backup's: {heads} != {manifest['evidence']}"
        )
    try:
        check_keys_open_data(sample=RESTORE_SAMPLE)
    except crypto.KeysUnavailable as exc:
        raise BackupError(f"restored, but {exc}") from exc
