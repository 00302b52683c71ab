#!/usr/bin/env bash
# Scale-out on one machine: 2 waitress web processes + 2 Redis-backed Huey consumers on one PostgreSQL;
# N due reminders swept while one consumer is SIGKILLed mid-way; checks every message arrived once.
#   ./scripts/scaleout.sh [--reminders 10000] [--workers 2] [--redis-url redis://127.0.0.1:6379/6]
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis; see bench/scaleout/harness.py.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m bench.scaleout "$@"
