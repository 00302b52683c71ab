"""Upload checks shared by every file field: size, name, and the content's real type.

A file is accepted by what it IS, not by what it is called: the first bytes (``filetype``'s magic
numbers for binary formats; the zip directory for Office/OFD files; a text test for .txt/.csv/.eml)
must be a kind the field allows AND the kind its extension promises. An ELF binary named .png, an
HTML page named .pdf or a ZIP named .docx is refused with a message naming the file. The detected
MIME type (never the browser's claim) is what callers store and serve."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

SNIFF_BYTES = 8192
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MARKUP = re.compile(rb"^\s*<(?:!doctype\s+html|html|head|body|script|svg|iframe|\?xml)", re.IGNORECASE)

# Detected kind → MIME type stored with the file.
MIME = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "gif": "image/gif",
    "webp": "image/webp", "heic": "image/heic", "text": "text/plain", "ole": "application/x-ole-storage",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd", "mp3": "audio/mpeg", "m4a": "audio/mp4", "wav": "audio/x-wav",
    "amr": "audio/amr", "mp4": "video/mp4", "mov": "video/quicktime",
}
# Extension → the detected kinds its content may be.
EXTENSIONS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}), "png": frozenset({"png"}), "jpg": frozenset({"jpg"}), "jpeg": frozenset({"jpg"}),
    "gif": frozenset({"gif"}), "webp": frozenset({"webp"}), "heic": frozenset({"heic"}),
    "txt": frozenset({"text"}), "csv": frozenset({"text"}), "eml": frozenset({"text"}),
    "doc": frozenset({"ole"}), "xls": frozenset({"ole"}), "docx": frozenset({"docx"}), "xlsx": frozenset({"xlsx"}),
    "ofd": frozenset({"ofd"}), "mp3": frozenset({"mp3"}), "m4a": frozenset({"m4a", "mp4"}),
    "wav": frozenset({"wav"}), "amr": frozenset({"amr"}), "mp4": frozenset({"mp4", "mov"}),
    "mov": frozenset({"mov", "mp4"}),
}
# Allow-lists per upload field (extensions).
ATTACHMENTS = frozenset({
    "pdf", "png", "jpg", "jpeg", "gif", "webp", "heic", "txt", "csv", "doc", "docx", "xls", "xlsx",
    "mp3", "m4a", "wav", "amr", "mp4", "mov", "eml", "ofd",
})
SPREADSHEETS = frozenset({"xlsx", "csv", "txt"})
SCANS = frozenset({"pdf", "png", "jpg", "jpeg"})
_FILETYPE_KINDS = {
    "pdf": "pdf", "png": "png", "jpg": "jpg", "gif": "gif", "webp": "webp", "heic": "heic", "mp3": "mp3",
    "m4a": "m4a", "wav": "wav", "amr": "amr", "mp4": "mp4", "m4v": "mp4", "mov": "mov", "doc": "ole",
    "xls": "ole", "ppt": "ole",
}


class UploadError(Exception):
    """The message names the file and says what is wrong (for the user, translated)."""


@dataclass(frozen=True)
class Checked:
    name: str  # cleaned file name (no path, no control characters)
    kind: str  # detected kind (see MIME)
    mime: str
    size: int


def clean_name(raw: Any) -> str:
    name = PurePath(str(raw or "").replace("\\", "/")).name.strip()
    return _CONTROL.sub("", name)[:200]


def _zip_kind(content: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            names = {n.lower() for n in zf.namelist()[:2000]}
    except (zipfile.BadZipFile, ValueError, OSError):
        return "damaged"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if "ofd.xml" in names:
        return "ofd"
    return "zip"


def _is_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head or any(b < 9 or 13 < b < 32 for b in head if b != 27):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the sample
                return True
    return False


def detect(content: bytes) -> str:
    """The kind of the content: one of MIME's keys, or "zip", "html", "damaged", "unknown"."""
    if content[:4] == b"PK\x03\x04":
        return _zip_kind(content)
    head = content[:SNIFF_BYTES]
    guess = filetype.guess(head)
    if guess is not None:
        return _FILETYPE_KINDS.get(guess.extension, guess.extension)
    if _MARKUP.match(head):
        return "html"
    return "text" if _is_text(head) else "unknown"


def check(raw_name: Any, content: bytes, allowed: Collection[str], *, max_bytes: int | None = None) -> Checked:
    """Check one uploaded file against the field's allow-list; raises UploadError."""
    name = clean_name(raw_name)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = settings.HRGUARD_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    if not name or ext not in allowed or ext not in EXTENSIONS:
        raise UploadError(_("%(name)s: this kind of file is not accepted (allowed: %(ext)s).")
                          % {"name": name or "—", "ext": ", ".join(sorted(allowed))})
    if not content:
        raise UploadError(_("%(name)s is empty.") % {"name": name})
    if len(content) > limit:
        raise UploadError(_("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": limit // (1024 * 1024)})
    kind = detect(content)
    if kind not in EXTENSIONS[ext]:
        raise UploadError(
            _("%(name)s: the content is not a .%(ext)s file (it looks like %(kind)s). Upload the original file.")
            % {"name": name, "ext": ext, "kind": describe(kind)}
        )
    return Checked(name=name, kind=kind, mime=MIME.get(kind, "application/octet-stream"), size=len(content))


def describe(kind: str) -> str:
    labels = {
        "html": _("a web page (HTML)"), "zip": _("a ZIP archive"), "damaged": _("a damaged archive"),
        "unknown": _("an unknown binary format"), "text": _("plain text"), "ole": _("an old Office document"),
        "exe": _("a program"), "elf": _("a program"),
    }
    return labels.get(kind, kind.upper())


def read(upload: Any, limit: int | None = None) -> bytes:
    """The bytes of an uploaded file (Django's UploadedFile, or a (name, bytes) pair), reading at most
    one byte past the limit so an oversize file is refused without being held in memory whole."""
    if isinstance(upload, tuple):
        return upload[1]
    cap = settings.HRGUARD_MAX_UPLOAD_BYTES if limit is None else limit
    upload.seek(0)
    return upload.read(cap + 1)


def name_of(upload: Any) -> str:
    return clean_name(upload[0] if isinstance(upload, tuple) else getattr(upload, "name", ""))
