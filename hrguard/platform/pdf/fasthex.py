"""A faster reader for PDF hexadecimal strings in pyHanko (no Django).

pyHanko 0.38 reads a hex string one byte at a time (``read_non_whitespace`` per character). A signature's
``/Contents`` is a hex string of 16–40 thousand characters, and every signing, DSS update and verification
re-reads the signatures already in the file — in the two-signature signing of issue 13 that was the largest
single cost after CMS assembly. :func:`read_hex_string` reads up to the closing ``>`` in chunks, drops PDF
whitespace, and decodes in one call; anything unusual (a comment, a character that is not a hex digit, the
end of the stream) is handed back to pyHanko's own reader, so errors and edge cases stay exactly pyHanko's.

:func:`install` replaces ``pyhanko.pdf_utils.generic.read_hex_string_from_stream`` (the only caller is
``read_object`` in the same module, which looks the name up at call time). It is called by the modules of
this package that use pyHanko; ``tests/documents/test_pdf_fasthex.py`` checks it against pyHanko's reader.
"""

from __future__ import annotations

import binascii
from typing import IO, Any

from pyhanko.pdf_utils import generic

_ORIGINAL = generic.read_hex_string_from_stream
_WHITESPACE = b" \n\r\t\f\x00"  # pyhanko.pdf_utils.misc.PDF_WHITESPACE
_HEX = b"0123456789abcdefABCDEF"
_CHUNK = 65536


def read_hex_string(stream: IO[bytes]) -> Any:
    """Read ``<hex digits>`` at the stream's position; same result and end position as pyHanko's reader."""
    start = stream.tell()
    if stream.read(1) != b"<":
        stream.seek(start)
        return _ORIGINAL(stream)
    parts: list[bytes] = []
    while True:
        at = stream.tell()
        chunk = stream.read(_CHUNK)
        if not chunk:  # no closing '>': pyHanko raises its own error
            stream.seek(start)
            return _ORIGINAL(stream)
        end = chunk.find(b">")
        if end >= 0:
            parts.append(chunk[:end])
            stream.seek(at + end + 1)
            break
        parts.append(chunk)
    digits = b"".join(parts).translate(None, _WHITESPACE)
    if digits.translate(None, _HEX):  # a comment or a stray character: let pyHanko judge
        stream.seek(start)
        return _ORIGINAL(stream)
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


def install() -> None:
    """Use :func:`read_hex_string` in pyHanko's object reader (idempotent)."""
    generic.read_hex_string_from_stream = read_hex_string  # type: ignore[assignment]
