"""Any change to an evidence package is found, and the first failing check is named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hrguard.evidence.canonical import canonical_bytes
from hrguard.evidence.offline import verify as offline
from hrguard.platform.pdf.keys import generate_company_pki

from .test_package_helpers import build_case_package, rezip

SIGNED = "documents/解除通知-已签署.pdf"


@pytest.fixture
def package(world: Any) -> bytes:
    data = build_case_package(world)
    assert offline.verify_package(data).ok
    return data


def _failure(data: bytes) -> tuple[str, str, dict[str, str]]:
    result = offline.verify_package(data)
    assert not result.ok
    first = result.first_failure
    assert first is not None
    return first.en, first.detail, {c.en: c.status for c in result.checks}


def _flip_byte(files: dict[str, bytes], name: str) -> None:
    body = bytearray(files[name])
    body[len(body) // 3] ^= 0x01
    files[name] = bytes(body)


def _edit_events(files: dict[str, bytes], change: Any) -> None:
    lines = files["events.jsonl"].decode().splitlines()
    records = [json.loads(x) for x in lines]
    change(records)
    files["events.jsonl"] = b"".join(canonical_bytes(r) + b"\n" for r in records)


@pytest.mark.django_db
def test_one_byte_of_signed_pdf(package: bytes) -> None:
    check, detail, _ = _failure(rezip(package, lambda f: _flip_byte(f, SIGNED), fix_manifest=False))
    assert check == "manifest hashes" and SIGNED in detail and "modified" in detail
    # A forger who also rewrites the manifest is caught by the hash in the evidence log and the PAdES seal.
    check, detail, statuses = _failure(rezip(package, lambda f: _flip_byte(f, SIGNED)))
    assert check == "document hashes"
    assert detail == f"document {SIGNED}: SHA-256 differs from the hash recorded in the evidence log"
    assert statuses["PDF signatures (PAdES)"] == "fail"


@pytest.mark.django_db
def test_edited_event(package: bytes) -> None:
    def change(records: list[dict[str, Any]]) -> None:
        records[1]["ctx"]["ip"] = "198.51.100.1"  # claim the employee viewed it from elsewhere

    check, detail, _ = _failure(rezip(package, lambda f: _edit_events(f, change)))
    assert check == "event hashes"
    assert detail.endswith("record does not match its hash (edited)")


@pytest.mark.django_db
def test_non_canonical_event(package: bytes) -> None:
    def respace(files: dict[str, bytes]) -> None:
        files["events.jsonl"] = files["events.jsonl"].replace(b'"action":', b'"action": ', 1)

    check, detail, _ = _failure(rezip(package, respace))
    assert check == "event hashes" and "canonical" in detail


@pytest.mark.django_db
def test_dropped_event(package: bytes) -> None:
    def drop(files: dict[str, bytes]) -> None:
        lines = files["events.jsonl"].decode().splitlines(keepends=True)
        victim = json.loads(lines[1])["seq"]
        files["events.jsonl"] = "".join(lines[:1] + lines[2:]).encode()
        proofs = json.loads(files["proofs.json"])
        proofs["events"] = [e for e in proofs["events"] if e["seq"] != victim]
        files["proofs.json"] = json.dumps(proofs).encode()

    check, detail, _ = _failure(rezip(package, drop))
    assert check == "package completeness"
    assert "listed in the package record is missing (dropped)" in detail


@pytest.mark.django_db
def test_dropped_event_line_only(package: bytes) -> None:
    def drop(files: dict[str, bytes]) -> None:
        lines = files["events.jsonl"].decode().splitlines(keepends=True)
        files["events.jsonl"] = "".join(lines[:2] + lines[3:]).encode()

    check, detail, _ = _failure(rezip(package, drop))
    assert check == "event hashes" and "missing from events.jsonl" in detail


@pytest.mark.django_db
def test_swapped_checkpoint_root(package: bytes) -> None:
    def swap(files: dict[str, bytes]) -> None:
        cp = json.loads(files["checkpoint.json"])
        fake = "ab" * 32
        statement = json.loads(cp["statement"])
        statement["root"] = fake
        cp["root"] = fake
        cp["statement"] = json.dumps(statement, sort_keys=True, separators=(",", ":"))
        files["checkpoint.json"] = json.dumps(cp).encode()

    check, detail, statuses = _failure(rezip(package, swap))
    assert check == "inclusion proofs"
    assert detail.endswith("inclusion proof does not lead to the checkpoint root")
    assert statuses["checkpoint signature"] == "fail"  # the statement was re-written: signature broken


@pytest.mark.django_db
def test_root_differs_from_signed_statement(package: bytes) -> None:
    def swap(files: dict[str, bytes]) -> None:
        cp = json.loads(files["checkpoint.json"])
        proofs = json.loads(files["proofs.json"])
        cp["tree_size"] += 1  # claim a bigger tree than the one signed
        files["checkpoint.json"] = json.dumps(cp).encode()
        files["proofs.json"] = json.dumps(proofs).encode()

    _check, _detail, statuses = _failure(rezip(package, swap))
    assert statuses["checkpoint signature"] == "fail"


@pytest.mark.django_db
def test_replaced_certificate(package: bytes) -> None:
    from cryptography.hazmat.primitives import serialization

    impostor = generate_company_pki("甲公司")

    def replace(files: dict[str, bytes]) -> None:
        files["certs/company-signing.pem"] = impostor.signer.cert.public_bytes(serialization.Encoding.PEM)
        files["certs/company-root.pem"] = impostor.root.cert.public_bytes(serialization.Encoding.PEM)

    check, detail, _ = _failure(rezip(package, replace))
    assert check == "checkpoint signature"
    assert detail == "checkpoint signature does not verify with the packaged certificate"


@pytest.mark.django_db
def test_added_file_and_removed_file(package: bytes) -> None:
    def add(files: dict[str, bytes]) -> None:
        files["documents/extra.pdf"] = b"%PDF-1.7"

    check, detail, _ = _failure(rezip(package, add, fix_manifest=False))
    assert check == "manifest hashes" and "not listed" in detail

    def remove(files: dict[str, bytes]) -> None:
        del files["completion.pdf"]

    check, detail, _ = _failure(rezip(package, remove, fix_manifest=False))
    assert check == "manifest hashes" and "missing" in detail


@pytest.mark.django_db
def test_subprocess_exit_status_and_message(package: bytes, tmp_path: Path) -> None:
    path = tmp_path / "tampered.zip"
    path.write_bytes(rezip(package, lambda f: _flip_byte(f, SIGNED)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    proc = subprocess.run(
        [sys.executable, "-m", "hrguard.evidence.offline.verify", str(path)],
        env=env, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1
    assert "无效 INVALID" in proc.stdout
    assert "首个失败 first failure: 文件哈希 / document hashes" in proc.stdout
    bad = tmp_path / "not-a-zip.zip"
    bad.write_bytes(b"nope")
    proc = subprocess.run(
        [sys.executable, "-m", "hrguard.evidence.offline.verify", str(bad)],
        env=env, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2


@pytest.mark.django_db
def test_resigned_with_another_key_and_fingerprint_pin(package: bytes, world: Any) -> None:
    """A forger who re-signs the checkpoint with their own key and ships their certificate is caught by
    the completion seal, and by the pinned fingerprint."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from hrguard.evidence import checkpoints

    impostor = generate_company_pki("甲公司")

    def resign(files: dict[str, bytes]) -> None:
        cp = json.loads(files["checkpoint.json"])
        key = impostor.signer.key
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        cp["signature"] = key.sign(cp["statement"].encode(), ec.ECDSA(hashes.SHA256())).hex()
        files["checkpoint.json"] = json.dumps(cp).encode()
        files["certs/company-signing.pem"] = impostor.signer.cert.public_bytes(serialization.Encoding.PEM)
        files["certs/company-root.pem"] = impostor.root.cert.public_bytes(serialization.Encoding.PEM)

    forged = rezip(package, resign)
    check, detail, _ = _failure(forged)
    # The earlier checkpoints in history.json were signed by the genuine company key, which the
    # forger's certificates did not issue.
    assert check == "checkpoint history" and "is not signed by the company" in detail

    def resign_and_drop_history(files: dict[str, bytes]) -> None:
        resign(files)
        del files["history.json"]

    forged = rezip(package, resign_and_drop_history)
    check, detail, _ = _failure(forged)
    assert check == "PDF signatures (PAdES)"
    assert detail == "completion.pdf is not sealed by the packaged company certificate"

    genuine = checkpoints.company_identity(world.company.pk).cert.fingerprint(hashes.SHA256()).hex()
    assert offline.verify_package(package, expect_fingerprint=genuine.upper()).ok
    pinned = offline.verify_package(forged, expect_fingerprint=genuine)
    assert any(c.en == "certificate fingerprint" and c.status == "fail" for c in pinned.checks)


@pytest.mark.django_db
def test_manage_verify_package_fails(package: bytes, tmp_path: Path) -> None:
    from django.core.management import CommandError, call_command

    path = tmp_path / "tampered.zip"
    path.write_bytes(rezip(package, lambda f: _flip_byte(f, "completion.pdf"), fix_manifest=False))
    with pytest.raises(CommandError, match=r"INVALID: manifest hashes: file completion\.pdf"):
        call_command("verify_package", str(path))
