"""Where HRGuard keeps its files, and with which permissions.

Two places, deliberately apart:

* the **data directory** (``HRGUARD_VAR_DIR``): the embedded SQLite database, the SQLite task queue
  and uploaded files. In a source checkout it is ``<checkout>/var``; in an installed package (no
  checkout around it) ``$XDG_DATA_HOME/hrguard`` (``~/.local/share/hrguard``).
* the **keys directory** (``HRGUARD_KEYS_DIR``): field-encryption keys, the document-signing PKI and
  the generated Django secret key. Default ``$XDG_CONFIG_HOME/hrguard/keys``
  (``~/.config/hrguard/keys``) — not inside the data directory, so whoever copies the database file
  or the whole data directory (a file-level backup, a synced folder, a support bundle) does not get
  the keys that decrypt it. Backups that need both go through ``hrguard backup``.

Every file and directory HRGuard creates is private to the account it runs as: the process umask is
set to 077 when settings load (``secure_umask``), so SQLite files, their -wal/-shm companions, the
queue, key files and uploads are created 0600 and directories 0700; ``harden`` tightens what an older
version left behind with wider modes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def secure_umask() -> None:
    """Files created from now on are 0600, directories 0700 (whatever the caller's umask was)."""
    os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)


def _xdg(name: str, fallback: str) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else Path.home() / fallback


def default_var_dir(project_dir: Path) -> Path:
    """``<checkout>/var`` when running from a source checkout, else the user's data directory."""
    if (project_dir / "pyproject.toml").exists() and (project_dir / "hrguard").is_dir():
        return project_dir / "var"
    return _xdg("XDG_DATA_HOME", ".local/share") / "hrguard"


def default_keys_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config") / "hrguard" / "keys"


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    harden(path)
    return path


def harden(*paths: Path) -> None:
    """Remove group/other permissions from existing files and directories (no-op when absent or not
    ours to change)."""
    for path in paths:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                path.chmod(mode & 0o700)
        except (FileNotFoundError, PermissionError):
            continue
