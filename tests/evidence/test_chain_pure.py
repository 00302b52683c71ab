"""Chain verification without a database (the same code verifies exported packages offline)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hrguard.evidence.canonical import GENESIS, canonical_bytes, record_hash
from hrguard.evidence.chain import verify_rows

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


def build(datas: list) -> list[tuple[int, str, str, str]]:
    rows, prev = [], GENESIS
    for seq, data in enumerate(datas):
        rec = {"seq": seq, "company": 1, "action": "x", "subject": "s", "data": data, "prev": prev}
        raw = canonical_bytes(rec)
        digest = record_hash(raw)
        rows.append((seq, raw.decode(), digest, prev))
        prev = digest
    return rows


@given(st.lists(json_values, min_size=1, max_size=6))
def test_any_data_verifies_in_fast_and_strict_mode(datas) -> None:
    rows = build(datas)
    assert verify_rows("1", rows).ok
    assert verify_rows("1", rows, strict=True).ok


def test_nested_prev_key_in_data_does_not_fool_the_fast_check() -> None:
    rows = build([{"prev": GENESIS, "seq": 0}, {"prev": "f" * 64}])
    assert verify_rows("1", rows).ok
    # Forge record 1 so that only a nested "prev" is right and the top-level one is wrong.
    bad_prev = "a" * 64
    rec = {"seq": 1, "company": 1, "action": "x", "subject": "s", "data": {"prev": rows[0][2]}, "prev": bad_prev}
    raw = canonical_bytes(rec)
    tampered = [rows[0], (1, raw.decode(), record_hash(raw), rows[0][2])]
    report = verify_rows("1", tampered)
    assert not report.ok and report.first_broken_seq == 1
    assert not verify_rows("1", tampered, strict=True).ok


def test_reordered_rows_are_reported() -> None:
    rows = build([1, 2, 3])
    report = verify_rows("1", [rows[0], rows[2], rows[1]])
    assert not report.ok and report.first_broken_seq == 1
