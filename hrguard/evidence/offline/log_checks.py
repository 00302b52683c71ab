"""Checks 1-5: manifest hashes, event hashes, hash chain, completeness against the package record, inclusion proofs."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .model import FORMAT, GENESIS, PACKAGE_ACTION, Invalid, Package, _json
from .rfc6962 import canonical_bytes, leaf_hash, record_hash, root_from_inclusion


def check_manifest(pkg: Package) -> str:
    pkg.manifest = _json(pkg, "manifest.json")
    if pkg.manifest.get("format") != FORMAT:
        raise Invalid("manifest.json is not an HRGuard evidence package manifest")
    listed: dict[str, Any] = pkg.manifest.get("files", {})
    for name in sorted(pkg.files):
        if name != "manifest.json" and name not in listed:
            raise Invalid(f"file {name} is not listed in manifest.json (added?)")
    for name, meta in sorted(listed.items()):
        if name not in pkg.files:
            raise Invalid(f"file {name} listed in manifest.json is missing")
        if hashlib.sha256(pkg.files[name]).hexdigest() != meta.get("sha256"):
            raise Invalid(f"file {name}: SHA-256 differs from manifest.json (modified)")
    return f"{len(listed)} files"


def check_events(pkg: Package) -> str:
    pkg.proofs = _json(pkg, "proofs.json")
    entries = {int(e["seq"]): e for e in pkg.proofs.get("events", [])}
    raw = pkg.files.get("events.jsonl")
    if raw is None:
        raise Invalid("events.jsonl is missing")
    for line in raw.split(b"\n"):
        if not line:
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise Invalid(f"events.jsonl has a line that is not JSON: {exc}") from exc
        seq = record.get("seq")
        if canonical_bytes(record) != line:
            raise Invalid(f"event #{seq}: record is not in canonical form (edited)")
        entry = entries.get(seq) if isinstance(seq, int) else None
        if entry is None:
            raise Invalid(f"event #{seq}: no entry in proofs.json")
        if record_hash(line) != entry.get("hash"):
            raise Invalid(f"event #{seq}: record does not match its hash (edited)")
        pkg.records.append((line, record))
    seqs = [r["seq"] for _, r in pkg.records]
    if seqs != sorted(set(seqs)):
        raise Invalid("events.jsonl is not in ascending seq order or repeats an event")
    if len(entries) != len(pkg.records):
        missing = sorted(set(entries) - set(seqs))
        raise Invalid(f"event #{missing[0] if missing else '?'} is in proofs.json but missing from events.jsonl")
    return f"{len(pkg.records)} events"


def check_chain(pkg: Package) -> str:
    if not pkg.records:
        raise KeyError("events")
    entries = {int(e["seq"]): e for e in pkg.proofs["events"]}
    links = 0
    previous: tuple[int, str] | None = None
    for line, record in pkg.records:
        seq = record["seq"]
        prev = record.get("prev")
        if prev != entries[seq].get("prev_hash"):
            raise Invalid(f"event #{seq}: prev does not equal its stored prev_hash (chain broken)")
        if seq == 0 and prev != GENESIS:
            raise Invalid("event #0 does not start from the genesis hash")
        if previous is not None and previous[0] + 1 == seq:
            if prev != previous[1]:
                raise Invalid(f"event #{seq}: prev does not link to event #{previous[0]} (chain broken)")
            links += 1
        previous = (seq, record_hash(line))
    return f"{links} direct links between consecutive events checked"


def check_completeness(pkg: Package) -> str:
    company = {r.get("company") for _, r in pkg.records}
    if len(company) > 1:
        raise Invalid("events.jsonl mixes events of several companies")
    seq = pkg.manifest.get("package_event_seq")
    records = {r["seq"]: r for _, r in pkg.records}
    package_record = records.get(seq)
    if package_record is None or package_record.get("action") != PACKAGE_ACTION:
        raise Invalid(f"the package record (event #{seq}, {PACKAGE_ACTION}) is missing")
    listed = package_record.get("data", {}).get("events", [])
    for s in listed:
        if s not in records:
            raise Invalid(f"event #{s} listed in the package record is missing (dropped)")
    extra = sorted(set(records) - set(listed) - {seq})
    if extra:
        raise Invalid(f"event #{extra[0]} is not listed in the package record (added)")
    return f"package record #{seq} lists {len(listed)} events"


def check_inclusion(pkg: Package) -> str:
    if not pkg.records:
        raise KeyError("events")
    pkg.checkpoint = _json(pkg, "checkpoint.json")
    size, root_hex = int(pkg.checkpoint["tree_size"]), str(pkg.checkpoint["root"])
    entries = {int(e["seq"]): e for e in pkg.proofs["events"]}
    for line, record in pkg.records:
        seq = record["seq"]
        path = [bytes.fromhex(h) for h in entries[seq].get("audit_path", [])]
        try:
            got = root_from_inclusion(seq, size, leaf_hash(line), path)
        except ValueError as exc:
            raise Invalid(f"event #{seq}: inclusion proof is malformed ({exc})") from exc
        if got.hex() != root_hex:
            raise Invalid(f"event #{seq}: inclusion proof does not lead to the checkpoint root")
    return f"{len(pkg.records)} proofs → root {root_hex[:16]}… (tree size {size})"
