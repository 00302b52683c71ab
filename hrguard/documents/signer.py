"""What the signer does through ``/sign/<token>/``: open, prove identity by code, sign, decline, download.

The link token only finds the envelope; acting on it needs a one-time code sent to the phone or email
registered for the employee, so a forwarded link is useless to anyone else. Codes: 6 digits, 10
minutes, stored as salted HMAC; 5 wrong codes lock the envelope until HR unlocks it; a new code at
most once a minute and 5 an hour.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.crypto import keyring
from hrguard.evidence import services as evidence
from hrguard.people import contracts
from hrguard.platform import uploads
from hrguard.platform.pdf import ca
from hrguard.platform.pdf.seal import SealError

from . import certificates, code_delivery, contract_clauses, identity, notices, pdfs, services
from .code_delivery import CodeDelivery
from .models import CodeChallenge, DocumentFile, Envelope, EnvelopeStatus, FileKind

CODE_TTL = dt.timedelta(minutes=10)
RESEND_AFTER = dt.timedelta(seconds=60)
MAX_CODES_PER_HOUR = 5
MAX_FAILED = 5
CODE_CHANNELS = code_delivery.CODE_CHANNELS
CONSENT_TEXT = (
    "本人确认已完整阅读上述文件，同意以电子签名方式签署；本人知悉依照《中华人民共和国电子签名法》"
    "第十三条、第十四条，可靠的电子签名与手写签名或者盖章具有同等的法律效力。"
)


class SigningError(Exception):
    """A refusal with a message for the signer."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _ctx() -> dict[str, str]:
    from hrguard.core import context

    c = context.current()
    return {"ip": c.ip, "device": c.user_agent, "channel": c.channel}


def _record(envelope: Envelope, action: str, data: dict[str, Any] | None = None, actor: Any = None) -> None:
    evidence.record(
        envelope.company_id, actor, action, evidence.Subject("documents.envelope", str(envelope.pk)),
        {"document_id": envelope.document_id, "request": envelope.request_id, **(data or {})},
        employee=envelope.employee_id,
    )


def _touch(envelope: Envelope, **fields: Any) -> None:
    ctx = _ctx()
    fields.update(last_ip=ctx["ip"][:64], last_device=ctx["device"][:300])
    Envelope.objects.filter(pk=envelope.pk).update(**fields)
    for k, v in fields.items():
        setattr(envelope, k, v)


def find(token: str) -> Envelope:
    """The envelope for a link token; SigningError if the token is unknown."""
    if not token or len(token) > 100:
        raise SigningError(_("This link is not valid."), "invalid")
    env = (Envelope.objects.select_related("request__version__template", "employee", "company")
           .filter(token_hash=services.token_hash(token)).first())
    if env is None:
        raise SigningError(_("This link is not valid."), "invalid")
    return env


def check_not_expired(envelope: Envelope, now: dt.datetime | None = None) -> None:
    """Expire the envelope (once, with an event) when its deadline has passed and it is still open."""
    now = now or timezone.now()
    if envelope.is_open and envelope.expires_at <= now:
        with transaction.atomic():
            if Envelope.objects.filter(pk=envelope.pk, status__in=[s for s in _open()]).update(
                    status=EnvelopeStatus.EXPIRED, expired_at=now):
                envelope.status, envelope.expired_at = EnvelopeStatus.EXPIRED, now
                _record(envelope, "documents.expired", {"deadline": envelope.expires_at, **_ctx()})
    if envelope.status == EnvelopeStatus.EXPIRED:
        raise SigningError(_("This link has expired. Please contact HR for a new one."), "expired")


def _open() -> tuple[str, ...]:
    from .models import OPEN_STATUSES

    return tuple(OPEN_STATUSES)


@transaction.atomic
def mark_opened(envelope: Envelope, now: dt.datetime | None = None) -> None:
    """The link was opened (recorded once per browser session by the view)."""
    now = now or timezone.now()
    fields: dict[str, Any] = {}
    if envelope.opened_at is None:
        fields["opened_at"] = now
    if envelope.status in (EnvelopeStatus.SENT, EnvelopeStatus.DELIVERED):
        fields["status"] = EnvelopeStatus.OPENED
    _touch(envelope, **fields)
    _record(envelope, "documents.opened", _ctx())


def code_destinations(envelope: Envelope) -> list[tuple[str, str]]:
    """(channel, description) the code can go to — see ``code_delivery.destinations``."""
    return code_delivery.destinations(envelope)


mask_address = code_delivery.mask_address


def _hmac(salt: str, envelope_id: int, code: str) -> str:
    key = hashlib.sha256(settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{salt}:{envelope_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _destination_hash(address: str) -> str:
    return hmac.new(keyring().index_key, f"documents.code_destination:{address}".encode(),
                    hashlib.sha256).hexdigest()


def _check_locked(envelope: Envelope) -> None:
    if envelope.locked_at is not None:
        raise SigningError(_locked_message(), "locked")


def send_code(envelope: Envelope, channel: str, now: dt.datetime | None = None, *, link: str = "") -> CodeDelivery:
    """Issue a new 6-digit code and deliver it at once on ``channel`` (one of ``code_destinations``).
    ``link`` (the signing page) is added to an in-app code message: signing in to read the code renews the
    browser's CSRF token, so the employee continues from the message, not from the stale page.

    The code, its outbox message and the evidence event commit together; delivery follows outside the
    transaction, and the result says truthfully whether it went out (``ok``) with the text for the page."""
    now = now or timezone.now()
    check_not_expired(envelope, now)
    _check_locked(envelope)
    if channel not in CODE_CHANNELS:
        raise SigningError(_("Choose where the code should be sent."), "channel")
    address = notices.address_for(envelope.employee, channel) if notices.usable(envelope.company, channel) else ""
    if not address:
        raise SigningError(_("The code cannot be sent this way. Choose another way, or contact HR."), "channel")
    with transaction.atomic():
        locked = Envelope.objects.select_for_update().filter(pk=envelope.pk).values_list("locked_at", flat=True)
        if locked.first() is not None:
            raise SigningError(_locked_message(), "locked")
        _check_rate(envelope, channel, now)
        superseded = _void_codes(envelope, now)
        code = f"{secrets.randbelow(1_000_000):06d}"
        salt = secrets.token_hex(8)
        challenge = CodeChallenge.objects.create(
            envelope=envelope, channel=channel, destination_hash=_destination_hash(address),
            code_hash=f"{salt}${_hmac(salt, envelope.pk, code)}", created_at=now, expires_at=now + CODE_TTL,
        )
        in_app = channel == "inapp" and link
        msg = notices.enqueue_code(
            envelope.company, envelope.employee, channel, "签署验证码",
            f"您的签署验证码为 {code}，10分钟内有效，用于签署《{envelope.request.title}》。请勿告诉他人。"
            + ("请点击下方按钮回到签署页面输入验证码。" if in_app else ""),
            f"documents:code:{challenge.pk}", about=envelope, link=link if in_app else "",
        )
        _record(envelope, "documents.code_sent", {
            "code_channel": channel, "destination": mask_address(address),
            "destination_hash": challenge.destination_hash, "expires_at": challenge.expires_at,
            "codes_voided": superseded, "message": msg.pk, **_ctx(),
        })
    return code_delivery.outcome(notices.deliver_now(msg), channel, code_delivery.where(channel, address))


def _check_rate(envelope: Envelope, channel: str, now: dt.datetime) -> None:
    """At most one code a minute per channel (another channel may be tried at once, e.g. after a failed
    delivery) and ``MAX_CODES_PER_HOUR`` in all."""
    recent = list(CodeChallenge.objects.filter(envelope=envelope, created_at__gt=now - dt.timedelta(hours=1))
                  .order_by("-created_at").values_list("created_at", "channel"))
    same = [at for at, ch in recent if ch == channel]
    if same and same[0] > now - RESEND_AFTER:
        wait = int((same[0] + RESEND_AFTER - now).total_seconds()) + 1
        raise SigningError(_("A code was just sent. Please wait %(s)d seconds before asking again.") % {"s": wait},
                           "rate")
    if len(recent) >= MAX_CODES_PER_HOUR:
        raise SigningError(_("Too many codes requested. Please try again in an hour."), "rate")


@dataclass(frozen=True)
class CodeResult:
    ok: bool
    message: str = ""
    remaining: int = 0


def verify_code(envelope: Envelope, code: str, now: dt.datetime | None = None) -> CodeResult:
    """Check a code. Failures are recorded (and may lock the envelope) — never rolled back.

    The wrong-code limit holds under concurrency: each check first takes one attempt with a conditional
    UPDATE that matches only while the envelope is unlocked and under the limit. The database serialises
    those UPDATEs (row lock on PostgreSQL, the write lock on SQLite), so parallel guesses never get more
    than ``MAX_FAILED`` comparisons, whatever each request read before."""
    now = now or timezone.now()
    check_not_expired(envelope, now)
    _check_locked(envelope)
    code = "".join(ch for ch in unicodedata.normalize("NFKC", code or "") if ch.isdigit())
    with transaction.atomic():
        if not _take_attempt(envelope.pk):
            envelope.locked_at = envelope.locked_at or now
            raise SigningError(_locked_message(), "locked")
        env = Envelope.objects.get(pk=envelope.pk)  # failed_codes now counts this attempt
        challenge = CodeChallenge.objects.filter(envelope=env, used_at__isnull=True).order_by("-created_at").first()
        if challenge is None or challenge.expires_at <= now:
            _give_back_attempt(env)  # an expired code reveals nothing: it does not count as a guess
            _record(env, "documents.code_failed", {"reason": "expired" if challenge else "none", **_ctx()})
            return CodeResult(False, _("The code has expired. Please request a new one."),
                              MAX_FAILED - env.failed_codes)
        CodeChallenge.objects.filter(pk=challenge.pk).update(attempts=F("attempts") + 1)
        salt, _sep, digest = challenge.code_hash.partition("$")
        if len(code) == 6 and hmac.compare_digest(digest, _hmac(salt, env.pk, code)):
            return _accept(envelope, env, challenge, now)
        failed = env.failed_codes
        locked = failed >= MAX_FAILED
        _touch(envelope, **({"locked_at": now} if locked else {}))
        envelope.failed_codes = failed
        _record(env, "documents.code_failed", {"reason": "wrong", "failed": failed, "locked": locked, **_ctx()})
    if locked:
        return CodeResult(False, _locked_message(), 0)
    return CodeResult(False, _("Wrong code. %(n)d attempts left.") % {"n": MAX_FAILED - failed},
                      MAX_FAILED - failed)


def _locked_message() -> str:
    return _("Too many wrong codes: this link is locked. Please contact HR to unlock it.")


def _take_attempt(envelope_id: int) -> bool:
    """Count one code check, atomically; False when the envelope is locked or at the limit."""
    return bool(Envelope.objects.filter(pk=envelope_id, locked_at__isnull=True, failed_codes__lt=MAX_FAILED)
                .update(failed_codes=F("failed_codes") + 1))


def _give_back_attempt(env: Envelope) -> None:
    Envelope.objects.filter(pk=env.pk).update(failed_codes=F("failed_codes") - 1)
    env.failed_codes -= 1


def _accept(envelope: Envelope, env: Envelope, challenge: CodeChallenge, now: dt.datetime) -> CodeResult:
    """The right code: spend it (once — a parallel request with the same code loses) and verify."""
    _give_back_attempt(env)
    envelope.failed_codes = env.failed_codes
    if not CodeChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True).update(used_at=now):
        return CodeResult(False, _("The code has expired. Please request a new one."), MAX_FAILED - env.failed_codes)
    fields: dict[str, Any] = {"verified_at": now}
    if env.status in _open():
        fields["status"] = EnvelopeStatus.VERIFIED
    _touch(envelope, **fields)
    _record(env, "documents.verified", {"code_channel": challenge.channel,
                                        "destination_hash": challenge.destination_hash, **_ctx()})
    return CodeResult(True)


def _void_codes(envelope: Envelope, now: dt.datetime) -> int:
    """End every code still usable for this envelope (a new code or an unlock makes older ones worthless)."""
    return CodeChallenge.objects.filter(envelope=envelope, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now)


def _final_message(env: Envelope) -> str:
    if env.status == EnvelopeStatus.SIGNED:
        when = timezone.localtime(env.signed_at)
        return _("This document was already signed on %(when)s. You can download the signed copy.") % {
            "when": f"{when:%Y-%m-%d %H:%M}"}
    if env.status == EnvelopeStatus.DECLINED:
        return _("You declined this document. Please contact HR if this was a mistake.")
    return _("This link has expired. Please contact HR for a new one.")


def _normalize_name(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split())


def sign(envelope: Envelope, *, verified: bool, consent: bool, typed_name: str = "",
         drawn_png: bytes | None = None, now: dt.datetime | None = None,
         acknowledged: Sequence[str] = ()) -> Envelope:
    """Sign: after the code, the ID number and (per policy) real-name checks, the employee's own PAdES
    signature with a one-time key and event certificate, then the company seal (see ``pdfs.render_signed``).
    A labor contract's key clauses must each be in ``acknowledged`` (their ids; ``contract_clauses``)."""
    now = now or timezone.now()
    _check_input(envelope, verified=verified, consent=consent, typed_name=typed_name, drawn_png=drawn_png)
    left = contract_clauses.missing(envelope, acknowledged)
    if left:
        _refuse(envelope, "clauses", {"not_acknowledged": [c["id"] for c in left]})
        raise SigningError(contract_clauses.refusal(left), "clauses")
    problem = identity.id_problem(envelope)
    if problem:
        _refuse(envelope, "id_number", {"id_number": "missing" if not envelope.employee.id_number else "invalid"})
        raise SigningError(problem, "id_number")
    outcome, checked = identity.prepare(envelope)
    if checked is not None and not checked.ok:
        _refuse(envelope, "realname", {"identity_checks": outcome.checks})
        raise SigningError(identity.refusal(checked), "realname")
    original = services.ensure_original(envelope)
    try:
        credential = certificates.issue(envelope, outcome.subject, now)
    except ca.CAUnavailable as exc:
        _refuse(envelope, "ca", {"detail": str(exc)})
        raise SigningError(_("The company's signing certificate authority cannot issue certificates at the "
                             "moment. Please contact HR."), "ca") from exc
    try:
        return _sign_locked(envelope, credential, outcome, original, now=now, typed_name=typed_name,
                            drawn_png=drawn_png)
    except _SealFailed as exc:
        code, message = _seal_refusal(exc.error)
        _refuse(envelope, code, {"detail": str(exc.error)[:300]})
        raise SigningError(message, code) from exc
    finally:
        del credential  # the one-time private key goes with the last reference to it


class _SealFailed(Exception):
    def __init__(self, error: SealError) -> None:
        super().__init__(str(error))
        self.error = error


def _seal_refusal(error: SealError) -> tuple[str, str]:
    """The signer's message for a signing that failed at the PDF step (TSA clock off, TSA down, …)."""
    text = str(error)
    match = re.search(r"clock is off by (\d+) s", text)
    if match:
        return "tsa_clock", _("The time-stamping service's clock differs from ours by %(s)s seconds (more than "
                              "%(max)d allowed), so its time cannot be relied on and nothing was signed. Please "
                              "try again later or contact HR.") % {
            "s": match.group(1), "max": int(pdfs.keystore.MAX_TSA_SKEW.total_seconds())}
    return "seal", _("The document could not be signed (the time-stamping service failed or its clock is wrong). "
                     "Please try again later.")


def _sign_locked(envelope: Envelope, credential: ca.EventCredential, outcome: identity.IdentityOutcome,
                 original: DocumentFile, *, now: dt.datetime, typed_name: str, drawn_png: bytes | None) -> Envelope:
    """Under the envelope's row lock: render and sign, store the signed copy and the certificate, record."""
    with transaction.atomic():
        env = Envelope.objects.select_for_update().select_related("request__version", "employee").get(pk=envelope.pk)
        if not env.is_open:
            raise SigningError(_final_message(env), "final")
        if env.expires_at <= now:
            raise SigningError(_("This link has expired. Please contact HR for a new one."), "expired")
        company = envelope.company
        try:
            signed = pdfs.render_signed(env, drawn_png=drawn_png, typed_name="" if drawn_png else typed_name,
                                        signed_at=now, company=company, credential=credential)
        except SealError as exc:
            raise _SealFailed(exc) from exc
        cert = credential.identity.cert
        del credential  # the one-time private key is dropped here; only its certificate is kept
        cert_row = certificates.remember(env, cert, outcome.subject)
        signed_hash = pdfs.sha256(signed)
        DocumentFile.objects.create(company_id=env.company_id, envelope=env, kind=FileKind.SIGNED,
                                    name=f"{env.document_id}-signed.pdf", sha256=signed_hash, data=signed)
        png_hash = ""
        if drawn_png is not None:
            png_hash = pdfs.sha256(drawn_png)
            DocumentFile.objects.create(company_id=env.company_id, envelope=env, kind=FileKind.SIGNATURE,
                                        name=f"{env.document_id}-signature.png", content_type="image/png",
                                        sha256=png_hash, data=drawn_png)
        kind = "drawn" if drawn_png is not None else "typed"
        acked = contract_clauses.record(env, now, _record, _ctx())
        if acked:
            contracts.mark_acknowledged(contract_clause_ids=acked, employee_id=env.employee_id, at=now)
        _touch(envelope, status=EnvelopeStatus.SIGNED, signed_at=now, signed_sha256=signed_hash,
               signature_kind=kind, typed_name="" if drawn_png else typed_name.strip())
        _record(env, "documents.signed", {
            "original_sha256": original.sha256, "signed_sha256": signed_hash,
            "content_sha256": env.content_sha256, "signature": kind, "signature_png_sha256": png_hash,
            "typed_name": typed_name.strip() if not drawn_png else "", "consent": CONSENT_TEXT,
            "timestamped": bool(pdfs.keystore.timestamp_url()), "identity_checks": outcome.checks,
            "certificate": certificates.describe(cert_row), "id_hash_salt": outcome.salt_hex,
            **({"key_clauses_acknowledged": acked} if acked else {}), **_ctx(),
        })
        services.cancel_if_finished(env.request)
        _notify_finished(envelope, EnvelopeStatus.SIGNED)
    return envelope


def _check_input(envelope: Envelope, *, verified: bool, consent: bool, typed_name: str,
                 drawn_png: bytes | None) -> None:
    if not verified:
        raise SigningError(_("Please verify your identity with the code first."), "unverified")
    if not consent:
        raise SigningError(_("Please tick the consent box to sign."), "consent")
    if drawn_png is None and not typed_name.strip():
        raise SigningError(_("Please draw your signature or type your name."), "signature")
    if drawn_png is None and _normalize_name(typed_name) != _normalize_name(envelope.employee.name):
        raise SigningError(_("The typed name must be your full name as registered: %(name)s.") % {
            "name": envelope.employee.name}, "name")
    if drawn_png is not None and (uploads.detect(drawn_png) != "png" or len(drawn_png) > 1_000_000):
        raise SigningError(_("The drawn signature could not be read. Please draw it again."), "signature")


def _refuse(envelope: Envelope, reason: str, data: dict[str, Any]) -> None:
    """Signing refused before anything was signed: recorded, never rolled back."""
    with transaction.atomic():
        _record(envelope, "documents.sign_refused", {"reason": reason, **data, **_ctx()})


def _notify_finished(envelope: Envelope, status: str) -> None:
    from .signals import envelope_finished

    transaction.on_commit(lambda: envelope_finished.send(sender=Envelope, envelope=envelope, status=status))


def decline(envelope: Envelope, *, verified: bool, reason: str, now: dt.datetime | None = None) -> Envelope:
    now = now or timezone.now()
    if not verified:
        raise SigningError(_("Please verify your identity with the code first."), "unverified")
    reason = reason.strip()
    if not reason:
        raise SigningError(_("Please give a reason for declining."), "reason")
    with transaction.atomic():
        env = Envelope.objects.select_for_update().get(pk=envelope.pk)
        if not env.is_open:
            raise SigningError(_final_message(env), "final")
        _touch(envelope, status=EnvelopeStatus.DECLINED, declined_at=now, decline_reason=reason[:2000])
        _record(env, "documents.declined", {"reason": reason[:2000], **_ctx()})
        services.cancel_if_finished(env.request)
        _notify_finished(envelope, EnvelopeStatus.DECLINED)
    return envelope


def download(envelope: Envelope, actor: Any = None) -> tuple[str, bytes]:
    """The signed PDF (or the original while unsigned) — free, any time; each download is recorded."""
    kind = FileKind.SIGNED if envelope.status == EnvelopeStatus.SIGNED else FileKind.ORIGINAL
    if kind == FileKind.ORIGINAL:
        services.ensure_original(envelope)
    row = DocumentFile.objects.filter(envelope=envelope, kind=kind).order_by("-pk").first()
    assert row is not None
    with transaction.atomic():
        _record(envelope, "documents.downloaded", {"file": kind, "sha256": row.sha256, **_ctx()}, actor=actor)
    return row.name, bytes(row.data)


@transaction.atomic
def unlock(envelope: Envelope, actor: Any) -> None:
    """HR re-opens a link locked by wrong codes."""
    if not services.can_send(actor) or actor.company_id != envelope.company_id:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    Envelope.objects.select_for_update().filter(pk=envelope.pk).first()
    voided = _void_codes(envelope, timezone.now())  # a code learnt before the unlock must not work after it
    Envelope.objects.filter(pk=envelope.pk).update(locked_at=None, failed_codes=0)
    envelope.locked_at, envelope.failed_codes = None, 0
    _record(envelope, "documents.unlocked", {"codes_voided": voided}, actor=actor)
