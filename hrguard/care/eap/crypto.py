"""Sealed boxes over X25519 + HKDF-SHA256 + ChaCha20-Poly1305 (``cryptography``): anyone can seal to a
public key, only the private key opens. The receipt phrase is the person's only secret: one scrypt run
(peppered with a key derived from SECRET_KEY) gives both the lookup hash stored with the request and the
private key their answers are sealed to — HRGuard never stores the phrase or that key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from .words import WORDS

RAW = serialization.Encoding.Raw
PUBLIC_RAW = serialization.PublicFormat.Raw
PRIVATE_RAW = serialization.PrivateFormat.Raw
PHRASE_WORDS = 6
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 64}


class CryptoError(ValueError):
    pass


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text.strip().encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise CryptoError("not base64") from exc


def public_of(private: X25519PrivateKey) -> str:
    return b64(private.public_key().public_bytes(RAW, PUBLIC_RAW))


def new_keypair() -> tuple[str, str]:
    """(private, public) in base64 — for the provider (``hrguard eap_keygen``)."""
    private = X25519PrivateKey.generate()
    return b64(private.private_bytes(RAW, PRIVATE_RAW, serialization.NoEncryption())), public_of(private)


def load_private(text: str) -> X25519PrivateKey:
    raw = unb64(text)
    if len(raw) != 32:
        raise CryptoError("an X25519 private key is 32 bytes")
    return X25519PrivateKey.from_private_bytes(raw)


def check_public(text: str) -> bytes:
    raw = unb64(text)
    if len(raw) != 32:
        raise CryptoError("an X25519 public key is 32 bytes")
    return raw


def _key(shared: bytes, eph: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=eph + recipient, info=b"hrguard-eap-seal").derive(shared)


def seal(public_key: str, plaintext: str) -> str:
    recipient = check_public(public_key)
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(RAW, PUBLIC_RAW)
    key = _key(eph.exchange(X25519PublicKey.from_public_bytes(recipient)), eph_pub, recipient)
    # A fresh key per message, so a fixed nonce is safe.
    return b64(eph_pub + ChaCha20Poly1305(key).encrypt(b"\0" * 12, plaintext.encode("utf-8"), None))


def open_sealed(private: X25519PrivateKey, sealed: str) -> str:
    raw = unb64(sealed)
    if len(raw) < 32 + 16:
        raise CryptoError("too short")
    eph_pub, body = raw[:32], raw[32:]
    recipient = private.public_key().public_bytes(RAW, PUBLIC_RAW)
    key = _key(private.exchange(X25519PublicKey.from_public_bytes(eph_pub)), eph_pub, recipient)
    try:
        return ChaCha20Poly1305(key).decrypt(b"\0" * 12, body, None).decode("utf-8")
    except Exception as exc:  # InvalidTag
        raise CryptoError("cannot open") from exc


def new_phrase() -> str:
    return " ".join(secrets.choice(WORDS) for _ in range(PHRASE_WORDS))


def normalise(phrase: str) -> str:
    return " ".join(str(phrase).lower().replace("-", " ").split())[:200]


@dataclass(frozen=True)
class Receipt:
    lookup: str  # stored: finds the request
    private: X25519PrivateKey  # never stored: opens the answers

    @property
    def reply_key(self) -> str:
        return public_of(self.private)


def receipt(phrase: str) -> Receipt:
    pepper = hmac.new(settings.SECRET_KEY.encode(), b"hrguard-eap-receipt", hashlib.sha256).digest()
    master = hashlib.scrypt(normalise(phrase).encode("utf-8"), salt=pepper, **SCRYPT)
    return Receipt(lookup=master[:32].hex(), private=X25519PrivateKey.from_private_bytes(master[32:]))
