"""What this Python must have to verify a package: the ``cryptography`` package, version 38 or later.

In the single-file ``verify.py`` (see ``bundle.py``) this part comes first, so a Python without cryptography is
told what to install (exit status 2) before anything else needs it."""

from __future__ import annotations

import sys

MIN_CRYPTOGRAPHY = (38, 0)
NEEDS = (
    'needs the Python package "cryptography" version 38 or later — Debian/Ubuntu: '
    "apt install python3-cryptography; elsewhere: pip install \"cryptography>=38\"\n"
    "需要 Python 软件包 cryptography 38 或以上版本（Debian/Ubuntu：apt install python3-cryptography；"
    '其他系统：pip install "cryptography>=38"）'
)


class EnvironmentProblem(Exception):
    """This Python cannot run a check (missing or too old a package): no verdict, exit status 2."""


# Everything the checks take from cryptography, imported here first so that a missing or partial install is
# named before any check needs it.
try:
    import cryptography
    from cryptography import x509  # noqa: F401
    from cryptography.exceptions import InvalidSignature  # noqa: F401
    from cryptography.hazmat.primitives import hashes  # noqa: F401
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa  # noqa: F401
except ImportError as _exc:  # pragma: no cover - exercised by running without the package
    if __name__ == "__main__":
        print(f"无法验证 CANNOT VERIFY: {NEEDS} ({_exc})", file=sys.stderr)
        sys.exit(2)
    raise


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def check_environment() -> None:
    """Raise EnvironmentProblem when this Python's cryptography is too old to verify a package."""
    if _version(getattr(cryptography, "__version__", "0")) < MIN_CRYPTOGRAPHY:
        raise EnvironmentProblem(f"{NEEDS} (found {cryptography.__version__})")
