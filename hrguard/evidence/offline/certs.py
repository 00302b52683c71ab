"""X.509 helpers that work back to cryptography 38: PEM bundles, signatures, issuers, chains, packaged CRLs."""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from .model import Invalid, Package

PEM_BEGIN, PEM_END = b"-----BEGIN CERTIFICATE-----", b"-----END CERTIFICATE-----"


def load_pem_certificates(pem: bytes) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle (cryptography < 40 has no load_pem_x509_certificates)."""
    certs = []
    start = pem.find(PEM_BEGIN)
    while start >= 0:
        end = pem.find(PEM_END, start)
        if end < 0:
            raise ValueError("unterminated PEM certificate")
        certs.append(x509.load_pem_x509_certificate(pem[start : end + len(PEM_END)] + b"\n"))
        start = pem.find(PEM_BEGIN, end)
    if not certs:
        raise ValueError("no PEM certificate found")
    return certs


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Is ``cert`` signed by ``issuer``'s key? (cryptography < 40 has no verify_directly_issued_by.)"""
    digest = cert.signature_hash_algorithm
    if cert.issuer != issuer.subject or digest is None:
        return False
    return _verify_sig(issuer.public_key(), cert.signature, cert.tbs_certificate_bytes, digest)


def _load_certs(pkg: Package) -> list[x509.Certificate]:
    pem = b"".join(v for k, v in sorted(pkg.files.items()) if k.startswith("certs/") and k.endswith(".pem"))
    try:
        certs = load_pem_certificates(pem)
    except ValueError as exc:
        raise Invalid(f"certs/ holds no readable certificate: {exc}") from exc
    name = pkg.manifest.get("signing_certificate", "")
    leaf_pem = pkg.files.get(name, b"")
    if leaf_pem:
        leaf = x509.load_pem_x509_certificate(leaf_pem)
        certs = [leaf, *[c for c in certs if c != leaf]]
    return certs


def _verify_sig(public_key: Any, signature: bytes, data: bytes, digest: hashes.HashAlgorithm) -> bool:
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(digest))
        elif isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), digest)
        else:
            return False
    except InvalidSignature:
        return False
    return True


def _chains(cert: x509.Certificate, roots: list[x509.Certificate], others: list[x509.Certificate]) -> bool:
    current = cert
    for _depth in range(5):
        root = next((r for r in roots if issued_by(current, r)), None)
        if root is not None:
            return True
        parent = next((c for c in others if c != current and issued_by(current, c)), None)
        if parent is None:
            return False
        current = parent
    return False


def _packaged_tsa_roots(pkg: Package) -> list[x509.Certificate] | None:
    data = pkg.files.get("certs/tsa-roots.pem")
    return load_pem_certificates(data) if data else None


def _packaged_crls(pkg: Package) -> list[Any]:
    return [x509.load_der_x509_crl(v) for k, v in sorted(pkg.files.items())
            if k.startswith("certs/") and k.endswith(".crl")]
