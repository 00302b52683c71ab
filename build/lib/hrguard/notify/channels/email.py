"""Email through Django's SMTP backend: HTML and plain-text parts, a per-company From address and a
Message-ID derived from the idempotency key (stable across retries, so mail systems can deduplicate)."""

from __future__ import annotations

import hashlib
import smtplib
from typing import Any

from django.conf import settings as django_settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

from .base import OutgoingMessage, PermanentDeliveryError, Receipt, TransientDeliveryError


def message_id_for(key: str, domain: str = "hrguard.invalid") -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


class EmailChannel:
    name = "email"

    def __init__(self, settings: dict[str, Any], secret: dict[str, Any]) -> None:
        self.host = settings.get("host") or django_settings.EMAIL_HOST
        self.port = int(settings.get("port") or django_settings.EMAIL_PORT)
        self.use_tls = bool(settings.get("use_tls", django_settings.EMAIL_USE_TLS))
        self.use_ssl = bool(settings.get("use_ssl", django_settings.EMAIL_USE_SSL))
        self.username = settings.get("username", django_settings.EMAIL_HOST_USER)
        self.password = secret.get("password", django_settings.EMAIL_HOST_PASSWORD)
        self.from_address = settings.get("from_address") or django_settings.DEFAULT_FROM_EMAIL
        self.domain = self.from_address.rsplit("@", 1)[-1].strip(">") if "@" in self.from_address else "hrguard.invalid"
        self.timeout = float(settings.get("timeout", 20))

    def send(self, message: OutgoingMessage) -> Receipt:
        ctx = {"subject": message.subject, "text": message.text, "link": message.link}
        text = render_to_string("notify/email.txt", ctx)
        html = message.html or render_to_string("notify/email.html", ctx)
        msg_id = message_id_for(message.idempotency_key, self.domain)
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend", host=self.host, port=self.port,
            username=self.username, password=self.password, use_tls=self.use_tls, use_ssl=self.use_ssl,
            timeout=self.timeout, fail_silently=False,
        )
        mail = EmailMultiAlternatives(
            subject=message.subject, body=text, from_email=self.from_address, to=[message.recipient],
            headers={"Message-ID": msg_id, "X-HRGuard-Key": message.idempotency_key[:200]},
            connection=connection,
        )
        mail.attach_alternative(html, "text/html")
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _msg in exc.recipients.values()]
            err = PermanentDeliveryError if all(c >= 500 for c in codes) else TransientDeliveryError
            raise err(f"recipient refused: {codes}", str(codes[0] if codes else "")) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise PermanentDeliveryError(f"SMTP authentication failed ({exc.smtp_code})", str(exc.smtp_code)) from exc
        except smtplib.SMTPResponseException as exc:
            err = PermanentDeliveryError if exc.smtp_code >= 500 else TransientDeliveryError
            raise err(f"SMTP error {exc.smtp_code}", str(exc.smtp_code)) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise TransientDeliveryError(f"SMTP unavailable: {exc}") from exc
        return Receipt(provider_message_id=msg_id, details={"smtp_host": self.host, "from": self.from_address})
