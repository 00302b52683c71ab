"""Uploads are accepted by content, against the field's allow-list and the extension's promise."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from django.utils import translation
from openpyxl import Workbook

from hrguard.platform import uploads
from hrguard.platform.uploads import UploadError

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(64)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"
ELF = b"\x7fELF\x02\x01\x01" + bytes(120)
EXE = b"MZ\x90\x00" + bytes(120)
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def docx_like() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("a.png", PNG, "png"), ("b.JPG", JPEG, "jpg"), ("c.pdf", PDF, "pdf"), ("d.xlsx", xlsx(), "xlsx"),
    ("e.docx", docx_like(), "docx"), ("f.txt", "说明文字".encode(), "text"), ("g.csv", "工号\nE1\n".encode("gb18030"), "text"),
])
def test_real_files_pass_with_the_detected_type(name, content, kind):
    checked = uploads.check(name, content, uploads.ATTACHMENTS)
    assert checked.kind == kind and checked.mime == uploads.MIME[kind]


@pytest.mark.parametrize(("name", "content", "looks_like"), [
    ("photo.png", ELF, "program"), ("notice.pdf", HTML, "web page"), ("setup.jpg", EXE, "program"),
    ("report.docx", xlsx(), "XLSX"), ("note.txt", ELF, "program"), ("scan.pdf", PNG, "PNG"),
    ("list.csv", HTML, "web page"), ("roster.xlsx", b"PK\x03\x04 not a zip", "damaged"),
])
def test_content_that_is_not_what_the_name_says_is_refused(name, content, looks_like):
    with pytest.raises(UploadError) as info:
        uploads.check(name, content, uploads.ATTACHMENTS)
    assert name in str(info.value) and looks_like in str(info.value)


def test_allow_lists_per_field_and_size():
    with pytest.raises(UploadError, match="not accepted"):
        uploads.check("a.png", PNG, uploads.SPREADSHEETS)
    with pytest.raises(UploadError, match="not accepted"):
        uploads.check("run.exe", EXE, uploads.ATTACHMENTS)
    with pytest.raises(UploadError, match="empty"):
        uploads.check("a.pdf", b"", uploads.ATTACHMENTS)
    with pytest.raises(UploadError, match="larger than 1 MB"):
        uploads.check("a.pdf", PDF + bytes(2 * 1024 * 1024), uploads.ATTACHMENTS, max_bytes=1024 * 1024)
    assert uploads.check("../../etc/证据.pdf", PDF, uploads.SCANS).name == "证据.pdf"
