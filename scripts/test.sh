#!/usr/bin/env bash
# Install what is needed (project, Chromium from Debian for the browser test) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
PYTHON=.venv/bin/python bash scripts/install-browser.sh
exec .venv/bin/python -m pytest "$@"
