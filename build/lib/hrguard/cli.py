"""The ``hrguard`` console script: run, demo, verify, and any Django management command."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "verify-package":
        # Standalone: no Django, no database — the same code an arbitrator runs from the package.
        from hrguard.evidence.offline.verify import main as verify_package

        sys.exit(verify_package(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrguard.settings.embedded")
    from django.core.management import execute_from_command_line

    # `hrguard run`, `hrguard demo`, `hrguard verify` are management commands of the same names;
    # `hrguard verify-package FILE.zip` runs the offline evidence-package verifier.
    execute_from_command_line(["hrguard", *args] if args else ["hrguard", "help"])


if __name__ == "__main__":
    main()
