#!/usr/bin/env bash
# Install what the browser end-to-end test needs (idempotent):
#   - Chromium from Debian's packages (never a browser download at run time);
#   - the `playwright` Python package into the active Python (no `playwright install`).
# Usage: scripts/install-browser.sh            (uses $PYTHON, else python on PATH)
set -euo pipefail

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
    PY="$VIRTUAL_ENV/bin/python"
  else
    PY="$(command -v python || command -v python3)"
  fi
fi

if [ -x /usr/bin/chromium ]; then
  echo "install-browser: chromium already installed ($(/usr/bin/chromium --version 2>/dev/null | tail -n1))"
else
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "install-browser: need root (or sudo) to apt-get install chromium" >&2; exit 1
    fi
  fi
  echo "install-browser: installing chromium from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends chromium fonts-liberation
fi

if "$PY" -c "import playwright.sync_api" >/dev/null 2>&1; then
  echo "install-browser: playwright already installed for $PY"
else
  echo "install-browser: pip install playwright into $PY"
  # The wheel ships its driver; we never run `playwright install` (no browser download).
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$PY" -m pip install -q "playwright>=1.45,<2"
fi
