"""An answer's text with its citations clickable where they stand: [¶38] opens that paragraph's card.

Streamlit Markdown cannot hold a widget, and a link in it navigates (a new session: the conversation is
lost), so the text is drawn by a small ``st.components.v2`` component: no iframe, no page load. Each
citation is a ``<button>`` named for screen readers ("Open paragraph 38 of Ealing 2016"); a click sends
its label back as a trigger value, and that run opens the card in an ``st.dialog``.
"""

from __future__ import annotations

import html
import re
from typing import Any

import streamlit as st

from assistant.answering.cite import CITATION
from ui.chat import render_passage_card
from ui.text import escape_markdown, report_title

_CSS = """
.answer p { margin: 0 0 1rem; white-space: pre-line; }
.answer p:last-child { margin-bottom: 0; }
.answer button.cite {
  all: unset; cursor: pointer; color: var(--st-link-color);
  text-decoration: underline; text-underline-offset: 2px; border-radius: 3px;
}
.answer button.cite:hover { background: var(--st-secondary-background-color); }
.answer button.cite:focus-visible { outline: 2px solid var(--st-primary-color); outline-offset: 1px; }
"""

# The HTML is replaced only when it changed: a rerun then keeps the button that had the focus. Once the
# dialog closes, Streamlit leaves the focus on the page's body (the top): it goes back to the citation,
# looked up again since the rerun that opened the dialog may have drawn the answer anew.
_JS = """
const shown = new Set();

function focusWhenDialogCloses(html, label) {
  let opened = false, waited = 0;
  const timer = setInterval(() => {
    waited += 200;
    if (document.querySelector('[role="dialog"]')) opened = true;
    else if (opened || waited > 20000) {
      clearInterval(timer);
      const box = [...shown].find((b) => b.isConnected && b.shownHtml === html);
      const button = box && [...box.querySelectorAll("button[data-cite]")].find((b) => b.dataset.cite === label);
      const lost = !document.activeElement || document.activeElement === document.body;
      if (opened && lost && button) button.focus();
    }
  }, 200);
}

export default function ({ data, setTriggerValue, parentElement }) {
  let box = parentElement.querySelector(".answer");
  if (!box) {
    box = document.createElement("div");
    box.className = "answer";
    parentElement.appendChild(box);
  }
  shown.forEach((b) => b.isConnected || shown.delete(b));
  shown.add(box);
  if (box.shownHtml !== data) {
    box.innerHTML = data;
    box.shownHtml = data;
  }
  box.onclick = (event) => {
    const button = event.target.closest("button[data-cite]");
    if (!button) return;
    setTriggerValue("open", button.dataset.cite);
    focusWhenDialogCloses(data, button.dataset.cite);
  };
}
"""

_cited_text = st.components.v2.component("ofsted_cited_text", css=_CSS, js=_JS)


def citation_names(ans: Any, bot: Any) -> dict[str, str]:
    """label -> what it opens, in words ("paragraph 38 of Ealing 2016"), for each citation of ``ans``:
    named from the citation's own report, so a name never points at another report's paragraph."""
    names: dict[str, str] = {}
    for c in getattr(ans, "citations", None) or []:
        inside = c.passage_label or c.label
        info = bot.catalogue.reports.get(c.report) if c.report else None
        report = info.name if info is not None else report_title(c.report)
        what = f"paragraph {inside.lstrip('¶')}" if inside.startswith("¶") else inside
        names.setdefault(c.label, f"{what} of {report}" if report else what)
    return names


def cited_html(text: str, names: dict[str, str]) -> str:
    """``text`` as escaped HTML paragraphs, each citation of a label in ``names`` a button that says what
    it opens; brackets that cite nothing stay text."""
    def button(match: re.Match[str]) -> str:
        label = match.group(1).strip()
        if label not in names:
            return html.escape(match.group(0))
        what = html.escape(f"Open {names[label]}")
        return (f'<button type="button" class="cite" data-cite="{html.escape(label)}" aria-label="{what}" '
                f'title="{what}">[{html.escape(label)}]</button>')

    def paragraph(block: str) -> str:
        pieces, pos = [], 0
        for match in CITATION.finditer(block):
            pieces += [html.escape(block[pos:match.start()]), button(match)]
            pos = match.end()
        return "<p>" + "".join(pieces) + html.escape(block[pos:]) + "</p>"

    return "".join(paragraph(b) for b in re.split(r"\n\s*\n", text.strip()) if b.strip())


def _rerun() -> None:
    """A citation's click needs only the rerun that reads it."""


def render_cited_text(text: str, ans: Any, bot: Any, key: str) -> None:
    """``text`` (part of ``ans``) with clickable citations; the clicked one's card opens in a dialog."""
    names = citation_names(ans, bot)
    if not names:
        st.markdown(escape_markdown(text))
        return
    opened = _cited_text(data=cited_html(text, names), key=key, on_open_change=_rerun).open
    if opened in names:  # only a label this answer cites: the browser's word is not trusted beyond that
        title = names[opened][0].upper() + names[opened][1:]
        st.dialog(title, width="large")(render_passage_card)(opened, ans, bot, f"{key}_card")
