"""``manage.py verify_package FILE.zip``: run the standalone offline verifier on an evidence package."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrguard.evidence.offline import verify


class Command(BaseCommand):
    help = "Verify an evidence package offline (exit status 1 if invalid)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("package", help="path to the evidence package zip")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = opts["package"]
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            result = verify.verify_package(data)
        except verify.EnvironmentProblem as exc:
            raise CommandError(f"cannot verify (no verdict): {exc}") from exc
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        title = verify.read_zip(data).get("manifest.json", b"")
        self.stdout.write(verify.format_report(result, path, _title(title)))
        if not result.ok:
            failure = result.first_failure
            raise CommandError(f"package INVALID: {failure.en if failure else ''}: {failure.detail if failure else ''}")


def _title(manifest: bytes) -> str:
    import json

    try:
        return str(json.loads(manifest).get("title", ""))
    except ValueError:
        return ""
