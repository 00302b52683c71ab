"""Helpers for tests that run HRGuard as real processes (embedded settings, a scratch data and keys
directory per test)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PORTS = range(8363, 8380)  # this project's ports on the shared machine


def embedded_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HRGUARD_", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="hrguard.settings.embedded", HRGUARD_VAR_DIR=str(tmp / "var"),
               HRGUARD_KEYS_DIR=str(tmp / "keys"), HRGUARD_LOG_LEVEL="ERROR", HOME=str(tmp / "home"))
    env.update(extra)
    return env


def hrguard(*args: str, env: dict[str, str], **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "hrguard.cli", *args], env=env, cwd=str(PROJECT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)  # type: ignore[call-overload]


def run(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hrguard.cli", *args], env=env, cwd=str(PROJECT),
                          capture_output=True, text=True, timeout=timeout, check=False)


def alive(pid: int) -> bool:
    """Running (a zombie nobody reaped yet counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def wait_until(cond: Callable[[], bool], timeout: float = 60, what: str = "condition") -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8363-8379")


def lock_holder(queue: Path) -> int | None:
    try:
        text = Path(f"{queue}.lock").read_text().strip()
    except FileNotFoundError:
        return None
    return int(text) if text.isdigit() else None
