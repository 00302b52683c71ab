"""``hrguard verify`` checks the live log, or — given a .zip — an exported package offline."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from .test_package_helpers import build_case_package

pytestmark = pytest.mark.django_db


def test_verify_checks_the_live_log(world) -> None:
    build_case_package(world)  # writes events and a checkpoint
    out = io.StringIO()
    call_command("verify", stdout=out)
    assert f"company {world.company.pk}: OK" in out.getvalue()


def test_verify_accepts_a_package_and_rejects_a_tampered_one(world, tmp_path, capsys) -> None:
    data = build_case_package(world)
    good = tmp_path / "case.zip"
    good.write_bytes(data)
    call_command("verify", str(good))
    assert "VALID" in capsys.readouterr().out

    bad = tmp_path / "tampered.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "events.jsonl":
                body = body.replace(b'"action"', b'"action" ', 1)
            dst.writestr(item, body)
    with pytest.raises(CommandError, match="did not verify"):
        call_command("verify", str(bad))
