import hashlib

from hypothesis import given
from hypothesis import strategies as st

from hrguard.evidence import merkle


def reference_root(leaves: list[bytes]) -> bytes:
    """Direct transcription of the recursive RFC 6962 definition."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + reference_root(leaves[:k]) + reference_root(leaves[k:])).digest()


def leaves_of(n: int) -> list[bytes]:
    return [hashlib.sha256(b"\x00" + str(i).encode()).digest() for i in range(n)]


@given(st.integers(min_value=0, max_value=70))
def test_root_matches_recursive_definition(n: int) -> None:
    leaves = leaves_of(n)
    assert merkle.root(leaves) == reference_root(leaves)


@given(st.integers(min_value=1, max_value=70), st.data())
def test_inclusion_proofs_verify_and_reject_wrong_leaf(n: int, data: st.DataObject) -> None:
    leaves = leaves_of(n)
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    root = merkle.root(leaves)
    proof = merkle.inclusion_proof(index, leaves)
    assert merkle.verify_inclusion(index, n, leaves[index], proof, root)
    wrong = hashlib.sha256(b"forged").digest()
    assert not merkle.verify_inclusion(index, n, wrong, proof, root)
    if n > 1:
        other = (index + 1) % n
        assert not merkle.verify_inclusion(other, n, leaves[index], proof, root)


def test_known_vector_two_leaves() -> None:
    a, b = leaves_of(2)
    assert merkle.root([a, b]) == hashlib.sha256(b"\x01" + a + b).digest()
    assert merkle.inclusion_proof(0, [a, b]) == [b]
    assert merkle.inclusion_proof(1, [a, b]) == [a]
