"""The bundled verify.py gives the same verdicts on Debian 12's stock python3 (cryptography 38) as on the
venv's Python, and says what it needs — never INVALID — when this Python's cryptography cannot check."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hrguard.evidence.offline import verify as offline
from hrguard.platform.pdf.keys import generate_company_pki

from .test_package_helpers import build_case_package

SYSTEM_PYTHON = "/usr/bin/python3"


def _system_python_usable() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import cryptography"], capture_output=True, check=False)
    return probe.returncode == 0


PYTHONS = [
    pytest.param(sys.executable, id="venv"),
    pytest.param(
        SYSTEM_PYTHON, id="system",
        marks=pytest.mark.skipif(not _system_python_usable(), reason="no system python3 with cryptography"),
    ),
]


def _tampered(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "events.jsonl":
                body = body.replace(b'"action"', b'"action" ', 1)
            dst.writestr(item, body)
    return out.getvalue()


_BUILT: dict[str, tuple[Path, Path, Path]] = {}


@pytest.fixture
def packages(tmp_path_factory) -> tuple[Path, Path, Path]:
    """One genuine package (and a tampered copy) for the module, built on first use."""
    if "pkg" not in _BUILT:
        from django.db import transaction

        from tests.conftest import build_world

        folder = tmp_path_factory.mktemp("pythons")
        with transaction.atomic():
            data = build_case_package(build_world("pyver", "丙公司", 3))
            transaction.set_rollback(True)
        good, bad = folder / "good.zip", folder / "bad.zip"
        good.write_bytes(data)
        bad.write_bytes(_tampered(data))
        with zipfile.ZipFile(good) as zf:
            (folder / "verify.py").write_bytes(zf.read("verify.py"))
        _BUILT["pkg"] = (folder / "verify.py", good, bad)
    return _BUILT["pkg"]


@pytest.mark.django_db
@pytest.mark.parametrize("python", PYTHONS)
def test_bundled_verifier_verdicts(python: str, packages: tuple[Path, Path, Path]) -> None:
    script, good, bad = packages
    ok = subprocess.run([python, str(script), str(good)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "有效 VALID" in ok.stdout
    assert "检查点签名 / checkpoint signature: signed by" in ok.stdout
    broken = subprocess.run([python, str(script), str(bad)], capture_output=True, text=True, check=False)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "无效 INVALID" in broken.stdout and "manifest" in broken.stdout


@pytest.mark.django_db
def test_too_old_cryptography_is_named_not_invalid(packages, monkeypatch, capsys) -> None:
    _script, good, _bad = packages
    monkeypatch.setattr(offline.cryptography, "__version__", "37.0.4")
    assert offline.main([str(good)]) == 2
    err = capsys.readouterr().err
    assert "CANNOT VERIFY" in err and "cryptography" in err and "38" in err and "INVALID" not in err


@pytest.mark.django_db
def test_missing_library_function_is_an_environment_problem(packages, monkeypatch) -> None:
    _script, good, _bad = packages
    monkeypatch.delattr(offline.x509, "load_pem_x509_certificate")
    with pytest.raises(offline.EnvironmentProblem, match="cryptography"):
        offline.verify_package(good.read_bytes())


def test_pem_bundle_and_issuer_check_without_new_cryptography_apis() -> None:
    pki = generate_company_pki("丁公司")
    impostor = generate_company_pki("丁公司")  # same names, other keys
    from cryptography.hazmat.primitives.serialization import Encoding

    bundle = b"junk\n" + b"".join(c.cert.public_bytes(Encoding.PEM) for c in (pki.signer, pki.root))
    certs = offline.load_pem_certificates(bundle)
    assert [c.subject for c in certs] == [pki.signer.cert.subject, pki.root.cert.subject]
    assert offline.issued_by(pki.signer.cert, pki.root.cert)
    assert not offline.issued_by(pki.signer.cert, impostor.root.cert)
    with pytest.raises(ValueError):
        offline.load_pem_certificates(b"no certificate here")
