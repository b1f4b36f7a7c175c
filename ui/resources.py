"""Server-wide resources (one Assistant per server) and per-session state."""

from __future__ import annotations

import logging
import threading
from typing import Any

import streamlit as st

from ui.report import ReportView

logger = logging.getLogger("ofsted_app")

GENERIC_ERROR = (
    "Sorry, something went wrong on our side. Please try again; if it keeps happening, "
    "contact the team that runs this tool."
)


LOADING = "Loading the report and its search index…"
_loaded = threading.Event()  # set once this server has an Assistant: later runs show no loading message


def assistant_loaded() -> bool:
    return _loaded.is_set()


@st.cache_resource(show_spinner=False)  # app.py says so from the first paint (a spinner waits 0.5 s)
def get_assistant() -> Any:
    """The one Assistant of this server (heavy: index, models)."""
    from assistant import Assistant

    bot = Assistant()
    _loaded.set()
    return bot


@st.cache_resource(show_spinner=False)
def get_report_view(report: str | None) -> ReportView:
    """Passages of one report in document order, shared by all sessions."""
    bot = get_assistant()
    return ReportView.build(report or "", bot.paragraphs(report=report))


@st.cache_resource(show_spinner=False)
def get_judgements(report: str | None) -> list[tuple[str, str]]:
    return list(get_assistant().judgements(report=report))


def report_ids(info: dict) -> list[str]:
    """Report ids from ``bot.info()['reports']`` (strings or dicts)."""
    ids: list[str] = []
    for item in info.get("reports") or []:
        if isinstance(item, str):
            ids.append(item)
        elif isinstance(item, dict):
            value = item.get("id") or item.get("report") or item.get("name")
            if value:
                ids.append(str(value))
        else:
            ids.append(str(getattr(item, "id", item)))
    return ids


def chat_model_name(info: dict) -> str | None:
    """The configured chat model, if any (shown as an answer mode only then)."""
    for key in ("chat_model", "llm", "generator"):
        if info.get(key):
            return str(info[key])
    answerer = str(info.get("answerer") or "")
    if answerer and not answerer.lower().startswith("extractive"):
        return answerer
    return None


def default_k(info: dict) -> int:
    for key in ("k", "top_k", "default_k"):
        value = info.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return 5


def _chat_kwargs(bot: Any, k: int, mode: str | None, scope: str | None = None) -> dict:
    """Conversation options: ``mode`` None is the offline extractive answerer, else the chat model;
    ``scope`` a report the answers are limited to."""
    return {"k": k, "use_chat_model": mode is not None, **({"report": scope} if scope else {})}


def new_conversation_state() -> None:
    """Forget this session's conversation (callback of the New conversation button)."""
    ss = st.session_state
    ss.pop("conversation", None)
    ss.pop("conversation_k", None)
    ss.pop("pending_question", None)
    ss.pop("scope_changes", None)
    ss["conv_id"] = ss.get("conv_id", 0) + 1


def get_conversation(bot: Any, k: int, mode: str | None = None, scope: str | None = None) -> Any:
    """This session's Conversation, created with ``k`` sources per answer, limited to ``scope``.

    If the user moves the slider, the new ``k`` applies from the next question:
    either by updating the conversation in place (when it has a ``k``), or,
    for a conversation with no turns yet, by starting it again. Limiting answers to
    another report keeps the turns so far and applies from the next question; ``scope_changes``
    records where (turn index -> (scope before, scope after)) so the chat can say so.
    """
    ss = st.session_state
    ss.setdefault("conv_id", 0)
    chat = ss.get("conversation")
    if chat is not None and ss.get("conversation_scope") != scope:
        turns = list(getattr(chat, "turns", None) or [])
        if turns:
            changes = ss.setdefault("scope_changes", {})
            before = changes.get(len(turns), (ss.get("conversation_scope"), None))[0]
            if before == scope:  # switched back before asking anything: nothing changed
                changes.pop(len(turns), None)
            else:
                changes[len(turns)] = (before, scope)
        chat = bot.chat(**_chat_kwargs(bot, k, mode, scope))
        chat.turns = turns  # follow-ups still read in the light of the earlier answers
        ss.update(conversation=chat, conversation_k=k, conversation_mode=mode, conversation_scope=scope)
        return chat
    if chat is None or (ss.get("conversation_mode") != mode and not getattr(chat, "turns", None)):
        chat = bot.chat(**_chat_kwargs(bot, k, mode, scope))
        ss["conversation"] = chat
        ss["conversation_k"] = k
        ss["conversation_mode"] = mode
        ss["conversation_scope"] = scope
        return chat
    if ss.get("conversation_k") != k:
        if not getattr(chat, "turns", None):
            chat = bot.chat(**_chat_kwargs(bot, k, mode, scope))
            ss["conversation"] = chat
        elif hasattr(chat, "k"):
            try:
                chat.k = k
            except AttributeError:
                logger.info("Conversation.k is read-only; k=%s applies to the next conversation", k)
        ss["conversation_k"] = k
    return chat
