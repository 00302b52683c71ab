#!/usr/bin/env bash
# The package as a user gets it: build the wheel, install it in a fresh virtualenv (the pinned lock as
# constraints, so pip takes the same versions and is fast), then, outside the checkout:
#   - production settings refuse to start without HRGUARD_DATABASE_URL / HRGUARD_SECRET_KEY,
#   - `hrguard check --deploy` with production settings,
#   - `hrguard migrate` + `hrguard demo` on a scratch PostgreSQL database (production settings) and on a
#     scratch SQLite directory (embedded),
#   - `hrguard run` serves the sign-in page, its static files and a template preview PDF (Chinese text).
# Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379. Port: $HRGUARD_WHEEL_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PORT=${HRGUARD_WHEEL_PORT:-8362}
REDIS_DB=${HRGUARD_WHEEL_REDIS_DB:-5}
PGDB=hrguard_wheel_check_$$
work=$(mktemp -d /tmp/hrguard-wheel.XXXXXX)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "-- building the wheel"
"$ROOT/.venv/bin/pip" wheel -q --no-deps -w "$work/dist" "$ROOT" 2>&1 | grep -v "^WARNING: Location" || true
wheel=$(ls "$work"/dist/hrguard-*.whl)
echo "-- installing $(basename "$wheel") into a fresh virtualenv"
python3 -m venv "$work/venv"
sed -E 's/\[[^]]*\]//' "$ROOT/requirements.txt" > "$work/constraints.txt"   # constraints take no extras
"$work/venv/bin/pip" install -q -c "$work/constraints.txt" "$wheel" 2>&1 | grep -v "^WARNING: Location" || true
"$work/venv/bin/pip" check
HG="$work/venv/bin/hrguard"
cd "$work"  # away from the checkout: nothing may come from it
export HOME="$work/home" HRGUARD_LOG_LEVEL=ERROR
mkdir -p "$HOME"

echo "-- production settings refuse to start without their variables"
if DJANGO_SETTINGS_MODULE=hrguard.settings.production "$HG" check >"$work/refuse.txt" 2>&1; then
  echo "FAIL: production settings started without HRGUARD_DATABASE_URL / HRGUARD_SECRET_KEY"; exit 1
fi
grep -q "HRGUARD_SECRET_KEY is not set" "$work/refuse.txt" || { cat "$work/refuse.txt"; exit 1; }
if DJANGO_SETTINGS_MODULE=hrguard.settings.production HRGUARD_SECRET_KEY=x "$HG" check >"$work/refuse.txt" 2>&1; then
  echo "FAIL: production settings started without HRGUARD_DATABASE_URL"; exit 1
fi
grep -q "HRGUARD_DATABASE_URL is not set" "$work/refuse.txt" || { cat "$work/refuse.txt"; exit 1; }

echo "-- production: check --deploy, migrate, demo (scratch database $PGDB)"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $PGDB" >/dev/null
(
  export DJANGO_SETTINGS_MODULE=hrguard.settings.production
  export HRGUARD_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$PGDB"
  export HRGUARD_REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB" HRGUARD_QUEUE_NAME="wheel-check-$$"
  HRGUARD_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
  export HRGUARD_SECRET_KEY HRGUARD_KEYS_DIR="$work/keys-production"
  "$HG" check --deploy
  "$HG" migrate -v 0
  "$HG" demo --employees 20 | sed -n 1p
)

echo "-- embedded: demo and a running server"
export HRGUARD_VAR_DIR="$work/var" HRGUARD_KEYS_DIR="$work/keys"
"$HG" migrate -v 0
"$HG" demo --employees 20 | sed -n 1p
template=$("$HG" shell -c "from hrguard.documents.models import DocumentTemplate; print(DocumentTemplate.objects.order_by('pk').values_list('pk', flat=True).first())" 2>/dev/null | tail -1)
"$HG" run --no-demo --port "$PORT" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/accounts/login/" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.5
done
"$work/venv/bin/python" "$ROOT/scripts/wheel_smoke.py" "http://127.0.0.1:$PORT" demo-hr hrguard-demo-2026 "$template"
echo "-- files are private: $(stat -c '%a %n' "$work/var/hrguard.sqlite3" "$work/keys/field-keys.json" | tr '\n' ' ')"
[ "$(stat -c %a "$work/var/hrguard.sqlite3")" = 600 ] && [ "$(stat -c %a "$work/keys")" = 700 ]
echo "wheel check: OK"
