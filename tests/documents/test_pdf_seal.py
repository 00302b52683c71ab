"""PAdES sealing: valid signatures verify; any later change is detected by pyHanko and pdfsig."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from hrguard.platform.pdf.keys import CompanyPKI
from hrguard.platform.pdf.poppler import extract_text, pdfsig_report_bytes, squash_whitespace
from hrguard.platform.pdf.render import render_document
from hrguard.platform.pdf.seal import SealError, make_signer, make_timestamper, seal_pdf, verify_pdf

from .test_pdf_render import COMPANY, separation_certificate


@pytest.fixture(scope="module")
def original(signature_png: bytes) -> bytes:
    return render_document(separation_certificate(signature_png))


@pytest.fixture(scope="module")
def sealed(original: bytes, company_pki: CompanyPKI) -> bytes:
    return seal_pdf(original, company_pki.signer, "离职证明盖章", "上海", "company_seal")


def flip_inside_first_revision(pdf: bytes, original_len: int) -> bytes:
    """Flip one bit inside a content stream of the original revision (covered by every signature)."""
    start = pdf.index(b"stream\n", original_len // 3) + len(b"stream\n") + 40
    assert start < original_len
    damaged = bytearray(pdf)
    damaged[start] ^= 0x01
    return bytes(damaged)


def test_sealed_pdf_verifies(sealed: bytes, original: bytes, company_pki: CompanyPKI) -> None:
    assert sealed.startswith(original)  # incremental update: original bytes untouched
    result = verify_pdf(sealed, [company_pki.root.cert])
    assert result.ok, result
    (sig,) = result.signatures
    assert sig.field_name == "company_seal"
    assert sig.intact and sig.valid and sig.trusted and sig.bottom_line
    assert sig.covers_whole_file and sig.coverage == "ENTIRE_FILE"
    assert sig.signer_organization == COMPANY
    assert sig.signer_common_name == f"{COMPANY} 电子文档签章"
    assert COMPANY in sig.signer_subject
    assert sig.signing_time is not None and sig.signing_time.tzinfo is not None
    assert sig.timestamp_present is False and sig.timestamp_valid is None


def test_sealed_pdf_keeps_its_chinese_text(sealed: bytes) -> None:
    text = squash_whitespace(extract_text(sealed))
    for needle in ("离职证明", "张测试", "欧阳娜娜", COMPANY):
        assert needle in text


def test_pdfsig_agrees_on_valid_signature(sealed: bytes) -> None:
    report = pdfsig_report_bytes(sealed)
    assert report.all_valid, report.output
    (sig,) = report.signatures
    assert sig.field_name == "company_seal"
    assert sig.signer_common_name == f"{COMPANY} 电子文档签章"
    assert sig.total_document_signed is True
    assert sig.signed_ranges[0][0] == 0 and sig.signed_ranges[-1][1] == len(sealed)
    # Private root, so NSS cannot trust it — but it must not reject the certificate's usages.
    assert sig.certificate_validation == "Certificate issuer isn't Trusted."


def test_one_flipped_byte_is_detected(sealed: bytes, original: bytes, company_pki: CompanyPKI) -> None:
    damaged = flip_inside_first_revision(sealed, len(original))
    result = verify_pdf(damaged, [company_pki.root.cert])
    assert not result.ok
    (sig,) = result.signatures
    assert sig.intact is False and sig.bottom_line is False and not sig.ok
    report = pdfsig_report_bytes(damaged)
    assert not report.all_valid
    assert report.signatures[0].signature_validation == "Digest Mismatch."


def test_appended_bytes_are_detected(sealed: bytes, company_pki: CompanyPKI) -> None:
    tampered = sealed + b"\n% appended after signing\n"
    result = verify_pdf(tampered, [company_pki.root.cert])
    assert not result.ok
    assert not result.covers_whole_file
    assert result.signatures[0].coverage != "ENTIRE_FILE"
    report = pdfsig_report_bytes(tampered)
    assert report.signatures[0].total_document_signed is False
    assert not report.all_valid


def test_content_added_after_signing_is_not_allowed(sealed: bytes, company_pki: CompanyPKI) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(sealed))
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (forged) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue(), [company_pki.root.cert])
    (sig,) = result.signatures
    assert sig.intact  # the signed revision itself is untouched ...
    assert not sig.later_changes_allowed and not sig.ok  # ... but the page was changed afterwards
    assert not result.ok


def test_untrusted_root_fails(sealed: bytes, other_pki: CompanyPKI) -> None:
    result = verify_pdf(sealed, [other_pki.root.cert])
    (sig,) = result.signatures
    assert sig.intact and not sig.trusted and not sig.ok
    assert not result.ok


def test_timestamp_from_in_process_tsa(original: bytes, company_pki: CompanyPKI, tsa_pki: CompanyPKI) -> None:
    before = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    signed = seal_pdf(original, company_pki.signer, "盖章", "上海", "company_seal",
                      timestamper=make_timestamper(tsa_pki.signer))
    result = verify_pdf(signed, [company_pki.root.cert], timestamp_roots=[tsa_pki.root.cert])
    assert result.ok, result
    (sig,) = result.signatures
    assert sig.timestamp_present and sig.timestamp_valid
    assert sig.timestamp_time is not None and sig.timestamp_time >= before
    # The same token checked against the wrong TSA root is not trusted.
    wrong = verify_pdf(signed, [company_pki.root.cert], timestamp_roots=[company_pki.root.cert])
    assert wrong.signatures[0].timestamp_valid is False and not wrong.ok


def test_timestamp_over_http(
    original: bytes, company_pki: CompanyPKI, tsa_pki: CompanyPKI, tsa_url: str
) -> None:
    signed = seal_pdf(original, company_pki.signer, "盖章", "上海", "company_seal", timestamp_url=tsa_url)
    result = verify_pdf(signed, [company_pki.root.cert], timestamp_roots=[tsa_pki.root.cert])
    assert result.ok, result
    assert result.signatures[0].timestamp_valid is True
    assert pdfsig_report_bytes(signed).all_valid


def test_unreachable_tsa_is_an_error(original: bytes, company_pki: CompanyPKI) -> None:
    import socket

    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SealError, match="timestamp"):
        seal_pdf(original, company_pki.signer, "盖章", "上海", "f", timestamp_url=f"http://127.0.0.1:{port}/",
                 timestamp_timeout=2)


def test_employee_then_company_signatures_both_verify(
    original: bytes, company_pki: CompanyPKI, other_pki: CompanyPKI, tsa_pki: CompanyPKI
) -> None:
    # The employee's signature is made with a separate identity; the company seal follows it.
    employee = seal_pdf(original, make_signer(other_pki.signer), "员工确认签署", "上海", "employee",
                        signer_name="张测试")
    both = seal_pdf(employee, company_pki.signer, "公司盖章", "上海", "company_seal",
                    timestamper=make_timestamper(tsa_pki.signer))
    assert both.startswith(employee)
    roots = [company_pki.root.cert, other_pki.root.cert]
    result = verify_pdf(both, roots, timestamp_roots=[tsa_pki.root.cert])
    assert result.ok, result
    first, second = result.signatures
    assert (first.field_name, second.field_name) == ("employee", "company_seal")
    assert first.coverage == "ENTIRE_REVISION" and first.modification_level == "FORM_FILLING"
    assert first.ok and first.signer_organization == "乙公司"
    assert second.covers_whole_file and second.ok and second.timestamp_valid
    report = pdfsig_report_bytes(both)
    assert report.all_valid, report.output
    assert [s.total_document_signed for s in report.signatures] == [False, True]
    # Damage in the shared first revision breaks both signatures.
    damaged = verify_pdf(flip_inside_first_revision(both, len(original)), [company_pki.root.cert])
    assert [s.intact for s in damaged.signatures] == [False, False]


def test_field_cannot_be_signed_twice(sealed: bytes, company_pki: CompanyPKI) -> None:
    with pytest.raises(SealError, match="already signed"):
        seal_pdf(sealed, company_pki.signer, "again", "上海", "company_seal")


def test_unsigned_and_broken_inputs(original: bytes, company_pki: CompanyPKI) -> None:
    unsigned = verify_pdf(original, [company_pki.root.cert])
    assert not unsigned.ok and unsigned.error == "no signature found"
    broken = verify_pdf(b"%PDF-1.7\nnot really a pdf", [company_pki.root.cert])
    assert not broken.ok and broken.error is not None
    assert pdfsig_report_bytes(original).signatures == ()
    with pytest.raises(SealError):
        seal_pdf(b"not a pdf", company_pki.signer, "r", "l", "f")
    with pytest.raises(ValueError):
        seal_pdf(original, company_pki.signer, "r", "l", "a.b")


def test_too_small_reservation_falls_back_to_measuring(
    original: bytes, company_pki: CompanyPKI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrguard.platform.pdf import seal

    monkeypatch.setattr(seal, "_CMS_OVERHEAD", 0)  # room for the certificates only: too small
    signed = seal_pdf(original, company_pki.signer, "盖章", "上海", "company_seal")
    assert verify_pdf(signed, [company_pki.root.cert]).ok
