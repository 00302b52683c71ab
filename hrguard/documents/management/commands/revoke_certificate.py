"""``hrguard revoke_certificate --user HR_USERNAME (--serial HEX | --ca) --reason TEXT``: put an employee's
event certificate on the company CA's revocation list, or retire the company signing CA."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Revoke an event certificate (by serial) or the company signing CA."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username of the HR user acting (recorded as evidence)")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--serial", help="certificate serial number (hexadecimal, as the verifier prints it)")
        target.add_argument("--ca", action="store_true", help="retire the company signing CA")
        parser.add_argument("--reason", required=True)

    def handle(self, *args: Any, **opts: Any) -> None:
        from django.db import transaction

        from hrguard.core.models import User
        from hrguard.documents import certificates

        user = User.objects.filter(username=opts["user"], is_active=True).first()
        if user is None or user.company_id is None:
            raise CommandError(f"no active user {opts['user']!r} with a company")
        try:
            if opts["ca"]:
                with transaction.atomic():
                    certificates.revoke_signing_ca(actor=user, company_id=user.company_id, reason=opts["reason"])
                self.stdout.write("signing CA retired: no new signing until a new CA is set up")
            else:
                row = certificates.revoke_certificate(actor=user, company_id=user.company_id,
                                                      serial=opts["serial"], reason=opts["reason"])
                self.stdout.write(f"revoked {row.serial} at {row.revoked_at:%Y-%m-%d %H:%M:%S %Z}")
        except PermissionDenied as exc:
            raise CommandError("this user may not revoke certificates") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
