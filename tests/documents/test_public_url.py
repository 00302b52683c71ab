"""Signing links follow the port the app was started on (``hrguard run --port N``) unless
HRGUARD_PUBLIC_URL says where employees reach the server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from hrguard.documents import notices
from hrguard.ops.management.commands import run

PORT = 8343  # this branch's port range (8340-8349)


def test_links_follow_the_running_port(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HRGUARD_PUBLIC_URL", raising=False)
    assert run.apply_public_url("127.0.0.1", 8345) == "http://127.0.0.1:8345"
    assert os.environ["HRGUARD_PUBLIC_URL"] == "http://127.0.0.1:8345"  # inherited by the worker
    assert notices.sign_url("tok") == "http://127.0.0.1:8345/sign/tok/"
    assert run.public_url("0.0.0.0", 9000) == "http://127.0.0.1:9000"  # noqa: S104
    assert run.public_url("::1", 9000) == "http://[::1]:9000"


def test_an_explicit_public_url_wins(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HRGUARD_PUBLIC_URL", "https://hr.example.cn")
    settings.HRGUARD_PUBLIC_URL = "https://hr.example.cn"
    assert run.apply_public_url("127.0.0.1", 8345) == "https://hr.example.cn"
    assert notices.sign_url("tok") == "https://hr.example.cn/sign/tok/"


def test_hrguard_run_with_port_serves_and_passes_the_url_to_its_worker(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HRGUARD_", "DJANGO_"))}
    env.update(HRGUARD_VAR_DIR=str(tmp_path), HRGUARD_KEYS_DIR=str(tmp_path / "keys"), PYTHONUNBUFFERED="1",
               HRGUARD_SQLITE_PATH=str(tmp_path / "db.sqlite3"), DJANGO_SETTINGS_MODULE="hrguard.settings.embedded")
    proc = subprocess.Popen([sys.executable, "-m", "hrguard.cli", "run", "--port", str(PORT), "--no-demo"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    worker = 0
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.stdout is not None:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("Worker started"):
                worker = int(line.split("pid ")[1].split(")")[0])
            if line.startswith("HRGuard: http"):
                break
        out = "".join(lines)
        assert f"Links in messages (signing links): http://127.0.0.1:{PORT}/" in out, out
        # Waits by the clock, not by a count of tries: on a loaded machine the first answer can take long.
        answered, until = False, time.monotonic() + 90
        while not answered and time.monotonic() < until:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=10) as resp:
                    assert resp.status == 200
                    answered = True
            except OSError:
                time.sleep(0.3)
        if not answered:
            pytest.fail("the server did not answer")
        assert worker, out
        environ = Path(f"/proc/{worker}/environ").read_bytes().split(b"\0")
        assert f"HRGUARD_PUBLIC_URL=http://127.0.0.1:{PORT}".encode() in environ
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
