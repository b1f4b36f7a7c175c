"""Ofsted report assistant: a chat over the loaded Ofsted inspection reports on children's services.

Run with:  streamlit run app.py
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:  # AppTest and some launchers do not add the app's folder
    sys.path.insert(0, _HERE)

import streamlit as st  # noqa: E402

st.set_page_config(
    page_title="Ofsted report assistant",  # the page names the loaded report(s) once the assistant is up
    page_icon="📖",  # an emoji is drawn by the browser; a ":material/…:" icon is fetched from Google's font server
    layout="centered",
    initial_sidebar_state="auto",  # open on a desktop, closed below Streamlit's 768 px breakpoint (a phone)
)

from ui.access import require_access  # noqa: E402

require_access()  # beyond this machine: a login, or a refusal, before anything of the reports is shown

from ui.resources import GENERIC_ERROR, LOADING, assistant_loaded  # noqa: E402 - light: no model, no index

# Until this server has loaded the model and index (seconds; serve.py starts on it as the server
# starts), say so at once instead of leaving a blank page; main() clears it once they are loaded.
loading = st.empty()
if not assistant_loaded():
    loading.status(LOADING, state="running")

from ui.page import main  # noqa: E402 - the UI's imports alone take 1.5-2 s

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logger = logging.getLogger("ofsted_app")

try:
    main(loading)
except Exception:  # noqa: BLE001 - never show a stack trace to staff
    logger.exception("unexpected error in the app")
    st.error(GENERIC_ERROR)
