#!/usr/bin/env bash
# Install everything HRGuard needs on a fresh Debian machine (idempotent; fast when already done).
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PKGS=(chromium fonts-noto-cjk poppler-utils gettext)
missing=()
for p in "${DEB_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Wait for a concurrent apt-get (another setup, unattended upgrades) instead of failing.
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.hrguard-deps
want=$(cat requirements.txt requirements-dev.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements-dev.txt
  .venv/bin/pip install -q --no-deps -e .
  echo "$want" > "$stamp"
fi
# Compile translations (zh-hans is the default UI language).
if [ -d hrguard/locale ]; then
  (cd hrguard && ../.venv/bin/python ../manage.py compilemessages -v 0 2>/dev/null || true)
fi
