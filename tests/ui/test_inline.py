"""The answer's text with its citations as buttons (ui/inline.py): what each button says it opens, and the
text around it escaped. Made-up answers over two reports that both have a paragraph 12."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # the app's own packages (ui/)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import re

from assistant.types import Answer, Citation
from ui.inline import cited_html, citation_names

BOT = SimpleNamespace(catalogue=SimpleNamespace(reports={
    "ealing-2016-08-26": SimpleNamespace(name="Ealing 2016"),
    "harrow-2017-03-31": SimpleNamespace(name="Harrow 2017"),
}))
ANSWER = Answer(
    question="How long did care proceedings take?",
    answer="Ealing: 28 weeks [Ealing 2016 ¶12].\n\nHarrow: 30 weeks [Harrow 2017 ¶12]; graded [Harrow 2017 Judgements].",
    citations=[
        Citation(12, "Ealing 2016 ¶12", "Permanence", "ealing-2016-08-26", "¶12"),
        Citation(12, "Harrow 2017 ¶12", "Permanence", "harrow-2017-03-31", "¶12"),
        Citation(None, "Harrow 2017 Judgements", "Judgements", "harrow-2017-03-31", "Judgements"),
    ],
)


def _buttons(html: str) -> list[tuple[str, str, str]]:
    """(data-cite, aria-label, text) of each button."""
    return re.findall(r'<button [^>]*data-cite="([^"]*)" aria-label="([^"]*)"[^>]*>([^<]*)</button>', html)


def test_each_citation_is_named_by_its_own_report_even_with_the_same_paragraph_number():
    assert citation_names(ANSWER, BOT) == {
        "Ealing 2016 ¶12": "paragraph 12 of Ealing 2016",
        "Harrow 2017 ¶12": "paragraph 12 of Harrow 2017",
        "Harrow 2017 Judgements": "Judgements of Harrow 2017",
    }


def test_every_citation_becomes_a_button_where_it_stands_in_its_paragraph():
    html = cited_html(ANSWER.answer, citation_names(ANSWER, BOT))
    assert _buttons(html) == [
        ("Ealing 2016 ¶12", "Open paragraph 12 of Ealing 2016", "[Ealing 2016 ¶12]"),
        ("Harrow 2017 ¶12", "Open paragraph 12 of Harrow 2017", "[Harrow 2017 ¶12]"),
        ("Harrow 2017 Judgements", "Open Judgements of Harrow 2017", "[Harrow 2017 Judgements]"),
    ]
    assert html.startswith("<p>Ealing: 28 weeks <button ") and html.count("<p>") == 2
    assert "</button>.</p><p>Harrow: 30 weeks <button" in html


def test_text_is_escaped_and_a_bracket_that_cites_nothing_stays_text():
    names = {"¶3": "paragraph 3 of Ealing 2016"}
    html = cited_html('<img src=x onerror="alert(1)"> as [sic] said [¶3] & [¶4]', names)
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert [b[0] for b in _buttons(html)] == ["¶3"]  # ¶4 is no citation of this answer
    assert "[sic]" in html and "&amp; [¶4]" in html


def test_a_label_is_escaped_in_its_button_too():
    html = cited_html('Said so ["><b>x</b>].', {'"><b>x</b>': "paragraph 1 of A"})
    assert "<b>" not in html and 'data-cite="&quot;&gt;&lt;b&gt;x&lt;/b&gt;"' in html
