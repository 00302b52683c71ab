"""The chunked hex-string reader gives pyHanko's results, positions and errors."""

from __future__ import annotations

from io import BytesIO

import pytest
from pyhanko.pdf_utils.misc import PdfStreamError

from hrguard.platform.pdf import fasthex

CASES = [
    b"<>", b"<41>", b"<4142>", b"<414>", b"< 41 42\n43\r\t\f 44 >", b"<" + b"00" * 40000 + b">",
    b"<" + b"ab" * 70000 + b"> trailing", b"<e4b8ade69687>", b"<41%comment\n42>",
]


@pytest.mark.parametrize("data", CASES)
def test_same_value_and_position_as_pyhanko(data: bytes) -> None:
    ours, theirs = BytesIO(b"xx" + data), BytesIO(b"xx" + data)
    ours.seek(2)
    theirs.seek(2)
    assert fasthex.read_hex_string(ours) == fasthex._ORIGINAL(theirs)
    assert ours.tell() == theirs.tell()


@pytest.mark.parametrize("data", [b"<41 4G>", b"<4142", b"<" + b"00" * 70000])
def test_bad_hex_raises_pyhankos_error(data: bytes) -> None:
    with pytest.raises(PdfStreamError):
        fasthex._ORIGINAL(BytesIO(data))
    with pytest.raises(PdfStreamError):
        fasthex.read_hex_string(BytesIO(data))


def test_installed_in_pyhanko() -> None:
    from pyhanko.pdf_utils import generic

    import hrguard.platform.pdf.seal  # noqa: F401 - installs the reader

    assert generic.read_hex_string_from_stream is fasthex.read_hex_string
