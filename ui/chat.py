"""The chat tab: questions, streamed answers, citations that open their paragraph, sources."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import streamlit as st

from ui.report import passage_title
from ui.resources import GENERIC_ERROR
from ui.text import escape_markdown, escape_markdown_inline, highlighted_markdown, snippet

logger = logging.getLogger("ofsted_app")

# Plain tab names: an icon in a label is read out by screen readers ("forum icon Ask a question").
TAB_ASK = "Ask a question"
TAB_READ = "Read the report"

# "{where}" is " in Ealing" when several authorities are loaded, so a question names which one.
EXAMPLE_QUESTIONS = [
    "How long did care proceedings take on average{where}?",
    "What did inspectors say about care leavers{where}?",
    "What was the judgement for adoption performance{where}?",
    "What needs to improve in private fostering{where}?",
]


def example_questions(authorities: list[str]) -> list[str]:
    """The example questions, each naming one of the loaded ``authorities`` in turn when there are several."""
    if len(authorities) < 2:
        return [q.format(where="") for q in EXAMPLE_QUESTIONS]
    return [q.format(where=f" in {authorities[i % len(authorities)]}") for i, q in enumerate(EXAMPLE_QUESTIONS)]


# ---------------------------------------------------------------- callbacks
def _ask_example(question: str) -> None:
    st.session_state["pending_question"] = question


def open_in_reader(label: str, section: str, report: str | None = None) -> None:
    """Switch to the report reader at ``label`` of ``report`` (callback)."""
    if report:
        st.session_state["reader_report"] = report
    st.session_state["reader_section"] = section
    st.session_state["reader_focus"] = label
    st.session_state["main_tab"] = TAB_READ


# ---------------------------------------------------------------- rendering
def render_welcome(names: list[str], authorities: list[str] | None = None) -> None:
    """The first message: what the assistant answers from (``names`` of the loaded reports) and how, with
    example questions that name one of the loaded ``authorities`` when there are several."""
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
        for i, question in enumerate(example_questions(authorities or [])):
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


def answer_key(conv_id: int, turn: int) -> str:
    """The key of one answer's text: the same while it streams in and when it is drawn again."""
    return f"answer_{conv_id}_{turn}"


def render_answer_text(ans: Any, bot: Any, key: str) -> None:
    """The answer, its citations clickable where they stand; when it leads with the sentence that
    answers, the evidence under it is folded."""
    from ui.inline import render_cited_text

    text, lead = ans.answer or "", getattr(ans, "lead", "")
    at = text.find(lead) if lead else -1
    rest = text[at + len(lead):].strip() if at >= 0 else ""
    if not rest:
        render_cited_text(text, ans, bot, key)
        return
    render_cited_text(text[: at + len(lead)], ans, bot, f"{key}_lead")
    passages = len(set(re.findall(r"\[([^\[\]]+)\]", rest)))
    with st.expander(f"{passages} more passage{'s' if passages != 1 else ''} behind this answer" if passages
                     else "More from the report"):
        render_cited_text(rest, ans, bot, f"{key}_rest")


def render_answer_extras(ans: Any) -> None:
    """The notes and the sources of one answer."""
    for note in getattr(ans, "notes", None) or []:
        st.caption(escape_markdown(str(note)))

    labels = cited_labels(ans)

    sources = getattr(ans, "sources", None) or []
    if sources:
        title = (
            f"Closest passages found ({len(sources)}): none of them answers the question"
            if getattr(ans, "abstained", False)
            else f"Sources behind this answer ({len(sources)})"
        )
        with st.expander(title, icon=":material/library_books:"):
            for rank, source in enumerate(sources, 1):  # in order of relevance; a raw score means nothing to staff
                mark = " · :blue-badge[cited]" if source.label in labels else ""
                st.markdown(
                    f"{rank}\\. **{escape_markdown(source.label)}** · "
                    f"{escape_markdown(source.section.replace(' > ', ' › '))}{mark}"
                )
                st.caption(escape_markdown(snippet(source.text, 300)))


def cited_passage(label: str, ans: Any, bot: Any) -> tuple[str | None, Any]:
    """(report id, passage) a citation label opens: always in the report the citation names, never
    in the report chosen in the sidebar; (report, None) when it has no such passage."""
    citation = next((c for c in getattr(ans, "citations", None) or [] if getattr(c, "label", None) == label), None)
    if citation is not None and getattr(citation, "report", ""):
        report, passage_label = citation.report, citation.passage_label or citation.label
    else:  # a label that names its report, or the one report loaded
        report, passage_label = bot.catalogue.resolve(label)
        report = report or next(iter(bot.info().get("reports") or []), None)
    try:
        return report, bot.passage(passage_label, report=report)
    except KeyError:
        return report, None


def render_passage_card(label: str, ans: Any, bot: Any, key: str) -> None:
    """The cited paragraph: which report, number, section, full text with the sentences the answer used
    highlighted, a citation to paste, the PDF page it is on, and its neighbours in that report."""
    from assistant.reading.report_info import citation_line
    from ui.resources import get_report_view

    report, para = cited_passage(label, ans, bot)
    if para is None:
        st.warning(f"Paragraph {escape_markdown(label)} could not be found in the report it cites.")
        return
    info = bot.catalogue.reports.get(report)
    st.markdown(f"#### {escape_markdown(passage_title(para))}")
    if info is not None:
        st.markdown(f"**{escape_markdown(info.name)}** · {escape_markdown(info.describe())}")
    st.caption(f"Section: {escape_markdown(para.section.replace(' > ', ' › '))}")
    highlights = (getattr(ans, "highlights", None) or {}).get(label, [])
    st.markdown(highlighted_markdown(para.text, highlights))
    if highlights:
        st.caption("Highlighted: the sentences this answer used.")
    if info is not None:
        st.caption("Copy citation")
        st.code(citation_line(info, para.label), language=None, wrap_lines=True)
        render_page_image(info.source, para.text, bot.settings)
    if st.button(
        "Read in context", key=f"{key}_reader", on_click=open_in_reader,
        args=(para.label, para.section, report), icon=":material/menu_book:",
    ):
        st.rerun()  # in a dialog a click reruns only the dialog: the whole page switches tab
    prev, nxt = get_report_view(report).neighbours(para.label)
    if prev is not None or nxt is not None:
        with st.expander("Neighbouring paragraphs"):
            for which, p in (("Before", prev), ("After", nxt)):
                if p is None:
                    continue
                st.markdown(f"**{which}: {escape_markdown(p.label)}** · {escape_markdown(p.section)}")
                st.markdown(escape_markdown(p.text))


def render_page_image(source: str, text: str, settings: Any) -> None:
    """The page of the report's PDF that holds ``text``; nothing for a report not read from a PDF, or when
    no page holds the paragraph's first words."""
    from ui.pdf_page import find_page, page_png, pdf_of

    pdf = pdf_of(source)
    number = find_page(pdf, text, settings.page_search_words) if pdf else None
    if number is None:
        return
    try:
        image = page_png(pdf, number, settings.page_image_scale)
    except Exception:  # noqa: BLE001 - the card stands without the picture
        logger.exception("could not draw page %s of %s", number, pdf)
        return
    with st.expander(f"Page {number} of the report (PDF)", icon=":material/picture_as_pdf:"):
        st.image(image, caption=f"Page {number}", width="stretch")


def render_turn(ans: Any, turn: int, conv_id: int, bot: Any) -> None:
    render_user(ans.question)
    with st.chat_message("assistant"):
        render_answer_text(ans, bot, answer_key(conv_id, turn))
        render_answer_extras(ans)


def stream_turn(chat: Any, question: str, conv_id: int, bot: Any) -> Any | None:
    """Ask ``question``, streaming the answer in; returns the Answer or None on error."""
    from assistant import AssistantError, InvalidQuestion

    if question.strip():
        render_user(question)
    with st.chat_message("assistant"):
        status = st.empty()
        status.caption("Searching the report…")
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
        streamed = st.empty()  # the text as it arrives; then, once whole, with its evidence folded
        try:
            streamed.write_stream(chunks())
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
        with streamed.container():  # drawn again whole: the citations become clickable
            render_answer_text(ans, bot, answer_key(conv_id, turns_after - 1))
        render_answer_extras(ans)
        return ans
