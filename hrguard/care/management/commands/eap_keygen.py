"""``hrguard eap_keygen``: a new X25519 key pair for the EAP provider. The provider keeps the private key
(offline, never in HRGuard); HR enters the public key on the EAP page (/care/eap/)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hrguard.care.eap import crypto


class Command(BaseCommand):
    help = "Print a new EAP provider key pair (keep the private key offline)."

    def handle(self, *args: Any, **opts: Any) -> None:
        private, public = crypto.new_keypair()
        self.stdout.write(f"private: {private}\npublic:  {public}\n")
