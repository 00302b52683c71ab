"""Scale-out shown on one machine: two waitress web processes and two Redis-backed Huey consumers on
one PostgreSQL; N due reminders swept while one consumer is SIGKILLed mid-way.

    ./scripts/scaleout.sh --reminders 10000        (or: .venv/bin/python -m bench.scaleout …)

See harness.py for the procedure and what "exactly once" is checked against (a local SMTP server that
records every message it accepts)."""
