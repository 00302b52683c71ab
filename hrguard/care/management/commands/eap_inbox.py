"""``hrguard eap_inbox --company CODE --key-file FILE [--answer ID --text TEXT]``: the EAP provider reads
the requests sealed to its key and answers one (the answer is sealed to the requester's receipt phrase:
only they read it). Run by the provider with its private key; HRGuard never holds that key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrguard.care.eap import crypto, services
from hrguard.care.eap_models import EapProvider


class Command(BaseCommand):
    help = "EAP provider: decrypt the requests of a company, or answer one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--company", required=True, help="company code")
        parser.add_argument("--key-file", required=True, help="file holding the provider's private key")
        parser.add_argument("--answer", default="", help="request id to answer")
        parser.add_argument("--text", default="", help="the answer")

    def handle(self, *args: Any, **opts: Any) -> None:
        provider = EapProvider.objects.filter(company__code=opts["company"]).first()
        if provider is None:
            raise CommandError("No EAP provider is set for this company.")
        key = Path(opts["key_file"]).read_text(encoding="utf-8").strip().removeprefix("private:").strip()
        try:
            if opts["answer"]:
                services.provider_answer(provider=provider, private_key=key, request_id=opts["answer"],
                                         text=opts["text"])
                self.stdout.write("answered\n")
                return
            for request, lines in services.provider_inbox(provider, key):
                state = "answered" if request.answered else "open"
                self.stdout.write(f"== {request.pk} · {request.category} · week of {request.week} · {state}\n")
                for line in lines:
                    who = "provider" if line.from_provider else "person"
                    self.stdout.write(f"  [{line.week} {who}] {line.text if line.text else '(sealed to the person)'}\n")
        except crypto.CryptoError as exc:
            raise CommandError(str(exc)) from exc
