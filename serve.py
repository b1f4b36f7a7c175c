"""Serve the chat with its model and index loaded as the server starts: ``streamlit run serve.py``.

``streamlit run app.py`` loads them in the first visitor's run, behind a loading message. Here Streamlit
runs app.py as an ASGI app (st.App) whose lifespan loads them in the background as the server starts,
so the first visitor finds them ready, or waits only for the rest (the cache's lock makes the two share).
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import asynccontextmanager

import streamlit as st

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
logger = logging.getLogger("ofsted_app")


def _warm() -> None:
    from assistant.errors import AssistantError

    started = time.perf_counter()
    try:
        import ui.page  # noqa: F401 - the UI's imports (1.5-2 s) that app.py's first run would otherwise pay
        from ui.resources import get_assistant

        get_assistant()  # the cached resource app.py's runs share
        logger.info("assistant loaded at server start in %.1fs", time.perf_counter() - started)
    except AssistantError as exc:  # a damaged or unreachable index, a bad model setting: one line says it
        logger.error("could not load the assistant at server start: %s", exc)
    except Exception:  # noqa: BLE001 - the first visitor's run tries again and shows staff why
        logger.exception("could not load the assistant at server start")


@asynccontextmanager
async def _lifespan(_app):
    from ui.access import server_refusal

    reason = server_refusal()
    if reason:  # beyond this machine without a login: do not listen at all (app.py's page says the same)
        logger.error("not serving the chat: %s", reason)
        raise SystemExit(2)
    threading.Thread(target=_warm, name="warm-assistant", daemon=True).start()  # the server answers meanwhile
    yield


app = st.App("app.py", lifespan=_lifespan)
