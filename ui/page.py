"""Page layout: sidebar, tabs, and the flow of one script run."""

from __future__ import annotations

import logging
import re
from typing import Any

import streamlit as st

from ui.chat import TAB_ASK, TAB_READ, render_turn, render_welcome, stream_turn
from ui.reader import render_info, render_reader
from ui.reports_page import TAB_REPORTS, render_reports_page
from ui.resources import (
    GENERIC_ERROR,
    chat_model_name,
    default_k,
    get_assistant,
    get_conversation,
    get_judgements,
    get_report_view,
    new_conversation_state,
    report_ids,
)
from ui.text import report_title

logger = logging.getLogger("ofsted_app")

TITLE = "Ofsted report assistant"
EXTRACTIVE = "extractive (offline)"


def _load_assistant(loading: Any = None) -> Any:
    """The Assistant; ``loading`` (app.py's loading message) is cleared once it is loaded or has failed."""
    from assistant import AssistantError

    try:
        return get_assistant()
    except AssistantError as exc:
        logger.error("assistant unavailable: %s", exc)
        st.error(f"The assistant could not start: {exc}")
    except Exception:  # noqa: BLE001
        logger.exception("assistant failed to start")
        st.error(GENERIC_ERROR)
    finally:
        if loading is not None:
            loading.empty()
    st.stop()


def report_name(info: dict, report: str) -> str:
    return info.get("report_names", {}).get(report) or report_title(report)


def loaded(info: dict) -> str:
    """What is loaded, as titles name it: the report ("Ealing 2016"), "3 reports", or "" for none."""
    reports = report_ids(info)
    if len(reports) == 1:
        return report_name(info, reports[0])
    return f"{len(reports)} reports" if reports else ""


def full_title(info: dict) -> str:
    return f"{TITLE} — {loaded(info)}" if loaded(info) else TITLE


def render_heading(info: dict) -> None:
    """Browser tab title, title and caption naming the report, or how many reports, the answers come from."""
    reports = report_ids(info)
    st.set_page_config(page_title=full_title(info))
    st.title(full_title(info), anchor=False)
    if len(reports) == 1:
        source = f"the Ofsted report {report_name(info, reports[0])} on children's services"
    else:
        source = f"the {len(reports)} Ofsted reports on children's services loaded here"
    st.caption(
        f"Answers come only from {source}, with the paragraph behind every claim. "
        "Check the cited paragraph before relying on an answer."
    )


def slug(text: str) -> str:
    """"Ealing 2016" -> "ealing-2016" (for file names)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def authorities(bot: Any) -> list[str]:
    """The loaded reports' authorities, each once, in the catalogue's order."""
    try:
        return list(dict.fromkeys(i.authority for i in bot.reports()))
    except Exception:  # noqa: BLE001 - examples without a name are still examples
        logger.exception("reports() failed")
        return []


def render_scope_change(change: tuple[str | None, str | None] | None, info: dict) -> None:
    """Where the sidebar's limit changed mid-conversation: the turns above are kept, the new limit applies below."""
    if change is None:
        return
    scope = change[1]
    source = f"only from {report_name(info, scope)}" if scope else "from every loaded report"
    st.caption(f"Answers from here on come {source}; the conversation above is kept.")


def _follow_in_reader() -> None:
    """The reader follows the report chosen in the sidebar (callback)."""
    st.session_state["reader_report"] = st.session_state.get("report")
    st.session_state["reader_focus"] = None


def render_settings(info: dict) -> tuple[str | None, str | None, int, str | None]:
    """Sidebar settings; returns (report to read, chat mode or None for extractive, k, report that
    answers are limited to or None for every loaded report)."""
    st.sidebar.header("Settings", anchor=False)
    reports = report_ids(info)
    scope = None
    if reports:
        report = st.sidebar.selectbox(
            "Report", reports, key="report", format_func=lambda r: report_name(info, r),
            disabled=len(reports) == 1, on_change=_follow_in_reader,
            help="The inspection report to read, and to answer from when limited to it.",
        )
        if len(reports) > 1 and st.sidebar.toggle(
            "Answer from this report only", key="only_this_report",
            help="Off: answers come from every loaded report, narrowed by the authority and year "
                 "your question names. On: only from the report chosen above.",
        ):
            scope = report
    else:
        report = None
    modes = [EXTRACTIVE]
    model = chat_model_name(info)
    if model:
        modes.append(f"chat model ({model})")
    mode = st.sidebar.radio(
        "Answer mode", modes, key="answer_mode",
        help="Extractive answers are built from the report's own sentences, "
             "on this computer; nothing is sent anywhere.",
    )
    k = st.sidebar.slider(
        "Sources per answer", min_value=1, max_value=10, value=default_k(info), key="k",
        help="How many passages of the report are looked at for each answer. "
             "More can help broad questions; fewer keep answers focused.",
    )
    return report, (None if mode == EXTRACTIVE else model), int(k), scope


def render_conversation_controls(box: Any, chat: Any, info: dict) -> None:
    """New conversation and export; filled at the end of the run so the export
    includes the answer that was just streamed."""
    turns = list(getattr(chat, "turns", []) or [])
    with box:
        st.subheader("Conversation", anchor=False)
        st.button("New conversation", key="new_conversation", on_click=new_conversation_state,
                  icon=":material/add_comment:", width="stretch")
        try:
            export = chat.to_markdown(loaded(info)) if turns else ""
        except Exception:  # noqa: BLE001
            logger.exception("export failed")
            export = ""
        st.download_button(
            "Export conversation (Markdown)", data=export or "No questions yet.\n",
            file_name=f"ofsted-{slug(loaded(info)) or 'report'}-conversation.md", mime="text/markdown",
            key="export", on_click="ignore", icon=":material/download:",
            disabled=not export, width="stretch",
            help="Download the questions, answers and the paragraphs they cite.",
        )
        st.caption(f"{len(turns)} question{'s' if len(turns) != 1 else ''} in this conversation.")


def main(loading: Any = None) -> None:
    bot = _load_assistant(loading)
    try:
        info = dict(bot.info() or {})
    except Exception:  # noqa: BLE001
        logger.exception("info() failed")
        info = {}
    render_heading(info)

    report, mode, k, scope = render_settings(info)
    conversation_box = st.sidebar.container()
    with st.sidebar.expander("About the index and models", icon=":material/info:"):
        render_info(info)

    reports = report_ids(info)
    if st.session_state.get("reader_report") not in reports:
        st.session_state["reader_report"] = report  # the reader opens on the sidebar's report
    reading = st.session_state["reader_report"]
    view = get_report_view(reading)
    chat = get_conversation(bot, k, mode, scope)
    scope_changes = st.session_state.get("scope_changes") or {}
    conv_id = st.session_state.get("conv_id", 0)

    tab_ask, tab_read, tab_reports = st.tabs([TAB_ASK, TAB_READ, TAB_REPORTS], key="main_tab", on_change="rerun")
    ask_open = tab_ask.open is not False

    question = None
    if ask_open:
        question = st.chat_input(  # the placeholder is the box's accessible name: short and plain
            "Ask a question about the report" if len(reports) == 1 else "Ask a question about the reports",
            key="question", submit_mode="disable",
        )
        if question is None:
            question = st.session_state.pop("pending_question", None)

    if ask_open:
        with tab_ask:
            turns = list(getattr(chat, "turns", []) or [])
            if not turns and question is None:
                render_welcome([report_name(info, r) for r in report_ids(info)], authorities(bot))
            for i, ans in enumerate(turns):
                render_scope_change(scope_changes.get(i), info)
                render_turn(ans, i, conv_id, bot)
            render_scope_change(scope_changes.get(len(turns)), info)
            if question is not None:
                stream_turn(chat, question, conv_id, bot)

    if tab_read.open:
        with tab_read:
            if len(reports) > 1:
                st.selectbox("Report to read", reports, key="reader_report", format_func=lambda r: report_name(info, r))
            try:
                judgements = get_judgements(reading)
            except Exception:  # noqa: BLE001
                logger.exception("judgements() failed")
                judgements = []
            render_reader(view, judgements)

    if tab_reports.open:
        with tab_reports:
            render_reports_page(bot)

    render_conversation_controls(conversation_box, chat, info)
