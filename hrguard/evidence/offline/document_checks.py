"""Checks 8-9: the packaged documents against the evidence log, and every PAdES signature of the PDFs."""

from __future__ import annotations

import hashlib
from io import BytesIO
from typing import Any

from cryptography import x509

from .certs import _chains, _load_certs, _packaged_crls, _packaged_tsa_roots
from .model import Invalid, Package


def check_documents(pkg: Package) -> str:
    seq = pkg.manifest.get("package_event_seq")
    record = next(r for _, r in pkg.records if r["seq"] == seq)
    recorded = {d["file"]: d for d in record.get("data", {}).get("documents", [])}
    packaged = {d["file"]: d for d in pkg.manifest.get("documents", [])}
    if set(recorded) != set(packaged):
        raise Invalid("the documents in the package differ from those recorded in the evidence log")
    for name, doc in sorted(recorded.items()):
        data = pkg.files.get(name)
        if data is None:
            raise Invalid(f"document {name} is missing")
        if hashlib.sha256(data).hexdigest() != doc.get("sha256"):
            raise Invalid(f"document {name}: SHA-256 differs from the hash recorded in the evidence log")
        needle = str(doc["sha256"]).encode()
        cited = [str(r["seq"]) for line, r in pkg.records if needle in line and r["seq"] != seq]
        if cited:
            pkg.info.append(f"文件 {name} 的哈希亦见于事件 / hash also recorded by events: #{', #'.join(cited)}")
    return f"{len(recorded)} documents match the evidence log"


def _utc(obj: Any, attr: str) -> Any:
    """``obj.<attr>`` as an aware UTC datetime (cryptography >= 42 has ``<attr>_utc``; older: naive UTC)."""
    import datetime as dt

    value = getattr(obj, f"{attr}_utc", None)
    if value is None:
        value = getattr(obj, attr)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _dss(reader: Any) -> tuple[list[x509.Certificate], list[Any]]:
    """Certificates and CRLs of the PDF's document security store (its long-term validation data)."""
    dss = reader.root.get("/DSS")
    certs: list[x509.Certificate] = []
    crls: list[Any] = []
    if dss is None:
        return certs, crls
    dss = dss.get_object()
    for ref in dss.get("/Certs", []):
        certs.append(x509.load_der_x509_certificate(ref.get_object().data))
    for ref in dss.get("/CRLs", []):
        crls.append(x509.load_der_x509_crl(ref.get_object().data))
    return certs, crls


def _revocation(cert: x509.Certificate, crls: list[Any], issuers: list[x509.Certificate]) -> str:
    """"revoked <time>" when a CRL signed by the certificate's issuer lists it, "" otherwise."""
    for crl in crls:
        issuer = next((c for c in issuers if c.subject == crl.issuer and c.subject == cert.issuer), None)
        if issuer is None or not crl.is_signature_valid(issuer.public_key()):
            continue
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if entry is not None:
            return f"revoked {_utc(entry, 'revocation_date').isoformat()}"
    return ""


def _pdf_signatures(data: bytes, roots: list[x509.Certificate], crls: list[Any], at: Any,
                    tsa_roots: list[x509.Certificate] | None = None) -> list[dict[str, Any]]:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    trust = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in roots]
    reader = PdfFileReader(BytesIO(data), strict=False)
    dss = _dss(reader)
    dss_certs = dss[0]
    usage = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False)
    out = []
    others = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in dss_certs]
    tsa_trust = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in tsa_roots or []]
    for sig in reader.embedded_regular_signatures:
        ctx = ValidationContext(trust_roots=trust, allow_fetching=False, revocation_mode="soft-fail",
                                moment=at, other_certs=others)
        # The TSA is judged against the trusted TSA roots alone (none given: every TSA is untrusted); its
        # token is checked as of its own time, so an expired TSA certificate does not undo an old timestamp.
        ts_ctx = ValidationContext(trust_roots=tsa_trust, allow_fetching=False, revocation_mode="soft-fail",
                                   other_certs=others, retroactive_revinfo=True)
        status = validate_pdf_signature(sig, ctx, ts_ctx, key_usage_settings=usage)
        info = _signature_info(sig, status, at, roots, crls, dss, trust, others, usage)
        out.append(info)
    return out


def _signature_info(sig: Any, status: Any, at: Any, roots: list[x509.Certificate], crls: list[Any],
                    dss: tuple[list[x509.Certificate], list[Any]], trust: list[Any], others: list[Any],
                    usage: Any) -> dict[str, Any]:
    """What one validated PDF signature says: intact, who, which certificate, when, revoked/expired."""
    dss_certs, dss_crls = dss
    issuers = [*roots, *dss_certs]
    coverage = status.coverage.name if status.coverage is not None else "UNKNOWN"
    level = status.modification_level.name if status.modification_level is not None else "NONE"
    whole = coverage == "ENTIRE_FILE" or (
        coverage == "ENTIRE_REVISION" and level in {"NONE", "LTA_UPDATES", "FORM_FILLING"}
    )
    asn1_cert = status.signing_cert
    cert = x509.load_der_x509_certificate(asn1_cert.dump()) if asn1_cert is not None else None
    ts = status.timestamp_validity
    ts_time = ts.timestamp if ts is not None and ts.intact and ts.valid else None
    tsa = None if ts_time is None else ("trusted TSA" if ts.trusted else "untrusted TSA")
    info: dict[str, Any] = {
        "field": sig.field_name, "intact": bool(status.intact) and bool(status.valid) and whole,
        "trusted_chain": bool(status.trusted), "cert_der": asn1_cert.dump() if asn1_cert is not None else b"",
        "signer": asn1_cert.subject.native.get("common_name", "?") if asn1_cert is not None else "?",
        "subject": asn1_cert.subject.human_friendly if asn1_cert is not None else "?",
        "signing_time": status.signer_reported_dt, "timestamp": ts_time, "status": "valid", "tsa": tsa,
    }
    if cert is not None:
        info["serial"] = f"{cert.serial_number:x}"
        info["issuer"] = cert.issuer.rfc4514_string()
        revoked = _revocation(cert, [*dss_crls, *crls], issuers)
        not_after = _utc(cert, "not_valid_after")
        # An untrusted TSA's time proves nothing: then only the signer's claimed time is left.
        proof = (ts_time if tsa == "trusted TSA" else None) or info["signing_time"]
        when_signed = proof is not None and _valid_at(sig, trust, others, [*dss_crls, *crls], proof, usage)
        if revoked:
            info["status"] = revoked
        elif not_after < at:
            info["status"] = (f"expired {not_after.isoformat()}, valid when signed 签署时有效" if when_signed
                              else f"expired {not_after.isoformat()}")
        elif not when_signed:
            info["status"] = "certificate not valid when signed 签署时证书无效"
        # the chain is judged on what the package and the PDF carry, not today's date
        info["trusted_chain"] = info["trusted_chain"] or _chains(cert, roots, dss_certs)
    return info


def _valid_at(sig: Any, trust: list[Any], others: list[Any], crls: list[Any], moment: Any, usage: Any) -> bool:
    """Was the signer's certificate valid, chained and unrevoked at ``moment`` (the timestamp, else the claimed
    signing time)? Judged with the CRLs the PDF embeds (DSS) and the package carries, fetching nothing."""
    from asn1crypto import crl as asn1_crl
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    ctx = ValidationContext(trust_roots=trust, other_certs=others, allow_fetching=False, moment=moment,
                            crls=[asn1_crl.CertificateList.load(c.public_bytes(Encoding.DER)) for c in crls],
                            revocation_mode="hard-fail", retroactive_revinfo=True)
    return bool(validate_pdf_signature(sig, ctx, ctx, key_usage_settings=usage).trusted)


def _describe(name: str, s: dict[str, Any]) -> str:
    when = s["signing_time"].isoformat() if s["signing_time"] is not None else "-"
    stamp = s["timestamp"].isoformat() if s["timestamp"] is not None else "none"
    if s.get("tsa") == "trusted TSA":
        stamp += " (trusted TSA 时间戳机构可信)"
    elif s.get("tsa"):
        stamp += " (untrusted TSA 时间戳机构不受信任)"
    return (f"{name} [{s['field']}] signer 签署人 {s['signer']}; certificate 证书 serial {s.get('serial', '?')} "
            f"issuer {s.get('issuer', '?')}; signing time 签署时间 {when}; timestamp 时间戳 {stamp}; "
            f"intact 完好 {'yes 是' if s['intact'] else 'NO 否'}; status 状态 {s['status']}"
            f"{'' if s['trusted_chain'] else ' (not chained to packaged root)'}")


def check_pdf_signatures(pkg: Package, at: Any = None, tsa_roots: list[x509.Certificate] | None = None
                         ) -> tuple[str, str]:
    """Every signature of every packaged PDF: intact, who, which certificate, when, revoked/expired —
    judged with the validation data embedded in the PDF (DSS) and the CRLs in certs/, at ``at`` (now).
    Timestamps: their TSA is "trusted" when it chains to ``tsa_roots`` (the verifier's ``--tsa-roots``), else
    to the roots the company configured and packaged (``certs/tsa-roots.pem``); otherwise "untrusted TSA"."""
    import datetime as dt

    try:
        import pyhanko  # noqa: F401
    except ImportError:
        return "skipped", "pyHanko not installed (pip install pyHanko) — PDF signatures not checked"
    at = at or dt.datetime.now(dt.UTC)
    docs = [(d["file"], d.get("role", "")) for d in pkg.manifest.get("documents", [])]
    docs = [(name, role) for name, role in docs if name.lower().endswith(".pdf")]
    docs.append(("completion.pdf", "signed"))
    from cryptography.hazmat.primitives.serialization import Encoding

    certs = pkg.certs or _load_certs(pkg)
    roots = [c for c in certs if c.issuer == c.subject] or certs
    crls = _packaged_crls(pkg)
    tsa_trust = tsa_roots if tsa_roots is not None else _packaged_tsa_roots(pkg)
    notes = []
    untrusted = 0
    for name, role in docs:
        try:
            sigs = _pdf_signatures(pkg.files[name], roots, crls, at, tsa_trust)
        except Exception as exc:  # any parser error means the signature cannot be relied on
            raise Invalid(f"{name}: PDF signature cannot be validated ({exc})") from exc
        if not sigs:
            if role == "signed":
                raise Invalid(f"{name}: no PDF signature found")
            notes.append(f"{name}: unsigned ({role})")
        for s in sigs:
            if not s["intact"]:
                raise Invalid(f"{name}: PDF signature {s['field']!r} is not intact (document modified)")
            if name == "completion.pdf" and s["cert_der"] != certs[0].public_bytes(Encoding.DER):
                raise Invalid("completion.pdf is not sealed by the packaged company certificate")
            if s["status"].startswith("revoked"):
                raise Invalid(f"{name}: the certificate of signature {s['field']!r} ({s['signer']}, serial "
                              f"{s.get('serial')}) was {s['status']}")
            notes.append(_describe(name, s))
            pkg.info.append("签名 Signature: " + _describe(name, s))
            untrusted += s.get("tsa") == "untrusted TSA"
    if untrusted:
        where = "the given --tsa-roots" if tsa_roots is not None else (
            "the packaged certs/tsa-roots.pem" if tsa_trust else "no trusted TSA root configured")
        pkg.info.append(f"注意 Note: {untrusted} 个时间戳的时间戳机构不受信任 / timestamp(s) by an untrusted TSA "
                        f"({where}); their time is not used as proof of the signing time")
    return "ok", f"{len(notes)} signatures checked"
