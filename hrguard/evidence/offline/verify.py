#!/usr/bin/env python3
"""Offline verifier for an HRGuard evidence package (证据包离线验证).

Usage::

    python3 verify.py PACKAGE.zip            # the single file shipped inside every package (bundle.py)
    python -m hrguard.evidence.offline.verify PACKAGE.zip [--expect-fingerprint SHA256_HEX]

``--expect-fingerprint`` pins the company signing certificate (as published by the company), so a
package re-signed end to end with another key is rejected too.

Needs only Python 3.10+ and the ``cryptography`` package, version 38 or later (Debian 12's stock
``python3`` with ``python3-cryptography`` 38.0.4 works). If ``pyHanko`` is installed the PAdES
signatures of the PDFs are checked too (otherwise reported as skipped); if ``asn1crypto`` is installed
(it comes with pyHanko) the RFC 3161 timestamp token of the checkpoint is checked.

Checks, in order (the first failure is named; exit status 0 = valid, 1 = invalid, 2 = unreadable):

1. manifest: every file's SHA-256 equals manifest.json, and no file is unlisted or missing;
2. events: each line of events.jsonl is canonical JSON (sorted keys, UTF-8, no spaces) and its
   SHA-256 equals the hash in proofs.json;
3. chain: each record's ``prev`` equals its stored prev_hash, and consecutive records link;
4. completeness: every event the package record (action ``evidence.package_built``) lists is present;
5. inclusion: each event's RFC 6962 audit path leads to the checkpoint root;
6. checkpoint: the signed statement matches checkpoint.json and its ECDSA signature verifies with the
   packaged company certificate (which chains to the packaged root);
7. timestamp: the RFC 3161 token (if any) covers SHA-256 of the statement;
8. documents: each packaged PDF's SHA-256 equals the hash recorded in the evidence log;
9. PDF signatures: every signature in the signed PDFs and completion.pdf is intact, and completion.pdf
   is sealed by the packaged company certificate.

The verifier deliberately duplicates HRGuard's canonical-JSON and Merkle rules so it runs on its own. Its
parts: environment.py (what this Python needs), model.py (the package, results, constants), rfc6962.py
(canonical JSON, Merkle proofs), certs.py (X.509 helpers), log_checks.py (checks 1-5),
checkpoint_checks.py (6-7 and the optional ones), document_checks.py (8-9); this module runs them and is
the command line. bundle.py joins them into the one file an evidence package carries.
"""

from __future__ import annotations

import json
import sys
import types
import zipfile
from collections.abc import Sequence
from typing import Any

from cryptography import x509

from .certs import issued_by, load_pem_certificates
from .checkpoint_checks import (
    check_checkpoint,
    check_fingerprint,
    check_history,
    check_known_checkpoint,
    check_timestamp,
)
from .document_checks import check_documents, check_pdf_signatures
from .environment import NEEDS, EnvironmentProblem, check_environment, cryptography
from .log_checks import check_chain, check_completeness, check_events, check_inclusion, check_manifest
from .model import FORMAT, PACKAGE_ACTION, Check, Invalid, Package, Result, read_zip
from .rfc6962 import canonical_bytes, leaf_hash, record_hash, root_from_inclusion, verify_consistency

# The names other code imports from here (hrguard.evidence.merkle, audit, package, tests): the verifier's
# public surface stays this module, wherever each part now lives.
__all__ = [
    "CHECKS", "FORMAT", "NEEDS", "PACKAGE_ACTION", "Check", "EnvironmentProblem", "Invalid", "Package", "Result",
    "canonical_bytes", "check_environment", "cryptography", "format_report", "issued_by", "leaf_hash",
    "load_pem_certificates", "main", "read_zip", "record_hash", "root_from_inclusion", "verify_consistency",
    "verify_package", "x509",
]


CHECKS = [
    ("清单哈希", "manifest hashes", check_manifest),
    ("事件哈希", "event hashes", check_events),
    ("哈希链", "hash chain links", check_chain),
    ("事件完整性", "package completeness", check_completeness),
    ("默克尔包含证明", "inclusion proofs", check_inclusion),
    ("检查点签名", "checkpoint signature", check_checkpoint),
    ("检查点历史", "checkpoint history", check_history),
    ("可信时间戳", "RFC 3161 timestamp", check_timestamp),
    ("文件哈希", "document hashes", check_documents),
    ("PDF 签名", "PDF signatures (PAdES)", check_pdf_signatures),
]


def verify_package(data: bytes, *, expect_fingerprint: str | None = None,
                   known_checkpoint: dict[str, Any] | None = None, at: Any = None,
                   tsa_roots: list[x509.Certificate] | None = None) -> Result:
    """Run every check on the package bytes. A check that cannot run because an earlier one failed
    (its input is missing or unreadable) is reported as skipped."""
    check_environment()
    result = Result()
    pkg = Package(files=read_zip(data))
    checks = list(CHECKS)
    if at is not None or tsa_roots is not None:  # certificates at another time (e.g. years on), own TSA roots
        checks = [(zh, en, (lambda p: check_pdf_signatures(p, at, tsa_roots)) if fn is check_pdf_signatures
                   else fn) for zh, en, fn in checks]
    if expect_fingerprint:
        checks.append(("证书指纹", "certificate fingerprint", lambda p: check_fingerprint(p, expect_fingerprint)))
    if known_checkpoint is not None:
        checks.append(("已知检查点", "kept checkpoint", lambda p: check_known_checkpoint(p, known_checkpoint)))
    for zh, en, fn in checks:
        check = Check(zh, en)
        try:
            out = fn(pkg)
            if isinstance(out, tuple):
                check.status, check.detail = out
            else:
                check.detail = out
        except Invalid as exc:
            check.status, check.detail = "fail", str(exc)
        except AttributeError as exc:
            if isinstance(getattr(exc, "obj", None), types.ModuleType):
                # A library function this Python lacks: the environment's fault, not the package's.
                raise EnvironmentProblem(f"{NEEDS} ({exc})") from exc
            check.status, check.detail = _malformed(result, exc)
        except (KeyError, TypeError, ValueError, IndexError, StopIteration) as exc:
            check.status, check.detail = _malformed(result, exc)
        result.checks.append(check)
    result.info.extend(pkg.info)
    return result


def _malformed(result: Result, exc: Exception) -> tuple[str, str]:
    if result.first_failure is not None:
        return "skipped", "not run: an earlier check failed"
    return "fail", f"malformed package: {exc!r}"


LABEL = {"ok": "通过 OK  ", "fail": "失败 FAIL", "skipped": "跳过 SKIP"}


def format_report(result: Result, name: str, manifest_title: str = "") -> str:
    lines = ["HRGuard 证据包离线验证 / Evidence package offline verification", f"文件 File: {name}"]
    if manifest_title:
        lines.append(f"标题 Title: {manifest_title}")
    for c in result.checks:
        lines.append(f"[{LABEL[c.status]}] {c.zh} / {c.en}: {c.detail}")
    lines.extend(result.info)
    if result.ok:
        lines.append("结论 Result: 有效 VALID — 证据包未被篡改 / the package is intact and consistent")
    else:
        first = result.first_failure
        assert first is not None
        lines.append(f"结论 Result: 无效 INVALID — 首个失败 first failure: {first.zh} / {first.en}: {first.detail}")
    return "\n".join(lines)


def _option(args: list[str], flag: str) -> str | None:
    """Remove ``flag VALUE`` from ``args``: VALUE, "" when the value is missing, None when the flag is absent."""
    if flag not in args:
        return None
    at = args.index(flag)
    value = args[at + 1] if at + 1 < len(args) else ""
    del args[at : at + 2]
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    expected = _option(args, "--expect-fingerprint")
    known_path = _option(args, "--checkpoint")
    at = None
    when = _option(args, "--at")  # judge the certificates as of another date, e.g. --at 2031-01-01T00:00:00+00:00
    if when is not None:
        try:
            import datetime as dt

            at = dt.datetime.fromisoformat(when)
            at = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
        except ValueError:
            known_path = ""  # print the usage
    tsa_path = _option(args, "--tsa-roots")  # PEM file of the TSA roots the verifier trusts
    if len(args) != 1 or args[0] in ("-h", "--help") or expected == "" or known_path == "" or tsa_path == "":
        print("用法 usage: python3 verify.py PACKAGE.zip [--expect-fingerprint SHA256_HEX] "
              "[--checkpoint CHECKPOINT.json] [--at ISO-DATETIME] [--tsa-roots TSA-ROOTS.pem]", file=sys.stderr)
        return 2
    try:
        tsa_roots = None
        if tsa_path:
            with open(tsa_path, "rb") as fh:
                tsa_roots = load_pem_certificates(fh.read())
        with open(args[0], "rb") as fh:
            data = fh.read()
        known = None
        if known_path:
            with open(known_path, encoding="utf-8") as fh:
                known = json.load(fh)
        result = verify_package(data, expect_fingerprint=expected, known_checkpoint=known, at=at,
                                tsa_roots=tsa_roots)
        title = json.loads(read_zip(data).get("manifest.json", b"{}")).get("title", "")
    except EnvironmentProblem as exc:
        print(f"无法验证（不是结论）CANNOT VERIFY (no verdict): {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        print(f"无法读取证据包 / cannot read the package: {exc}", file=sys.stderr)
        return 2
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    print(format_report(result, args[0], title))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
