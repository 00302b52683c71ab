"""Packages carry the signed checkpoint history: a checkpoint someone kept earlier (sent to the admins,
published) can be matched offline, and a rewritten history is caught."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction

from hrguard.evidence import checkpoints, export, services
from hrguard.evidence.models import Checkpoint
from hrguard.evidence.offline import bundle
from hrguard.evidence.offline import verify as offline

from .test_package_helpers import build_case_package, rezip, unzip

pytestmark = pytest.mark.django_db


def _grow_and_checkpoint(world: Any, times: int) -> list[Checkpoint]:
    kept = []
    for n in range(times):
        with transaction.atomic():
            for i in range(n + 2):
                services.record(world.company, world.users["hr"], "other.noise", None, {"n": n, "i": i})
            kept.append(checkpoints.issue(world.company.pk, checkpoints.company_signer(world.company.pk)))
    return kept


@pytest.fixture
def history_package(world: Any) -> tuple[bytes, list[Checkpoint]]:
    kept = _grow_and_checkpoint(world, 3)
    data = build_case_package(world)
    return data, kept


def _check(result: offline.Result, en: str) -> offline.Check:
    return next(c for c in result.checks if c.en == en)


def test_history_is_packaged_and_verifies(history_package: tuple[bytes, list[Checkpoint]]) -> None:
    data, kept = history_package
    doc = json.loads(unzip(data)["history.json"])
    sizes = [c["tree_size"] for c in doc["checkpoints"]]
    assert sizes[:3] == [k.tree_size for k in kept] and sizes == sorted(sizes) and len(sizes) == 4
    assert len(doc["certificates"]) == 1  # one company certificate, listed once
    result = offline.verify_package(data)
    assert result.ok
    assert _check(result, "checkpoint history").detail.startswith("4 checkpoint(s)")


def test_a_kept_checkpoint_file_is_matched(history_package: tuple[bytes, list[Checkpoint]], tmp_path: Path) -> None:
    data, kept = history_package
    doc = export.document(kept[1])
    assert _check(offline.verify_package(data, known_checkpoint=doc), "kept checkpoint").status == "ok"
    (tmp_path / "pkg.zip").write_bytes(data)
    (tmp_path / "cp.json").write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "verify.py").write_bytes(bundle.script())
    proc = subprocess.run(
        [sys.executable, str(tmp_path / "verify.py"), str(tmp_path / "pkg.zip"), "--checkpoint", str(tmp_path / "cp.json")],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "已知检查点 / kept checkpoint" in proc.stdout


def test_a_forked_kept_checkpoint_is_reported(history_package: tuple[bytes, list[Checkpoint]], world: Any) -> None:
    """The company key signed another root for a size this history has: two different logs exist."""
    data, kept = history_package
    doc = export.document(kept[1])
    statement = json.loads(doc["statement"])
    statement["root"] = "ab" * 32
    doc["statement"] = json.dumps(statement, sort_keys=True, separators=(",", ":"))
    key = checkpoints.company_signer(world.company.pk).private_key
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    doc["signature"] = key.sign(doc["statement"].encode(), ec.ECDSA(hashes.SHA256())).hex()
    check = _check(offline.verify_package(data, known_checkpoint=doc), "kept checkpoint")
    assert check.status == "fail" and "two different logs were signed" in check.detail


def test_a_kept_checkpoint_not_signed_by_the_company_fails(history_package: tuple[bytes, list[Checkpoint]]) -> None:
    data, kept = history_package
    doc = export.document(kept[0])
    doc["signature"] = "30" + doc["signature"][2:-4] + "0000"
    check = _check(offline.verify_package(data, known_checkpoint=doc), "kept checkpoint")
    assert check.status == "fail" and "not signed by the company" in check.detail


def test_removing_a_checkpoint_from_the_history_is_caught(history_package: tuple[bytes, list[Checkpoint]]) -> None:
    data, _ = history_package

    def drop_middle(files: dict[str, bytes]) -> None:
        doc = json.loads(files["history.json"])
        del doc["checkpoints"][1]
        files["history.json"] = json.dumps(doc).encode()

    result = offline.verify_package(rezip(data, drop_middle))
    check = _check(result, "checkpoint history")
    assert not result.ok and "does not name checkpoint 1 as its predecessor" in check.detail


def test_an_altered_consistency_proof_is_caught(history_package: tuple[bytes, list[Checkpoint]]) -> None:
    data, _ = history_package

    def alter(files: dict[str, bytes]) -> None:
        doc = json.loads(files["history.json"])
        proof = doc["checkpoints"][2]["consistency"]
        assert proof
        proof[0] = "00" * 32
        files["history.json"] = json.dumps(doc).encode()

    check = _check(offline.verify_package(rezip(data, alter)), "checkpoint history")
    assert check.status == "fail" and "the log was rewritten" in check.detail


def test_history_must_end_at_the_packages_checkpoint(history_package: tuple[bytes, list[Checkpoint]]) -> None:
    data, _ = history_package

    def cut(files: dict[str, bytes]) -> None:
        doc = json.loads(files["history.json"])
        doc["checkpoints"].pop()
        files["history.json"] = json.dumps(doc).encode()

    check = _check(offline.verify_package(rezip(data, cut)), "checkpoint history")
    assert check.status == "fail" and "does not end at the package's checkpoint" in check.detail
