"""The chat tab: questions, streamed answers, clickable citations, sources."""

from __future__ import annotations

import logging
import time
from typing import Any

import streamlit as st

from ui.report import ReportView, passage_title
from ui.resources import GENERIC_ERROR
from ui.text import escape_markdown, escape_markdown_inline, highlighted_markdown, snippet

logger = logging.getLogger("ofsted_app")

TAB_ASK = ":material/forum: Ask a question"
TAB_READ = ":material/menu_book: Read the report"

EXAMPLE_QUESTIONS = [
    "How long did care proceedings take on average?",
    "What did inspectors say about care leavers?",
    "What was the judgement for adoption performance?",
    "What needs to improve in private fostering?",
]


# ---------------------------------------------------------------- callbacks
def _ask_example(question: str) -> None:
    st.session_state["pending_question"] = question


def _on_pill(pill_key: str, view_key: str) -> None:
    st.session_state[view_key] = st.session_state.get(pill_key)


def _show(view_key: str, label: str) -> None:
    st.session_state[view_key] = label


def _close(view_key: str, pill_key: str) -> None:
    st.session_state[view_key] = None
    st.session_state[pill_key] = None


def open_in_reader(label: str, section: str, report: str | None = None) -> None:
    """Switch to the report reader at ``label`` of ``report`` (callback)."""
    if report:
        st.session_state["reader_report"] = report
    st.session_state["reader_section"] = section
    st.session_state["reader_focus"] = label
    st.session_state["main_tab"] = TAB_READ


# ---------------------------------------------------------------- rendering
def render_welcome(names: list[str]) -> None:
    """The first message: what the assistant answers from (``names`` of the loaded reports) and how."""
    if len(names) == 1:
        about = f"the Ofsted inspection report on children's services **{escape_markdown(names[0])}**"
    else:
        about = (f"the **{len(names)} Ofsted inspection reports** on children's services loaded here; "
                 "name the authority and year in your question, or choose a report in the sidebar")
    with st.chat_message("assistant"):
        st.markdown(
            f"Ask me about {about}. I answer only from {'the report' if len(names) == 1 else 'these reports'}, "
            "and every answer cites the paragraph it comes from, like \\[¶46\\]. "
            "**Click a citation** to read that paragraph with the sentences I used highlighted. "
            "If the report does not cover your question, I will say so."
        )
        st.markdown("**Try one of these:**")
        for i, question in enumerate(EXAMPLE_QUESTIONS):
            st.button(
                escape_markdown(question),
                key=f"example_{i}",
                on_click=_ask_example,
                args=(question,),
                icon=":material/help_outline:",
                type="tertiary",
            )


def render_user(question: str) -> None:
    with st.chat_message("user"):
        st.markdown(escape_markdown(question) or "*(empty question)*")


def cited_labels(ans: Any) -> list[str]:
    seen: list[str] = []
    for citation in getattr(ans, "citations", None) or []:
        label = getattr(citation, "label", None)
        if label and label not in seen:
            seen.append(label)
    return seen


def render_answer_text(ans: Any) -> None:
    st.markdown(escape_markdown(ans.answer or ""))


def render_answer_extras(ans: Any, turn: int, conv_id: int, view: ReportView, bot: Any) -> None:
    """Notes, citation controls (with the opened paragraph) and the sources of one answer."""
    for note in getattr(ans, "notes", None) or []:
        st.caption(f":material/info: {escape_markdown(str(note))}")

    labels = cited_labels(ans)
    pill_key = f"cite_{conv_id}_{turn}"
    view_key = f"view_{conv_id}_{turn}"
    if labels:
        st.pills(
            "Cited paragraphs: click one to read it",
            labels,
            selection_mode="single",
            key=pill_key,
            format_func=escape_markdown,
            on_change=_on_pill,
            args=(pill_key, view_key),
        )
    current = st.session_state.get(view_key)
    if current:
        render_passage_card(current, ans, view, bot, view_key, pill_key)

    sources = getattr(ans, "sources", None) or []
    if sources:
        title = (
            f"Closest passages found ({len(sources)}): none of them answers the question"
            if getattr(ans, "abstained", False)
            else f"Sources behind this answer ({len(sources)})"
        )
        with st.expander(title, icon=":material/library_books:"):
            for rank, source in enumerate(sources, 1):
                mark = " · :blue-badge[cited]" if source.label in labels else ""
                try:
                    score = f"{float(source.score):.3g}"
                except (TypeError, ValueError):
                    score = escape_markdown(str(source.score))
                st.markdown(
                    f"{rank}\\. **{escape_markdown(source.label)}** · {escape_markdown(source.section.replace(' > ', ' › '))} · "
                    f"score {score}{mark}"
                )
                st.caption(escape_markdown(snippet(source.text, 300)))


def cited_passage(label: str, ans: Any, bot: Any) -> tuple[str | None, Any]:
    """(report id, passage) a citation label opens: always in the report the citation names, never
    in the report chosen in the sidebar; (report, None) when it has no such passage."""
    citation = next((c for c in getattr(ans, "citations", None) or [] if getattr(c, "label", None) == label), None)
    if citation is not None and getattr(citation, "report", ""):
        report, passage_label = citation.report, citation.passage_label or citation.label
    else:  # a neighbour opened from the card: its label names its report
        report, passage_label = bot.catalogue.resolve(label)
        report = report or next(iter(bot.info().get("reports") or []), None)
    try:
        return report, bot.passage(passage_label, report=report)
    except KeyError:
        return report, None


def _label_of(bot: Any, report: str | None, passage_label: str) -> str:
    return bot.catalogue.label(report, passage_label) if report else passage_label


def render_passage_card(label: str, ans: Any, view: ReportView, bot: Any, view_key: str, pill_key: str) -> None:
    """The opened paragraph of the cited report: which report, number, section, full text with the
    used sentences highlighted, and buttons to its neighbours in that report."""
    from ui.resources import get_report_view

    report, para = cited_passage(label, ans, bot)
    with st.container(border=True, key=f"card_{view_key}"):
        if para is None:
            st.warning(f"Paragraph {escape_markdown(label)} could not be found in the report it cites.")
            return
        own = get_report_view(report)
        info = bot.catalogue.reports.get(report)
        head, close = st.columns([6, 1], vertical_alignment="center")
        head.markdown(f"#### {escape_markdown(passage_title(para))}")
        close.button("Close", key=f"{view_key}_close", on_click=_close, args=(view_key, pill_key),
                     icon=":material/close:", type="tertiary")
        if info is not None:
            st.markdown(f":material/description: **{escape_markdown(info.name)}** · {escape_markdown(info.describe())}")
        st.caption(f"Section: {escape_markdown(para.section.replace(' > ', ' › '))}")
        highlights = (getattr(ans, "highlights", None) or {}).get(label, [])
        st.markdown(highlighted_markdown(para.text, highlights))
        if highlights:
            st.caption("Highlighted: the sentences this answer used.")

        prev, nxt = own.neighbours(para.label)
        c1, c2, c3 = st.columns(3)
        if prev is not None:
            c1.button(
                f"Previous: {escape_markdown(prev.label)}", key=f"{view_key}_prev",
                on_click=_show, args=(view_key, _label_of(bot, report, prev.label)), icon=":material/arrow_back:",
                help=escape_markdown(snippet(prev.text, 160)), width="stretch",
            )
        if nxt is not None:
            c2.button(
                f"Next: {escape_markdown(nxt.label)}", key=f"{view_key}_next",
                on_click=_show, args=(view_key, _label_of(bot, report, nxt.label)), icon=":material/arrow_forward:",
                icon_position="right", help=escape_markdown(snippet(nxt.text, 160)), width="stretch",
            )
        c3.button(
            "Read in context", key=f"{view_key}_reader", on_click=open_in_reader,
            args=(para.label, para.section, report), icon=":material/menu_book:", width="stretch",
        )
        if prev is not None or nxt is not None:
            with st.expander("Neighbouring paragraphs"):
                for which, p in (("Before", prev), ("After", nxt)):
                    if p is None:
                        continue
                    st.markdown(f"**{which}: {escape_markdown(p.label)}** · {escape_markdown(p.section)}")
                    st.markdown(escape_markdown(p.text))


def render_turn(ans: Any, turn: int, conv_id: int, view: ReportView, bot: Any) -> None:
    render_user(ans.question)
    with st.chat_message("assistant"):
        render_answer_text(ans)
        render_answer_extras(ans, turn, conv_id, view, bot)


def stream_turn(chat: Any, question: str, conv_id: int, view: ReportView, bot: Any) -> Any | None:
    """Ask ``question``, streaming the answer in; returns the Answer or None on error."""
    from assistant import AssistantError, InvalidQuestion

    if question.strip():
        render_user(question)
    with st.chat_message("assistant"):
        status = st.empty()
        status.caption(":material/search: Searching the report…")
        started = time.perf_counter()
        timing: dict[str, float] = {}

        def chunks():
            for chunk in chat.stream(question):
                if not chunk:
                    continue
                if "first_token" not in timing:
                    timing["first_token"] = time.perf_counter() - started
                    status.empty()
                yield escape_markdown_inline(chunk)
            status.empty()

        turns_before = len(getattr(chat, "turns", []) or [])
        try:
            st.write_stream(chunks())
        except InvalidQuestion as exc:
            status.empty()
            st.warning(str(exc) or "Please type a question about the report.")
            return None
        except AssistantError as exc:
            status.empty()
            logger.warning("assistant error: %s", exc)
            st.error(str(exc))
            return None
        except Exception:  # noqa: BLE001 - users see a friendly message, the log gets the trace
            status.empty()
            logger.exception("unexpected error while answering %r", question)
            st.error(GENERIC_ERROR)
            return None
        logger.info(
            "answered in %.2fs (first token %.2fs)",
            time.perf_counter() - started,
            timing.get("first_token", float("nan")),
        )
        ans = getattr(chat, "last", None)
        turns_after = len(getattr(chat, "turns", []) or [])
        if ans is None or turns_after <= turns_before:
            logger.error("stream finished without recording a turn")
            st.error(GENERIC_ERROR)
            return None
        render_answer_extras(ans, turns_after - 1, conv_id, view, bot)
        return ans
