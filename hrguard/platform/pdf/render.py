"""Render Chinese documents to PDF with typst and Debian's Noto CJK fonts (no Django).

Two entry points:

* :func:`render_document` — one document (离职证明, notices, agreements): centred title, optional
  addressee, body paragraphs, optional key-value table, signature blocks (drawn PNG or typed name),
  issuer line with company name, date and an optional seal mark, and a footer on every page with
  the document id and the SHA-256 content digest (:func:`content_digest`).
* :func:`render_table_report` — sections of paragraphs, key-value pairs and tables, e.g. a
  certificate of completion listing every event with time, IP, device and channel.

User text is never spliced into typst markup: the layout lives in ``templates/*.typ`` and the data
travels as one JSON string in ``sys.inputs``; typst inserts those strings as plain text, so ``#``,
``$``, ``*``, ``_``, ``<``, ``@``, backslashes and backticks print literally.

One ``typst.Compiler`` per font directory is created lazily and reused for the life of the process
(creating it costs ~100 ms, a render ~10 ms). Calls are serialised by a lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import typst

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

# Where Debian's fonts-noto-cjk (and a few other distributions) put the CJK collections.
FONT_DIR_CANDIDATES = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/local/share/fonts/noto",
)
REQUIRED_FONT_FILES = ("NotoSerifCJK-Regular.ttc", "NotoSansCJK-Regular.ttc")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_PNG = 2 * 1024 * 1024


class FontsNotFoundError(RuntimeError):
    """The Noto CJK fonts are missing (install the Debian package fonts-noto-cjk)."""


class RenderError(RuntimeError):
    """typst rejected the document (the message carries typst's diagnostic)."""


@dataclass(frozen=True)
class SignatureBlock:
    """One signature area. Give ``drawn_png`` (a handwritten signature) or ``typed_name``."""

    label: str
    """Caption, e.g. "员工（签字）" or "公司（盖章）"."""
    signer_name: str
    signed_at: dt.datetime | str | None = None
    drawn_png: bytes | None = None
    typed_name: str | None = None
    field: str = ""
    """Name of a signature field to leave room for: the box stays empty and :func:`render_document_fields`
    reports where it is (the signature's own appearance fills it when signing)."""


@dataclass(frozen=True)
class DocumentContent:
    """Everything shown in a document. Texts are final (template variables already substituted)."""

    title: str
    paragraphs: Sequence[str]
    document_id: str
    company_name: str
    addressee: str = ""
    """Salutation line without the colon, e.g. "张测试同志"; empty for none."""
    fields: Sequence[tuple[str, str]] = ()
    signatures: Sequence[SignatureBlock] = ()
    issued_on: dt.date | str | None = None
    """Date of the issuer line under the text (落款日期)."""
    seal_text: str | None = None
    """Caption inside the round seal mark (e.g. "人事专用章"); ``None`` draws no seal mark."""
    digest: str | None = None
    """Digest printed in the footer; default :func:`content_digest` of this content."""


@dataclass(frozen=True)
class ReportSection:
    """One section of a report: any of paragraphs, key-value pairs and a table."""

    heading: str
    paragraphs: Sequence[str] = ()
    pairs: Sequence[tuple[str, str]] = ()
    columns: Sequence[str] = ()
    rows: Sequence[Sequence[str]] = ()
    widths: Sequence[float] = field(default=())
    """Relative column widths (fractions); 0 means "auto". Default: equal widths."""


def find_font_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding the Noto CJK collections; ``override`` wins when given."""
    candidates = [override] if override is not None else list(FONT_DIR_CANDIDATES)
    for candidate in candidates:
        path = Path(candidate)  # type: ignore[arg-type]
        if all((path / name).is_file() for name in REQUIRED_FONT_FILES):
            return path
    where = override if override is not None else ", ".join(FONT_DIR_CANDIDATES)
    raise FontsNotFoundError(
        f"Noto CJK fonts ({', '.join(REQUIRED_FONT_FILES)}) not found in {where}; "
        "install the Debian package fonts-noto-cjk or pass font_dir"
    )


_compilers: dict[Path, typst.Compiler] = {}
_lock = threading.Lock()


def _compile(template: str, data: dict[str, object], font_dir: str | os.PathLike[str] | None) -> bytes:
    return _compile_query(template, data, font_dir, None)[0]


def _compile_query(template: str, data: dict[str, object], font_dir: str | os.PathLike[str] | None,
                   selector: str | None) -> tuple[bytes, str]:
    """Compile, and when ``selector`` is given also query the same (cached) document for it (JSON)."""
    fonts = find_font_dir(font_dir)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    with _lock:
        compiler = _compilers.get(fonts)
        if compiler is None:
            compiler = typst.Compiler(
                root=str(TEMPLATE_DIR), font_paths=[str(fonts)], ignore_system_fonts=True
            )
            _compilers[fonts] = compiler
        try:
            out = compiler.compile(
                input=str(TEMPLATE_DIR / template), format="pdf", sys_inputs={"data": payload}
            )
            found = compiler.query(selector, field="value") if selector else ""
        except typst.TypstError as exc:
            raise RenderError(f"typst: {exc.message}\n{exc.diagnostic}") from exc
    if not isinstance(out, bytes):
        raise RenderError("typst returned no PDF")
    return out, str(found or "")


def format_cn_datetime(value: dt.datetime | dt.date | str | None) -> str:
    """``2025年3月1日 14:05:09（UTC+08:00）`` for datetimes, ``2025年3月1日`` for dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    date_part = f"{value.year}年{value.month}月{value.day}日"
    if not isinstance(value, dt.datetime):
        return date_part
    text = f"{date_part} {value:%H:%M:%S}"
    offset = value.utcoffset()
    if offset is not None:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        text += f"（UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}）"
    return text


def content_digest(content: DocumentContent) -> str:
    """SHA-256 (hex) of the canonical JSON of the document's wording.

    Covers title, addressee, paragraphs, fields, company name, document id and issue date — the text
    the parties agree to — but not signature blocks or the seal mark, so the unsigned original and
    the signed copy of one document print the same digest. Canonical JSON: sorted keys, UTF-8, no
    spaces; dates as shown on the page.
    """
    body = {
        "title": content.title,
        "addressee": content.addressee,
        "paragraphs": list(content.paragraphs),
        "fields": [[k, v] for k, v in content.fields],
        "company_name": content.company_name,
        "document_id": content.document_id,
        "issued_on": format_cn_datetime(content.issued_on),
    }
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _signature_data(block: SignatureBlock) -> dict[str, object]:
    image: list[int] | None = None
    if block.drawn_png is not None:
        if not block.drawn_png.startswith(PNG_MAGIC):
            raise ValueError("drawn signature must be a PNG image")
        if len(block.drawn_png) > MAX_SIGNATURE_PNG:
            raise ValueError("drawn signature image is too large")
        image = list(block.drawn_png)
    return {
        "label": block.label,
        "signer_name": block.signer_name,
        "signed_at": format_cn_datetime(block.signed_at),
        "typed_name": block.typed_name or "",
        "image": image,
        "field": block.field,
    }


def render_document(content: DocumentContent, *, font_dir: str | os.PathLike[str] | None = None) -> bytes:
    """Render ``content`` to an A4 PDF and return its bytes."""
    return _compile("document.typ", _document_data(content), font_dir)


A4_HEIGHT_PT = 841.89


@dataclass(frozen=True)
class FieldBox:
    """Where a signature field's box landed: ``page`` 0-based, ``box`` (x1, y1, x2, y2) in PDF points."""

    name: str
    page: int
    box: tuple[float, float, float, float]

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


def render_document_fields(content: DocumentContent, *, font_dir: str | os.PathLike[str] | None = None
                           ) -> tuple[bytes, list[FieldBox]]:
    """Like :func:`render_document`, and where each signature block with a ``field`` name is."""
    pdf, found = _compile_query("document.typ", _document_data(content), font_dir, "<sigfield>")
    boxes = []
    for item in json.loads(found or "[]"):
        x, y, w, h = (float(str(item[k]).removesuffix("pt")) for k in ("x", "y", "w", "h"))
        top = A4_HEIGHT_PT - y
        boxes.append(FieldBox(str(item["field"]), int(item["page"]) - 1, (x, top - h, x + w, top)))
    return pdf, boxes


def render_signature_appearance(*, width: float, height: float, drawn_png: bytes | None = None,
                                typed_name: str = "", font_dir: str | os.PathLike[str] | None = None) -> bytes:
    """A one-page PDF of ``width`` × ``height`` points showing the drawn signature or the typed name."""
    block = SignatureBlock(label="", signer_name="", drawn_png=drawn_png, typed_name=typed_name or None)
    sig = _signature_data(block)
    if sig["image"] is None and not typed_name.strip():
        raise ValueError("give a drawn signature or a typed name")
    data = {"width": round(width, 2), "height": round(height, 2), "image": sig["image"], "typed_name": typed_name,
            "title": "", "company_name": ""}
    return _compile("signature.typ", data, font_dir)


def _document_data(content: DocumentContent) -> dict[str, object]:
    if not content.title.strip():
        raise ValueError("title is required")
    data = {
        "title": content.title,
        "addressee": content.addressee,
        "paragraphs": [str(p) for p in content.paragraphs],
        "fields": [[str(k), str(v)] for k, v in content.fields],
        "signatures": [_signature_data(s) for s in content.signatures],
        "company_name": content.company_name,
        "document_id": content.document_id,
        "issued_on": format_cn_datetime(content.issued_on),
        "seal_text": content.seal_text,
        "digest": content.digest or content_digest(content),
    }
    return data


def report_digest(title: str, sections: Sequence[ReportSection], document_id: str, company_name: str) -> str:
    """SHA-256 (hex) of the canonical JSON of a report's title, ids and section contents."""
    body = {
        "title": title,
        "document_id": document_id,
        "company_name": company_name,
        "sections": [_section_data(s) for s in sections],
    }
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _section_data(section: ReportSection) -> dict[str, object]:
    ncols = len(section.columns)
    for i, row in enumerate(section.rows):
        if len(row) != ncols:
            raise ValueError(f"section {section.heading!r}: row {i} has {len(row)} cells, expected {ncols}")
    widths = list(section.widths) or [1.0] * ncols
    if len(widths) != ncols:
        raise ValueError(f"section {section.heading!r}: {len(widths)} widths for {ncols} columns")
    return {
        "heading": section.heading,
        "paragraphs": [str(p) for p in section.paragraphs],
        "pairs": [[str(k), str(v)] for k, v in section.pairs],
        "columns": [str(c) for c in section.columns],
        "rows": [[str(c) for c in row] for row in section.rows],
        "widths": [float(w) for w in widths],
    }


def render_table_report(
    title: str,
    sections: Sequence[ReportSection],
    *,
    document_id: str = "",
    company_name: str = "",
    digest: str | None = None,
    font_dir: str | os.PathLike[str] | None = None,
) -> bytes:
    """Render a report (e.g. a certificate of completion) to an A4 PDF and return its bytes.

    The footer prints ``digest`` (default: :func:`report_digest` of this report).
    """
    if not title.strip():
        raise ValueError("title is required")
    data = {
        "title": title,
        "company_name": company_name,
        "document_id": document_id,
        "sections": [_section_data(s) for s in sections],
        "digest": digest or report_digest(title, sections, document_id, company_name),
    }
    return _compile("report.typ", data, font_dir)
