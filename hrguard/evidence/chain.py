"""Streaming verification of a company's hash chain (no Django: shared by DB and package verifiers)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from .canonical import GENESIS
from .merkle import PrefixRoots


@dataclass
class ChainReport:
    company: str
    checked: int = 0
    ok: bool = True
    first_broken_seq: int | None = None
    reason: str = ""
    last_hash: str = GENESIS
    leaves: list[bytes] = field(default_factory=list, repr=False)
    prefix_roots: dict[int, bytes] = field(default_factory=dict, repr=False)
    checkpoint_problems: list[str] = field(default_factory=list)
    checkpoints_checked: int = 0
    exported_checked: int = 0

    def fail(self, seq: int, reason: str) -> None:
        if self.ok:
            self.ok = False
            self.first_broken_seq = seq
            self.reason = reason

    def fail_checkpoint(self, message: str) -> None:
        """A checkpoint the chain (or another checkpoint) contradicts; ``message`` names it."""
        self.checkpoint_problems.append(message)
        if self.ok:
            self.ok = False
            self.reason = message


def _links(text: str, prev: str, seq: int) -> bool:
    """Does the record's top-level ``prev`` equal ``prev`` and its ``seq`` equal ``seq``?

    Canonical records have sorted keys, so the top level ends ``…,"prev":"<64 hex>","seq":N,"subject":"…"}``;
    nested objects live under ``data``/``ctx``/``actor``, which sort before ``prev``, and string values
    cannot contain an unescaped quote — so the last ``,"prev":"`` is the top-level key. This avoids
    parsing JSON per event; ``strict=True`` in verify_rows also parses and compares."""
    idx = text.rfind(',"prev":"')
    return idx >= 0 and text[idx + 9 : idx + 73] == prev and text.startswith(f'","seq":{seq},', idx + 73)


def verify_rows(
    company: str,
    rows: Iterable[tuple[int, str, str, str]],
    *,
    keep_leaves: bool = False,
    strict: bool = False,
    prefix_sizes: Collection[int] = (),
) -> ChainReport:
    """Check rows ``(seq, record_text, stored_hash, stored_prev)`` in seq order.

    For each row: the record text is canonical JSON whose ``seq`` and ``prev`` fields match the stored
    columns and the chain so far, and whose SHA-256 equals the stored hash. Stops at the first break.
    For each size in ``prefix_sizes`` reached, ``report.prefix_roots[size]`` is the RFC 6962 root of
    the first ``size`` records (checked against the checkpoints of that size)."""
    report = ChainReport(company=company)
    sizes = set(prefix_sizes)
    tree = PrefixRoots() if sizes else None
    if 0 in sizes and tree is not None:
        report.prefix_roots[0] = tree.root()
    expected_prev = GENESIS
    expected_seq = 0
    sha256 = hashlib.sha256
    for seq, text, stored_hash, stored_prev in rows:
        raw = text.encode("utf-8")
        digest = sha256(raw).hexdigest()
        if seq != expected_seq:
            report.fail(expected_seq, f"missing or reordered event: expected seq {expected_seq}, found {seq}")
            break
        if digest != stored_hash:
            report.fail(seq, "record content does not match its stored hash (edited)")
            break
        if stored_prev != expected_prev:
            report.fail(seq, "stored prev does not link to the previous record (chain broken)")
            break
        if not _links(text, expected_prev, seq):
            report.fail(seq, "record's own prev/seq fields disagree with the chain")
            break
        if strict:
            record = json.loads(text)
            if record.get("prev") != expected_prev or record.get("seq") != seq:
                report.fail(seq, "record's own prev/seq fields disagree with the chain")
                break
        if keep_leaves or tree is not None:
            leaf = sha256(b"\x00" + raw).digest()
            if keep_leaves:
                report.leaves.append(leaf)
            if tree is not None:
                tree.add(leaf)
                if tree.size in sizes:
                    report.prefix_roots[tree.size] = tree.root()
        expected_prev = digest
        expected_seq += 1
        report.checked += 1
    report.last_hash = expected_prev
    return report
