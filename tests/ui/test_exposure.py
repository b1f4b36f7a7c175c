"""What the app exposes beyond the page: the address it listens on, what the browser fetches, and
what an exported conversation can do when someone opens it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from markdown_it import MarkdownIt
from streamlit.commands.page_config import _get_favicon_string

from assistant.conversation import Conversation
from assistant.types import Answer, Citation, Source

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = (
    'What did they say <img src=x onerror="alert(1)"> about [adoption](javascript:alert(1)) '
    "![tracker](https://evil.example/pixel.png) and <javascript:alert(2)>?"
)


def test_the_chat_listens_on_this_machine_unless_told_otherwise():
    start = (ROOT / "scripts" / "start.sh").read_text()
    assert re.search(r'--server\.address "\$\{ADDRESS:-127\.0\.0\.1\}"', start)


def test_the_page_icon_is_drawn_locally():
    calls = [node for node in ast.walk(ast.parse((ROOT / "app.py").read_text()))
             if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "set_page_config"]
    icon = ast.literal_eval(next(k.value for k in calls[0].keywords if k.arg == "page_icon"))
    # Streamlit turns a ":material/…:" icon into an address on Google's font server; an emoji into a local image.
    assert _get_favicon_string(icon).startswith("emoji:")


def test_an_exported_conversation_shows_html_links_and_images_as_text():
    source = Source(report="ealing-2016-08-26", paragraph=46, label="¶46", section="Court work", text="<b>x</b>", score=1.0)
    chat = Conversation(assistant=None)
    chat.turns.append(Answer(
        question=HOSTILE,
        answer=f"Quoted: {HOSTILE} [¶46]",
        citations=[Citation(paragraph=46, label="¶46", section="Court work", report="ealing-2016-08-26")],
        sources=[source],
    ))
    exported = chat.to_markdown()
    html = MarkdownIt("commonmark").render(exported)  # raw HTML on, as many Markdown viewers have it
    # only the export's own structure is markup: no image, link or tag of the question's or the answer's
    assert set(re.findall(r"<([a-z0-9]+)", html)) <= {"h1", "p", "strong", "ul", "li"}, html
    # the reader still sees what was asked and answered, and the citation
    assert "&lt;img src=x onerror=" in html and "(javascript:alert(1))" in html and "[¶46]" in html
