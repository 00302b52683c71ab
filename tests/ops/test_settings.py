"""Production settings refuse to start without their variables; files are private; the keys live
apart from the data directory."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from hrguard.settings import paths

from .procs import PROJECT

SHOW = ("import django; django.setup(); from django.conf import settings as s; "
        "print(s.VAR_DIR); print(s.HRGUARD_KEYS_DIR); print(s.DATABASES['default']['NAME'])")


def _settings(module: str, tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("HRGUARD_", "DJANGO_", "XDG_"))}
    base.update(DJANGO_SETTINGS_MODULE=module, HOME=str(tmp / "home"), HRGUARD_VAR_DIR=str(tmp / "data"), **env)
    return subprocess.run([sys.executable, "-c", SHOW], env=base, cwd=str(PROJECT), capture_output=True, text=True,
                          timeout=120, check=False)


PROD = {"HRGUARD_DATABASE_URL": "postgres://app@db.example:5432/hr", "HRGUARD_REDIS_URL": "redis://127.0.0.1:6379/5",
        "HRGUARD_SECRET_KEY": "s" * 50}


@pytest.mark.parametrize("missing", ["HRGUARD_SECRET_KEY", "HRGUARD_DATABASE_URL", "HRGUARD_REDIS_URL"])
def test_production_refuses_to_start_without(missing: str, tmp_path: Path) -> None:
    env = {k: v for k, v in PROD.items() if k != missing}
    proc = _settings("hrguard.settings.production", tmp_path, **env)
    assert proc.returncode != 0
    assert f"ImproperlyConfigured: {missing} is not set: production settings need" in proc.stderr
    assert not (tmp_path / "home" / ".config" / "hrguard" / "keys" / "django-secret-key").exists()


def test_production_starts_with_them(tmp_path: Path) -> None:
    proc = _settings("hrguard.settings.production", tmp_path, **PROD)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[2] == "hr"


def test_embedded_keys_default_outside_the_data_directory_and_files_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "hrguard.sqlite3").write_bytes(b"")
    (data / "hrguard.sqlite3").chmod(0o644)  # as an older version left it
    proc = _settings("hrguard.settings.embedded", tmp_path)
    assert proc.returncode == 0, proc.stderr
    var_dir, keys_dir, db = (Path(x) for x in proc.stdout.split()[:3])
    assert keys_dir == tmp_path / "home" / ".config" / "hrguard" / "keys"
    assert not keys_dir.is_relative_to(var_dir) and not Path(db).parent.samefile(keys_dir.parent)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "hrguard.sqlite3").stat().st_mode) == 0o600
    secret = keys_dir / "django-secret-key"  # generated once (embedded only), private
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and stat.S_IMODE(keys_dir.stat().st_mode) == 0o700


def test_installed_package_keeps_data_in_the_users_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    site = tmp_path / "site-packages"  # no checkout around the package
    (site / "hrguard").mkdir(parents=True)
    assert paths.default_var_dir(site) == tmp_path / "share" / "hrguard"
    assert paths.default_var_dir(PROJECT) == PROJECT / "var"


def test_umask_makes_new_files_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        paths.secure_umask()
        (tmp_path / "f").write_text("x")
        (tmp_path / "d").mkdir()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == 0o700
