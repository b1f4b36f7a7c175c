#!/usr/bin/env bash
# Install what is needed, build the index if missing, and open the staff chat on http://localhost:8501.
# It listens on this machine only (ADDRESS=127.0.0.1, also when ADDRESS is empty); any other address, 0.0.0.0
# included, needs a login set up in .streamlit/secrets.toml (README, Serving to a network).
set -euo pipefail
cd "$(dirname "$0")/.."
# Refuse before installing anything: the check needs only the standard library (Python 3.11's tomllib).
"${PYTHON:-python3}" -m ui.access "${ADDRESS:-127.0.0.1}"
bash scripts/install.sh
.venv/bin/python -m assistant ingest --if-missing
# serve.py runs app.py with its model and index loaded as the server starts (not on the first visit)
exec .venv/bin/python -m streamlit run serve.py \
  --server.headless true --server.address "${ADDRESS:-127.0.0.1}" --server.port "${PORT:-8501}" \
  --browser.gatherUsageStats false
