#!/usr/bin/env bash
# Set up Duo Impact on a fresh machine: a virtual environment in .venv with the
# pinned dependencies. With --dev, also the test dependencies and, for the
# real-browser test, Debian's Chromium, and for the deployment in deploy/,
# Debian's haproxy, and for the organisation sign-in tests Node.js and the
# test OpenID Connect provider in tests/oidc (each installed with apt-get when
# missing and running as root; otherwise install the `chromium`, `haproxy`,
# `nodejs` and `npm` packages yourself).
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
  # The organisation sign-in tests (tests/e2e/test_oidc_signin.py) run a real
  # OpenID Connect provider (tests/oidc: oidc-provider, pinned by its lockfile)
  # on Debian's Node.js.
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
      echo "note: Node.js not found; the organisation sign-in tests need Debian's nodejs and npm packages" >&2
    fi
  fi
  if command -v npm >/dev/null 2>&1; then
    (cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error)
  fi
else
  .venv/bin/python -m pip install --quiet -r requirements.txt
fi
