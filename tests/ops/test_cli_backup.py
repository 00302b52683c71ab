"""The command-line interface end to end on the embedded default, in real processes: a restore on a
machine without the keys, and start-up with keys that do not open the data, are refused with a clear
message and no key is generated; ``hrguard backup`` / ``hrguard restore`` bring everything back."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

from .procs import embedded_env, hrguard, lock_holder, run, wait_until


def _ok(proc: object) -> str:
    assert proc.returncode == 0, proc.stderr[-3000:]  # type: ignore[attr-defined]
    return proc.stdout  # type: ignore[attr-defined,no-any-return]


def test_backup_restore_and_refusal_to_start(tmp_path: Path) -> None:
    env = embedded_env(tmp_path)
    keys, var = tmp_path / "keys", tmp_path / "var"
    _ok(run("migrate", "-v", "0", env=env))
    _ok(run("demo", "--employees", "10", env=env))
    assert stat.S_IMODE((var / "hrguard.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((keys / "field-keys.json").stat().st_mode) == 0o600
    out = _ok(run("backup", str(tmp_path / "full.tar.gz"), env=env))
    assert "keys included" in out
    assert "keys NOT included" in _ok(run("backup", "--no-keys", str(tmp_path / "nokeys.tar.gz"), env=env))

    # The keys directory is lost (or the app is pointed at the wrong one): nothing starts, nothing is generated.
    shutil.rmtree(keys)
    for command in (["run", "--no-demo", "--port", "8379"], ["run_huey"]):
        proc = run(*command, env=env, timeout=120)
        assert proc.returncode != 0
        assert "refusing to generate new keys" in proc.stderr and "people.employee" in proc.stderr
        assert not (keys / "field-keys.json").exists()

    # A restore that does not bring the keys fails its verification, still without generating any.
    shutil.rmtree(var)
    proc = run("restore", str(tmp_path / "nokeys.tar.gz"), env=env)
    assert proc.returncode != 0 and "restore failed" in proc.stderr and "refusing to generate new keys" in proc.stderr
    assert not (keys / "field-keys.json").exists()

    # The full archive brings database and keys back; the result verifies and the worker starts.
    out = _ok(run("restore", "--force", str(tmp_path / "full.tar.gz"), env=env))
    assert "restored and verified" in out
    assert "OK" in _ok(run("verify", env=env))
    worker = hrguard("run_huey", env=env)
    try:
        wait_until(lambda: lock_holder(var / "huey.sqlite3") == worker.pid, 60, "the worker to start")
    finally:
        worker.kill()
        worker.communicate(timeout=30)
