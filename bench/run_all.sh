#!/bin/sh
# Run every benchmark of bench/README.md on SQLite, then on PostgreSQL with --pg.
#   bench/run_all.sh          # SQLite files under /tmp
#   bench/run_all.sh --pg     # also PostgreSQL at 127.0.0.1 (databases hrguard_bench, hrguard_bench_import, …)
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python
EMPLOYEES=${EMPLOYEES:-100000}

echo "== machine"; nproc; grep -m1 "model name" /proc/cpuinfo; uptime

echo "== SQLite"
$PY bench/generate.py --employees "$EMPLOYEES" --db /tmp/hrguard-bench.sqlite3 --fresh
$PY bench/generate.py --employees 1000 --db /tmp/hrguard-bench.sqlite3
$PY bench/web_latency.py --db /tmp/hrguard-bench.sqlite3
$PY bench/import_bench.py --db /tmp/hrguard-import-bench.sqlite3
$PY bench/verify_bench.py --db /tmp/hrguard-verify-bench.sqlite3

if [ "${1:-}" = "--pg" ]; then
  echo "== PostgreSQL"
  $PY bench/generate.py --employees "$EMPLOYEES" --pg hrguard_bench --fresh
  $PY bench/generate.py --employees 1000 --pg hrguard_bench
  $PY bench/web_latency.py --pg hrguard_bench
  $PY bench/import_bench.py --pg hrguard_bench_import
  $PY bench/verify_bench.py --pg hrguard_bench_verify
fi
