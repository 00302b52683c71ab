"""The offline verifier's canonical JSON and hashes equal hrguard/evidence/canonical.py, and it imports
no Django or HRGuard code (it ships inside every package)."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from hrguard.evidence import canonical, services
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.offline import bundle
from hrguard.evidence.offline import verify as offline

# JSON values as the evidence log stores them (services._json_safe: no floats), with awkward text.
text = st.text(alphabet=st.characters(codec="utf-8"), max_size=20) | st.sampled_from(
    ["张测试", "欧阳娜娜", "\u2028", "\ud7ff", "\"\\/", "\x00\x1f", "e\u0301", "😀", ""]
)
scalars = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | text
values = st.recursive(
    scalars, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(text, kids, max_size=4), max_leaves=25
)
records = st.dictionaries(text, values, max_size=10)


@settings(max_examples=300, deadline=None)
@given(records)
def test_offline_canonicalization_equals_server(record: dict[str, Any]) -> None:
    raw = canonical.canonical_bytes(record)
    assert offline.canonical_bytes(record) == raw
    assert offline.record_hash(raw) == canonical.record_hash(raw)
    assert offline.leaf_hash(raw) == canonical.leaf_hash(raw)
    # Round trip: what the verifier re-parses from events.jsonl re-encodes to the same bytes.
    assert offline.canonical_bytes(json.loads(raw.decode("utf-8"))) == raw


@pytest.mark.django_db
def test_real_records_round_trip(world) -> None:
    with transaction.atomic():
        for i in range(50):
            services.record(
                world.company, world.users["hr"], f"test.{i % 7}", world.employees["east_rep"],
                {"i": i, "名": "张测试", "nested": {"list": [i, None, True, "¥"]}, "big": 2**65 + i},
                employee=world.employees["east_rep"],
            )
    for event in EvidenceEvent.objects.filter(company=world.company):
        raw = event.record.encode("utf-8")
        assert offline.canonical_bytes(json.loads(event.record)) == raw
        assert offline.record_hash(raw) == event.hash


def test_verifier_imports_only_stdlib_cryptography_and_optional_pyhanko() -> None:
    """The single file every package carries, and each module it is made of (relative imports aside)."""
    sources = [bundle.script().decode("utf-8")]
    sources += [p.read_text(encoding="utf-8") for p in Path(offline.__file__).parent.glob("*.py") if p.name != "bundle.py"]
    tree = ast.Module(body=[n for s in sources for n in ast.parse(s).body if not (
        isinstance(n, ast.ImportFrom) and n.level > 0)], type_ignores=[])
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    allowed = {"__future__", "hashlib", "json", "sys", "types", "zipfile", "collections", "dataclasses", "io", "typing",
               "datetime",
               "cryptography", "asn1crypto", "pyhanko", "pyhanko_certvalidator"}
    assert roots <= allowed, roots - allowed
