#!/usr/bin/env bash
# Install what is needed, build the index if missing, and open the staff chat on http://localhost:8501.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/python -m assistant ingest --if-missing
exec .venv/bin/python -m streamlit run app.py \
  --server.headless true --server.port "${PORT:-8501}" --browser.gatherUsageStats false
