"""Independent second opinions from poppler-utils (Debian ``poppler-utils``): pdfsig and pdftotext.

``pdfsig`` exits 0 even when a digest does not match, so :func:`pdfsig_report` parses its output.
``pdftotext`` extracts text back from rendered PDFs (used to prove Chinese renders correctly).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

VALID_TEXT = "Signature is Valid."


class PopplerError(RuntimeError):
    """A poppler tool is missing or could not read the file."""


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise PopplerError(f"{name} not found: install the Debian package poppler-utils")
    return path


@dataclass(frozen=True)
class PdfsigSignature:
    index: int
    field_name: str | None
    signer_common_name: str | None
    signer_dn: str | None
    signing_time: str | None
    signature_validation: str | None
    """e.g. ``Signature is Valid.`` or ``Digest Mismatch.``"""
    certificate_validation: str | None
    """e.g. ``Certificate issuer isn't Trusted.`` (expected for a company's private root)."""
    total_document_signed: bool | None
    signed_ranges: tuple[tuple[int, int], ...]

    @property
    def signature_valid(self) -> bool:
        return self.signature_validation == VALID_TEXT


@dataclass(frozen=True)
class PdfsigReport:
    signatures: tuple[PdfsigSignature, ...]
    output: str
    """pdfsig's raw output, kept for evidence and debugging."""

    @property
    def all_valid(self) -> bool:
        """Every signature's digest and signature check out and the last one covers the whole file."""
        return (
            bool(self.signatures)
            and all(s.signature_valid for s in self.signatures)
            and self.signatures[-1].total_document_signed is True
        )


_FIELD = re.compile(r"^\s+- (?P<key>[^:]+): (?P<value>.*)$")
_RANGE = re.compile(r"\[(\d+) - (\d+)\]")


def parse_pdfsig(output: str) -> PdfsigReport:
    """Parse the text printed by ``pdfsig`` (poppler 22.x layout)."""
    blocks: list[dict[str, str]] = []
    total: list[bool | None] = []
    for line in output.splitlines():
        if re.match(r"^Signature #\d+:", line):
            blocks.append({})
            total.append(None)
            continue
        if not blocks:
            continue
        stripped = line.strip()
        if stripped == "- Total document signed":
            total[-1] = True
        elif stripped == "- Not total document signed":
            total[-1] = False
        elif m := _FIELD.match(line):
            blocks[-1][m["key"]] = m["value"].strip()
    sigs = tuple(
        PdfsigSignature(
            index=i + 1,
            field_name=b.get("Signature Field Name"),
            signer_common_name=b.get("Signer Certificate Common Name"),
            signer_dn=b.get("Signer full Distinguished Name"),
            signing_time=b.get("Signing Time"),
            signature_validation=b.get("Signature Validation"),
            certificate_validation=b.get("Certificate Validation"),
            total_document_signed=total[i],
            signed_ranges=tuple((int(a), int(z)) for a, z in _RANGE.findall(b.get("Signed Ranges", ""))),
        )
        for i, b in enumerate(blocks)
    )
    return PdfsigReport(sigs, output)


def pdfsig_report(path: str | os.PathLike[str], *, check_certificates: bool = True,
                  timeout: float = 30.0) -> PdfsigReport:
    """Run ``pdfsig`` on ``path`` (never online: OCSP is disabled) and parse its report.

    A PDF without signatures yields an empty report; an unreadable file raises PopplerError.
    """
    args = [_tool("pdfsig"), "-no-ocsp"]
    if not check_certificates:
        args.append("-nocert")
    proc = subprocess.run([*args, os.fspath(path)], capture_output=True, text=True, timeout=timeout,  # noqa: S603
                          check=False)
    text = proc.stdout + proc.stderr
    if "does not contain any signatures" in text:
        return PdfsigReport((), text)
    if proc.returncode != 0:
        raise PopplerError(f"pdfsig failed ({proc.returncode}): {text.strip()}")
    return parse_pdfsig(text)


def pdfsig_report_bytes(pdf_bytes: bytes, **kwargs: object) -> PdfsigReport:
    """:func:`pdfsig_report` for in-memory PDFs (written to a private temporary file)."""
    with tempfile.TemporaryDirectory(prefix="hrguard-pdfsig-") as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf_bytes)
        return pdfsig_report(path, **kwargs)  # type: ignore[arg-type]


def extract_text(pdf_bytes: bytes, *, mode: Literal["raw", "reading", "layout"] = "raw",
                 timeout: float = 30.0) -> str:
    """Text of every page via ``pdftotext -enc UTF-8`` (pages separated by form feeds).

    ``raw`` (default) keeps the content-stream order, which typst writes cell by cell, so a
    wrapped table cell comes out contiguous; ``reading`` is poppler's column reconstruction
    (wrapped cells interleave with their neighbours); ``layout`` mimics the page with spaces.
    """
    args = [_tool("pdftotext"), "-enc", "UTF-8"]
    if mode != "reading":
        args.append(f"-{mode}")
    proc = subprocess.run([*args, "-", "-"], input=pdf_bytes, capture_output=True, timeout=timeout,  # noqa: S603
                          check=False)
    if proc.returncode != 0:
        raise PopplerError(f"pdftotext failed ({proc.returncode}): {proc.stderr.decode('utf-8', 'replace')}")
    return proc.stdout.decode("utf-8")


def squash_whitespace(text: str) -> str:
    """Drop every whitespace character: line breaks inside CJK text are layout, not content."""
    return re.sub(r"\s+", "", text)
