"""Safe rendering helpers of the app (ui/text.py, ui/report.py): no Streamlit needed."""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # the app's own packages (ui/)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import re

from ingest.records import Paragraph
from ui.report import ReportView
from ui.text import (
    escape_chunks,
    escape_markdown,
    find_spans,
    highlighted_markdown,
    report_title,
    segments,
    snippet,
)


def _unescape(md: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md)


def test_escape_neutralises_markdown_html_latex_and_directives():
    nasty = "<script>alert(1)</script> [x](javascript:alert(1)) **b** $x$ :red[y] # h\n    code\n1. item | a |"
    out = escape_markdown(nasty)
    for raw in ("<script>", "](", "**", "$x$", ":red[", "\n    code"):
        assert raw not in out
    assert _unescape(out) == nasty.replace("\n    code", "\ncode")


def test_escape_chunks_is_boundary_independent():
    text = "A [¶38] *claim* costs $5."
    whole = escape_markdown(text)
    pieces = "".join(escape_chunks([text[:3], text[3:9], text[9:]]))
    assert pieces == whole


def test_segments_cover_text_and_mark_sentences():
    text = "First sentence here. Second one,  with  spaces. Third."
    segs = segments(text, ["Second one, with spaces."])
    assert "".join(s for s, _ in segs) == text
    assert [h for _, h in segs] == [False, True, False]
    assert find_spans(text, ["not there"]) == []


def test_highlighted_markdown_escapes_inside_and_outside():
    text = "Intro [a] text. Used *sentence* <b>here</b>. Tail $1."
    md = highlighted_markdown(text, ["Used *sentence* <b>here</b>."])
    assert "**:orange-background[" in md
    inner = md.split(":orange-background[", 1)[1].rsplit("]**", 1)[0]
    assert "<b>" not in inner and "*sentence*" not in inner
    assert _unescape(md.replace("**:orange-background[", "").replace("]**", "")) == text


def test_highlight_over_blank_line_is_split():
    md = highlighted_markdown("One.\n\nTwo.", ["One.\n\nTwo."])
    assert md.count(":orange-background[") == 2


def test_snippet_and_title():
    assert snippet("a " * 200, 20).endswith("…")
    assert report_title("ealing-2016") == "Ealing 2016"


def test_report_view_neighbours_and_sections():
    def p(n, label, section, order):
        return Paragraph("r", n, label, section, "general", f"text {label}", 2, order)

    view = ReportView.build("r", [p(2, "¶2", "S1", 2), p(None, "Summary", "S0", 0), p(1, "¶1", "S1", 1)])
    assert [x.label for x in view.paragraphs] == ["Summary", "¶1", "¶2"]
    assert view.sections == ["S0", "S1"]
    prev, nxt = view.neighbours("¶1")
    assert prev.label == "Summary" and nxt.label == "¶2"
    assert view.neighbours("Summary")[0] is None and view.neighbours("¶2")[1] is None
    assert view.section_caption("S1") == "S1  (¶1–¶2)"


def test_example_questions_name_an_authority_only_when_several_are_loaded():
    from ui.chat import example_questions

    assert example_questions(["Ealing"])[0] == "How long did care proceedings take on average?"
    named = example_questions(["Ealing", "Harrow"])
    assert named[:2] == ["How long did care proceedings take on average in Ealing?",
                         "What did inspectors say about care leavers in Harrow?"]
    assert all(q.endswith((" in Ealing?", " in Harrow?")) for q in named)

