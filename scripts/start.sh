#!/usr/bin/env bash
# Set up (first time) and start HRGuard on the embedded default: SQLite + SqliteHuey + demo company.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/hrguard run "$@"
