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
    initial_sidebar_state="expanded",
)

from ui.page import main  # noqa: E402
from ui.resources import GENERIC_ERROR  # noqa: E402

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logger = logging.getLogger("ofsted_app")

try:
    main()
except Exception:  # noqa: BLE001 - never show a stack trace to staff
    logger.exception("unexpected error in the app")
    st.error(GENERIC_ERROR)
