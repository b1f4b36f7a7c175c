"""The "Read the report" tab: judgements at a glance, sections and paragraphs."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.report import ReportView
from ui.text import escape_markdown

GRADE_COLOURS = {
    "outstanding": "violet",
    "good": "green",
    "requires improvement": "orange",
    "requires improvement to be good": "orange",
    "inadequate": "red",
}


def grade_badge(grade: str) -> str:
    colour = GRADE_COLOURS.get((grade or "").strip().lower(), "gray")
    return f":{colour}-badge[{escape_markdown(grade)}]"


def render_judgements(judgements: list[tuple[str, str]]) -> None:
    """The inspection judgements as a compact two-column list of badges."""
    if not judgements:
        st.caption("The judgements could not be read from this report.")
        return
    with st.container(border=True, key="judgements"):
        st.markdown("**Judgements at a glance**")
        cols = st.columns(2)
        half = (len(judgements) + 1) // 2  # fill the left column first: reading order
        for i, (area, grade) in enumerate(judgements):
            cols[0 if i < half else 1].markdown(f"{grade_badge(grade)} {escape_markdown(area)}")


def _jump(view: ReportView) -> None:
    label = st.session_state.get("reader_jump")
    para = view.get(label) if label else None
    if para is not None:
        st.session_state["reader_section"] = para.section
        st.session_state["reader_focus"] = para.label
    st.session_state["reader_jump"] = None


def _step_section(view: ReportView, delta: int) -> None:
    current = st.session_state.get("reader_section")
    i = view.sections.index(current) if current in view.sections else 0
    j = min(max(i + delta, 0), len(view.sections) - 1)
    st.session_state["reader_section"] = view.sections[j]
    st.session_state["reader_focus"] = None


def _section_changed() -> None:
    st.session_state["reader_focus"] = None


def render_reader(view: ReportView, judgements: list[tuple[str, str]]) -> None:
    render_judgements(judgements)
    if not view.paragraphs:
        st.info("No paragraphs are loaded for this report.")
        return

    if st.session_state.get("reader_section") not in view.sections:
        st.session_state["reader_section"] = view.sections[0]

    pick, jump = st.columns([3, 1], vertical_alignment="bottom")
    pick.selectbox(
        "Section",
        view.sections,
        key="reader_section",
        format_func=lambda s: view.section_caption(s).replace(" > ", " › "),
        on_change=_section_changed,
    )
    jump.selectbox(
        "Go to paragraph",
        [p.label for p in view.paragraphs],
        index=None,
        key="reader_jump",
        placeholder="e.g. ¶46",
        on_change=_jump,
        args=(view,),
    )

    section = st.session_state["reader_section"]
    focus = st.session_state.get("reader_focus")
    focused = view.get(focus) if focus else None
    if focused is not None and focused.section == section:
        with st.container(border=True, key="reader_opened"):
            st.caption(f"You opened {escape_markdown(focused.label)}; it is marked in its section below.")
            st.markdown(f"**{escape_markdown(focused.label)}** {escape_markdown(focused.text)}")
    st.subheader(escape_markdown(section.split(" > ")[-1]), anchor=False)
    if " > " in section:
        st.caption(escape_markdown(section.replace(" > ", " › ")))
    for para in view.in_section(section):
        with st.container(border=para.label == focus, key=f"reader_{para.order}"):
            if para.number is not None:
                st.markdown(f"**{escape_markdown(para.label)}** {escape_markdown(para.text)}")
            else:
                if para.label.strip() != section.split(" > ")[-1].strip():
                    st.markdown(f"**{escape_markdown(para.label)}**")
                st.markdown(escape_markdown(para.text))

    i = view.sections.index(section)
    left, right = st.columns(2)
    if i > 0:
        left.button("Previous section", key="reader_prev", on_click=_step_section, args=(view, -1),
                    icon=":material/arrow_back:", width="stretch")
    if i + 1 < len(view.sections):
        right.button("Next section", key="reader_next", on_click=_step_section, args=(view, 1),
                     icon=":material/arrow_forward:", icon_position="right", width="stretch")


def render_info(info: dict[str, Any]) -> None:
    names = {
        "reports": "Reports",
        "passages": "Passages indexed",
        "retrieval": "Retrieval",
        "answerer": "Answers",
        "embedding_model": "Embedding model",
        "collection": "Collection",
        "index_path": "Index",
    }
    shown = [k for k in names if k in info] + [k for k in info if k not in names]
    for key in shown:
        value = info[key]
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        st.markdown(f"**{escape_markdown(names.get(key, str(key)))}:** {escape_markdown(str(value))}")
