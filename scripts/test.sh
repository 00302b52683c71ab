#!/usr/bin/env bash
# Run the whole test suite (unit, integration, API fuzzing, browser tests in headless Chromium).
#   ./scripts/test.sh                            on SQLite (default)
#   HRGUARD_TEST_DB=postgres ./scripts/test.sh   on PostgreSQL at 127.0.0.1:5432
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/ruff check .
# The layer order (.importlinter): fails on any import against it, also inside functions.
.venv/bin/lint-imports
# Browser tests run in their own pytest process: Playwright keeps an asyncio loop running in the
# worker, which would stop pyHanko's synchronous signing calls in later tests of the same process.
.venv/bin/pytest -q -n 2 --dist loadfile --ignore=tests/e2e "$@"
exec .venv/bin/pytest -q -n 2 --dist loadfile tests/e2e "$@"
