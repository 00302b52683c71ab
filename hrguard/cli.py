"""The ``hrguard`` console script: run, demo, verify, and any Django management command."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrguard.settings.embedded")
    from django.core.management import execute_from_command_line

    # `hrguard run`, `hrguard demo`, `hrguard verify` are management commands of the same names.
    execute_from_command_line(["hrguard", *args] if args else ["hrguard", "help"])


if __name__ == "__main__":
    main()
