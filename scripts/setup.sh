#!/usr/bin/env bash
# Set up Duo Impact on a fresh machine: a virtual environment in .venv with the
# pinned dependencies. With --dev, also the test dependencies and, for the
# real-browser test, Debian's Chromium, and for the deployment in deploy/,
# Debian's haproxy (each installed with apt-get when missing and running as
# root; otherwise install the `chromium` and `haproxy` packages yourself).
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "$dev" = 1 ]; then
  .venv/bin/python -m pip install --quiet -r requirements-dev.txt
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null
    else
      echo "note: Chromium not found; the real-browser test needs Debian's chromium package" >&2
    fi
  fi
  # The many-viewers deployment (deploy/run.sh) and its load test need HAProxy.
  if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
    else
      echo "note: haproxy not found; deploy/run.sh and its load test need Debian's haproxy package" >&2
    fi
  fi
else
  .venv/bin/python -m pip install --quiet -r requirements.txt
fi
