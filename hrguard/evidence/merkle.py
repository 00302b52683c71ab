"""RFC 6962 (Certificate Transparency) Merkle tree hashing, audit (inclusion) proofs and their check.

MTH({}) = SHA-256(); MTH({d0}) = leaf; MTH(D[n]) = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])) with k the
largest power of two < n. Leaves are already hashed (see canonical.leaf_hash).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from hrguard.evidence.offline.verify import verify_consistency as _offline_verify_consistency


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    k = 1
    while k << 1 < n:
        k <<= 1
    return k


def root(leaves: Sequence[bytes]) -> bytes:
    """Root of the tree over ``leaves`` — iterative, O(n) hashing, O(log n) extra memory."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    # Stack-based build: equivalent to the recursive definition for any n.
    stack: list[tuple[int, bytes]] = []  # (height, hash) of complete subtrees
    for leaf in leaves:
        height, node = 0, leaf
        while stack and stack[-1][0] == height:
            _, left = stack.pop()
            node = _node(left, node)
            height += 1
        stack.append((height, node))
    node = stack.pop()[1]
    while stack:
        node = _node(stack.pop()[1], node)
    return node


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Audit path for leaf ``index`` in the tree of ``leaves`` (RFC 6962 section 2.1.1)."""
    n = len(leaves)
    if not 0 <= index < n:
        raise IndexError(f"leaf {index} not in a tree of size {n}")
    path: list[bytes] = []
    lo, hi = 0, n
    while hi - lo > 1:
        k = _split(hi - lo)
        if index - lo < k:
            path.append(root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            path.append(root(leaves[lo : lo + k]))
            lo = lo + k
    path.reverse()
    return path


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """Recompute the root from a leaf and its audit path (RFC 9162 section 2.1.3.2 algorithm)."""
    if not 0 <= index < size:
        raise ValueError("index out of range")
    fn, sn = index, size - 1
    node = leaf
    for sibling in proof:
        if sn == 0:
            raise ValueError("proof too long")
        if fn & 1 or fn == sn:
            node = _node(sibling, node)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            node = _node(node, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ValueError("proof too short")
    return node


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes) -> bool:
    try:
        return root_from_inclusion(index, size, leaf, proof) == expected_root
    except ValueError:
        return False


def inclusion_proofs(indices: Sequence[int], leaves: Sequence[bytes]) -> list[list[bytes]]:
    """Audit paths for many leaves of one tree, sharing subtree hashes: O(n) hashing in total.

    Complete aligned subtrees come from per-level arrays built bottom-up; the few incomplete ones on
    the right edge are computed from them on demand."""
    n = len(leaves)
    levels: list[Sequence[bytes]] = [leaves]
    sha256 = hashlib.sha256
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([sha256(b"\x01" + below[i] + below[i + 1]).digest() for i in range(0, len(below) - 1, 2)])
    edge: dict[tuple[int, int], bytes] = {}

    def subtree(lo: int, hi: int) -> bytes:
        width = hi - lo
        if width & (width - 1) == 0 and lo % width == 0:
            return levels[width.bit_length() - 1][lo // width]
        cached = edge.get((lo, hi))
        if cached is None:
            k = _split(width)
            cached = edge[(lo, hi)] = _node(subtree(lo, lo + k), subtree(lo + k, hi))
        return cached

    proofs: list[list[bytes]] = []
    for index in indices:
        if not 0 <= index < n:
            raise IndexError(f"leaf {index} not in a tree of size {n}")
        path: list[bytes] = []
        lo, hi = 0, n
        while hi - lo > 1:
            k = _split(hi - lo)
            if index - lo < k:
                path.append(subtree(lo + k, hi))
                hi = lo + k
            else:
                path.append(subtree(lo, lo + k))
                lo = lo + k
        path.reverse()
        proofs.append(path)
    return proofs


class PrefixRoots:
    """Feed leaves in order; ``root()`` at any point is the root of the tree over the leaves so far.

    Keeps only the O(log n) complete subtrees of the prefix, so a streaming verifier can compare the
    chain with every checkpoint in one pass without holding the leaves."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []

    def add(self, leaf: bytes) -> None:
        height, node = 0, leaf
        stack = self._stack
        while stack and stack[-1][0] == height:
            node = _node(stack.pop()[1], node)
            height += 1
        stack.append((height, node))
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return hashlib.sha256(b"").digest()
        node = self._stack[-1][1]
        for _height, left in reversed(self._stack[:-1]):
            node = _node(left, node)
        return node


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """RFC 6962 section 2.1.2 proof that the tree of the first ``old_size`` leaves is a prefix of the
    tree of all ``leaves``. Empty when ``old_size`` is 0 or equals the tree size."""
    n = len(leaves)
    if not 0 <= old_size <= n:
        raise ValueError(f"cannot prove a tree of {old_size} leaves consistent with one of {n}")
    if old_size in (0, n):
        return []
    proof: list[bytes] = []
    lo, hi, m, complete = 0, n, old_size, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            proof.append(root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            proof.append(root(leaves[lo : lo + k]))
            lo, m, complete = lo + k, m - k, False
    if not complete:
        proof.append(root(leaves[lo:hi]))
    proof.reverse()
    return proof


# One implementation, shared with the offline verifier (which must run without this package).
verify_consistency = _offline_verify_consistency
