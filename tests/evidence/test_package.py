"""Evidence packages: build for a small signing case, verify offline (in process, as a subprocess
without Django, from the copy inside the package), and the Chinese certificate of completion."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from hrguard.evidence import checkpoints, verify
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.offline import bundle
from hrguard.evidence.offline import verify as offline
from hrguard.platform.pdf.poppler import extract_text, pdfsig_report_bytes, squash_whitespace
from hrguard.platform.pdf.seal import verify_pdf

from .test_package_helpers import ACTIONS, build_case_package, unzip

REPO = Path(__file__).resolve().parents[2]


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "HRGUARD"))}
    env["PYTHONPATH"] = str(REPO)
    return env


@pytest.mark.django_db
def test_package_contents_and_verification(world) -> None:
    data = build_case_package(world)
    files = unzip(data)
    assert {"README.txt", "verify.py", "manifest.json", "events.jsonl", "proofs.json", "checkpoint.json",
            "history.json", "certs/company-signing.pem", "certs/company-root.pem", "completion.pdf",
            "documents/解除通知-原件.pdf", "documents/解除通知-已签署.pdf"} == set(files)
    lines = files["events.jsonl"].decode().splitlines()
    stored = {e.seq: e.record for e in EvidenceEvent.objects.filter(company=world.company)}
    records = [json.loads(x) for x in lines]
    assert [line == stored[r["seq"]] for line, r in zip(lines, records, strict=True)] == [True] * len(lines)
    assert [r["action"] for r in records] == [*ACTIONS, "evidence.package_built"]
    built = EvidenceEvent.objects.get(company=world.company, action="evidence.package_built")
    # then the checkpoint's own events: its evidence event and the administrators' notification
    after = EvidenceEvent.objects.filter(company=world.company, seq__gt=built.seq).order_by("seq")
    assert [e.action for e in after] == ["evidence.checkpoint_issued", "notify.queued"]
    assert json.loads(built.record)["data"]["events"] == [r["seq"] for r in records[:-1]]
    cp = json.loads(files["checkpoint.json"])
    assert cp["tree_size"] == built.seq + 1
    readme = files["README.txt"].decode()
    assert readme.index("如何离线验证") < readme.index("How to verify offline")
    assert "python3 verify.py" in readme
    assert files["verify.py"] == bundle.script()

    result = offline.verify_package(data)
    assert result.ok, offline.format_report(result, "case.zip")
    statuses = {c.en: c.status for c in result.checks}
    assert statuses["PDF signatures (PAdES)"] == "ok"
    assert statuses["RFC 3161 timestamp"] == "skipped"  # no TSA configured
    assert verify.verify_company(world.company.pk).ok  # building the package kept the log sound


@pytest.mark.django_db
def test_completion_certificate_is_chinese_and_sealed(world) -> None:
    files = unzip(build_case_package(world))
    pdf = files["completion.pdf"]
    text = squash_whitespace(extract_text(pdf)).replace("\u200b", "")  # wrap points in long names
    assert "证据完成证明" in text
    assert "张测试" in text
    for action in [*ACTIONS, "evidence.package_built"]:
        assert action in text
    assert "203.0.113.7" in text and "网页" in text
    cp = json.loads(files["checkpoint.json"])
    assert cp["root"] in text.replace(" ", "")
    for name in ("documents/解除通知-原件.pdf", "documents/解除通知-已签署.pdf"):
        from hashlib import sha256

        assert sha256(files[name]).hexdigest() in text.replace(" ", "")
    from hrguard.evidence import labels

    for action in ("esign.viewed", "esign.signed"):
        assert f"{labels.label_zh(action)}（{action}）" in text
    identity = checkpoints.company_identity(world.company.pk)
    result = verify_pdf(pdf, [identity.root])
    assert result.ok, result
    assert pdfsig_report_bytes(pdf).signatures[0].signature_valid  # independent check by poppler


@pytest.mark.django_db
def test_verifier_runs_without_django(world, tmp_path) -> None:
    path = tmp_path / "case.zip"
    path.write_bytes(build_case_package(world))
    proc = subprocess.run(
        [sys.executable, "-m", "hrguard.evidence.offline.verify", str(path)],
        env=_clean_env(), capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "有效 VALID" in proc.stdout
    # The copy inside the package, run from a directory with nothing else on the path.
    script = tmp_path / "verify.py"
    script.write_bytes(unzip(path.read_bytes())["verify.py"])
    env = {k: v for k, v in _clean_env().items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [sys.executable, "-I", str(script), str(path)], env=env, capture_output=True, text=True, check=False,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "清单哈希 / manifest hashes" in proc.stdout
    # `hrguard verify-package` needs no settings either.
    proc = subprocess.run(
        [sys.executable, "-c", "from hrguard.cli import main; main()", "verify-package", str(path)],
        env=_clean_env(), capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.django_db
def test_manage_verify_package(world, tmp_path, capsys) -> None:
    path = tmp_path / "case.zip"
    path.write_bytes(build_case_package(world))
    call_command("verify_package", str(path))
    assert "有效 VALID" in capsys.readouterr().out


@pytest.mark.django_db
def test_existing_checkpoint_is_reused_when_it_covers_the_package(world) -> None:
    build_case_package(world)
    cp = checkpoints.latest(world.company.pk)
    assert cp.tree_size + cp.own_events == EvidenceEvent.objects.filter(company=world.company).count()
    build_case_package(world)  # the second package is covered by a second checkpoint
    assert checkpoints.latest(world.company.pk).tree_size > cp.tree_size


@pytest.mark.django_db
def test_foreign_event_is_refused(world, other_world) -> None:
    from django.db import transaction

    from hrguard.evidence import services
    from hrguard.evidence.package import PackageError, build_package

    with transaction.atomic():
        foreign = services.record(other_world.company, None, "x.y", None, {})
    with pytest.raises(PackageError, match="another company"):
        build_package(world.company, title="t", events=[foreign], documents=[], actor=None)


@pytest.mark.django_db
def test_verifier_without_pyhanko_or_asn1crypto(world, tmp_path) -> None:
    """With only cryptography importable, the PDF signatures are reported as skipped, the rest verified."""
    path = tmp_path / "case.zip"
    path.write_bytes(build_case_package(world))
    script = tmp_path / "verify.py"
    script.write_bytes(unzip(path.read_bytes())["verify.py"])
    code = (
        "import sys, runpy\n"
        "for name in ('pyhanko', 'pyhanko_certvalidator', 'asn1crypto'):\n"
        "    sys.modules[name] = None\n"
        f"sys.argv = ['verify.py', {str(path)!r}]\n"
        f"runpy.run_path({str(script)!r}, run_name='__main__')\n"
    )
    env = {k: v for k, v in _clean_env().items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-I", "-c", code], env=env, capture_output=True, text=True,
                          check=False, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "[跳过 SKIP] PDF 签名 / PDF signatures (PAdES): pyHanko not installed" in proc.stdout
    assert "hash also recorded by events" in proc.stdout


@pytest.mark.django_db
def test_main_with_fingerprint_pin(world, tmp_path, capsys) -> None:
    from cryptography.hazmat.primitives import hashes

    path = tmp_path / "case.zip"
    path.write_bytes(build_case_package(world))
    genuine = checkpoints.company_identity(world.company.pk).cert.fingerprint(hashes.SHA256()).hex()
    assert offline.main([str(path), "--expect-fingerprint", genuine]) == 0
    assert "证书指纹 / certificate fingerprint: matches" in capsys.readouterr().out
    assert offline.main([str(path), "--expect-fingerprint", "00" * 32]) == 1
    assert "is not the expected one" in capsys.readouterr().out
    assert offline.main([str(path), "--expect-fingerprint"]) == 2
    assert offline.main([]) == 2


@pytest.mark.django_db
def test_repeated_document_names_are_suffixed(world) -> None:
    from hrguard.evidence.package import build_package

    from .test_package_helpers import case_documents, record_case

    original, signed = case_documents(world)
    events = record_case(world, original, signed)
    data = build_package(
        world.company, title="批量签署", events=events, actor=None,
        documents=[("原件.pdf", original, "original"), ("原件.pdf", original, "original"), ("签署", signed, "signed")],
    )
    assert {"documents/原件.pdf", "documents/原件-2.pdf", "documents/签署"} <= set(unzip(data))
    assert offline.verify_package(data).ok
