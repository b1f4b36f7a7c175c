"""Flows of the Streamlit app (app.py), driven by streamlit.testing.v1.AppTest.

These use the real Assistant and its local index: the first test pays for
loading it (st.cache_resource shares it with the rest of this process).
"""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # the app's own packages (ui/)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import json
import re
from html.parser import HTMLParser

import pytest

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from conftest import assert_app_ok, open_app

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "How long did care proceedings take on average?"
TIMEOUT = 180



def _unescape(md: str) -> str:
    """Markdown as the user reads it (our escaping is backslash + punctuation)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md)


def _texts(elements) -> list[str]:
    return [_unescape(str(e.value)) for e in elements]


def _new_app() -> AppTest:
    return open_app(timeout=TIMEOUT)


_assert_ok = assert_app_ok


def _ask(at: AppTest, question: str) -> AppTest:
    at.chat_input(key="question").set_value(question).run()
    return at


def _assistant_messages(at: AppTest):
    return [m for m in at.chat_message if m.name == "assistant"]


def _conversation(at: AppTest):
    return at.session_state["conversation"]


class _CitedText(HTMLParser):
    """An answer's text as the browser gets it: what it reads, and each inline citation button's
    (label, accessible name)."""

    def __init__(self, html: str):
        super().__init__()
        self.text, self.buttons = "", []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "button":
            self.buttons.append((attrs["data-cite"], attrs["aria-label"]))
        elif tag == "p" and self.text:
            self.text += "\n\n"

    def handle_data(self, data):
        self.text += data


def _cited_texts(at: AppTest) -> list:
    """The answers' texts with clickable citations, in page order."""
    return [e for e in at.get("bidi_component") if e.proto.component_name == "ofsted_cited_text"]


def _read(element) -> _CitedText:
    return _CitedText(json.loads(element.proto.json))


def _click_citation(at: AppTest, element, label: str) -> AppTest:
    """A click on the inline citation ``label`` in ``element``."""
    assert label in [b for b, _ in _read(element).buttons], label
    return _send_click(at, element, label)


def _send_click(at: AppTest, element, label: str) -> AppTest:
    """What a click on a citation button sends: the component's trigger value, then a run."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(element.proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": "open", "value": label}])
    return at._run(states)


def _card(at: AppTest):
    """The dialog a citation opened (one at a time)."""
    dialogs = at.get("dialog")
    assert len(dialogs) == 1, dialogs
    return dialogs[0]


def _page_titles(monkeypatch) -> list[str]:
    """The browser tab titles the app sets from now on."""
    import streamlit

    titles: list[str] = []
    original = streamlit.set_page_config

    def spy(*args, **kwargs):
        titles.append(kwargs.get("page_title"))
        return original(*args, **kwargs)

    monkeypatch.setattr(streamlit, "set_page_config", spy)
    return titles


@pytest.fixture(scope="module")
def asked() -> AppTest:
    """An app session in which the first question has been asked."""
    at = _new_app()
    _ask(at, QUESTION)
    _assert_ok(at)
    return at


def test_first_page_has_title_help_and_sidebar():
    at = _new_app()
    assert at.title[0].value == "Ofsted report assistant — Ealing 2016"
    body = " ".join(_texts(at.markdown))
    assert "cites the paragraph" in body
    # example questions are offered as buttons
    assert any("care proceedings" in b.label for b in at.button)
    # sidebar: report, answer mode, k, index info
    assert at.sidebar.radio(key="answer_mode").options == ["extractive (offline)"]
    assert at.sidebar.slider(key="k").value >= 1
    assert any("Passages indexed" in t for t in _texts(at.sidebar.markdown))
    assert at.sidebar.download_button(key="export").disabled  # nothing to export yet


def test_the_browser_tab_names_the_loaded_report(monkeypatch):
    titles = _page_titles(monkeypatch)
    _new_app()
    assert titles[-1] == "Ofsted report assistant — Ealing 2016"


def test_tabs_chat_box_and_texts_carry_no_icon_for_screen_readers_to_read_out(asked: AppTest):
    # Streamlit reads an icon inside Markdown out as "forum icon"; a widget's own icon= is hidden from them.
    assert [t.label for t in asked.tabs] == ["Ask a question", "Read the report", "Reports"]
    assert asked.chat_input(key="question").placeholder == "Ask a question about the report"  # its accessible name
    texts = [*asked.markdown, *asked.caption, *asked.title]
    assert texts and not [t.value for t in texts if ":material/" in t.value]
    assert all(name.startswith("Open paragraph ") for t in _cited_texts(asked) for _, name in _read(t).buttons)


def test_ask_shows_answer_with_citation(asked: AppTest):
    answers = _assistant_messages(asked)
    assert answers, "no assistant message"
    text = " ".join(_read(t).text for t in _cited_texts(asked))
    assert "28 weeks" in text
    assert re.search(r"\[¶\d+\]", text), text
    ans = _conversation(asked).last
    assert ans.citations
    # the sources can be expanded, in order of relevance: no raw score means anything to staff
    assert any(e.label.startswith("Sources behind this answer") for e in asked.expander)
    assert not [t for t in _texts(answers[-1].markdown) if re.search(r"\bscore\b", t)]


def test_every_citation_in_the_answer_is_a_button_where_it_stands_naming_what_it_opens(asked: AppTest):
    ans = _conversation(asked).last
    texts = [_read(t) for t in _cited_texts(asked)]
    shown = "\n\n".join(t.text for t in texts)
    assert " ".join(shown.split()) == " ".join(ans.answer.split())  # the answer reads as it was written
    buttons = [b for t in texts for b in t.buttons]
    cited = re.findall(r"\[([^\[\]]+)\]", ans.answer)
    assert [label for label, _ in buttons] == cited  # each [¶n] is one, in its place
    assert {name for _, name in buttons} == {f"Open paragraph {label[1:]} of Ealing 2016" for label in cited}
    assert not asked.get("popover")  # no second row of the same citations under the answer


def test_the_answer_leads_with_the_figure_and_folds_the_evidence_under_it(asked: AppTest):
    first = _read(_cited_texts(asked)[0]).text
    assert "28 weeks" in first and re.search(r"\[¶\d+\]$", first.strip()), first
    folded = [e for e in asked.expander if "behind this answer" in e.label and "more passage" in e.label]
    assert folded and _conversation(asked).last.lead.strip() == first.strip()
    assert _cited_texts(folded[0])  # the evidence under the fold keeps its clickable citations


def test_a_citation_opens_its_paragraph_highlighted_with_a_citation_to_paste():
    from ui.resources import get_assistant, get_report_view

    at = _new_app()
    _ask(at, QUESTION)
    ans = _conversation(at).last
    label = next((c.label for c in ans.citations if c.label == "¶46"), ans.citations[0].label)
    assert not at.get("dialog")
    _click_citation(at, _cited_texts(at)[0], label)
    _assert_ok(at)
    card = _card(at)
    assert card.proto.dialog.title == f"Paragraph {label[1:]} of Ealing 2016"
    assert len(_conversation(at).turns) == 1  # the conversation stays, under the card

    para = get_assistant().passage(label)
    shown = " ".join(_texts(card.markdown))
    flat = " ".join(shown.split())
    assert f"Paragraph {para.number}" in shown and "Ealing 2016" in shown  # which paragraph of which report
    assert " ".join(para.text.split())[:80] in flat.replace("**:orange-background[", "").replace("]**", "")
    assert any(para.section.split(" > ")[-1] in _unescape(c.value) for c in card.caption)
    for sentence in ans.highlights.get(label, []):  # exactly the sentences the answer used, marked
        assert any(":orange-background[" in m.value and sentence.split()[0] in m.value for m in card.markdown)
    assert [c.value for c in card.code] == [
        f"Ofsted, Ealing children's services inspection, published 26 August 2016, {label}"]
    assert not card.image  # the Markdown report has no PDF page to show
    # its neighbours in document order, and the reader one click away
    prev, nxt = get_report_view(para.report).neighbours(para.label)
    neighbours = next(e for e in card.expander if e.label == "Neighbouring paragraphs")
    assert " ".join(nxt.text.split())[:60] in " ".join(" ".join(_texts(neighbours.markdown)).split())
    assert " ".join(prev.text.split())[:60] in " ".join(" ".join(_texts(neighbours.markdown)).split())
    assert any(b.label == "Read in context" for b in card.button)

    at.run()  # any other rerun: the card was for that click only
    assert not at.get("dialog")


def test_a_label_the_answer_does_not_cite_opens_nothing(asked: AppTest):
    _send_click(asked, _cited_texts(asked)[0], "¶1")  # a label no button here sends
    _assert_ok(asked)
    assert not asked.get("dialog")


def test_follow_up_question(asked: AppTest):
    before = len(_conversation(asked).turns)
    _ask(asked, "How does that compare with the London average?")
    _assert_ok(asked)
    chat = _conversation(asked)
    assert len(chat.turns) == before + 1
    follow = chat.turns[-1]
    assert follow.citations or follow.abstained
    # both turns are on screen
    users = [m for m in asked.chat_message if m.name == "user"]
    assert len(users) == before + 1


def test_export_contains_citations(asked: AppTest, monkeypatch):
    recorded: list[tuple[bytes, str | None]] = []
    original = MediaFileManager.add

    def spy(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        recorded.append((path_or_data, file_name))
        return original(self, path_or_data, mimetype, coordinates, file_name, is_for_static_download)

    monkeypatch.setattr(MediaFileManager, "add", spy)
    asked.run()
    _assert_ok(asked)
    button = asked.sidebar.download_button(key="export")
    assert not button.disabled
    exports = [(d, name) for d, name in recorded if name and name.endswith(".md")]
    assert exports, recorded
    content = exports[-1][0].decode("utf-8") if isinstance(exports[-1][0], bytes) else exports[-1][0]
    assert exports[-1][1] == "ofsted-ealing-2016-conversation.md"
    assert content.startswith("# Conversation with the Ofsted report assistant — Ealing 2016\n")  # what was loaded
    assert content == _conversation(asked).to_markdown("Ealing 2016")
    assert "¶" in content and "28 weeks" in content


def test_empty_question_warns_without_crash():
    at = _new_app()
    _ask(at, "   ")
    assert not at.exception
    assert at.warning, "expected a warning for an empty question"
    assert len(_conversation(at).turns) == 0


def test_new_conversation_clears_turns():
    at = _new_app()
    _ask(at, QUESTION)
    _assert_ok(at)
    assert len(_conversation(at).turns) == 1
    at.button(key="new_conversation").click().run()
    _assert_ok(at)
    assert len(_conversation(at).turns) == 0
    assert not [m for m in at.chat_message if m.name == "user"]
    assert at.sidebar.download_button(key="export").disabled


def test_read_the_report_tab_shows_judgements_and_sections():
    from ui.chat import TAB_READ
    from ui.resources import get_assistant

    at = _new_app()
    at.session_state["main_tab"] = TAB_READ
    at.run()
    _assert_ok(at)
    body = " ".join(_texts(at.markdown))
    for area, grade in get_assistant().judgements():
        assert area in body and grade in body
    assert "Judgements at a glance" in body
    section = at.selectbox(key="reader_section")
    first = section.value
    paras = [p for p in get_assistant().paragraphs() if p.section == first]
    assert paras and " ".join(paras[0].text.split())[:60] in " ".join(body.split())
    # jump to a paragraph by number
    at.selectbox(key="reader_jump").set_value("¶46").run()
    _assert_ok(at)
    assert at.session_state["reader_focus"] == "¶46"
    assert "28 weeks" in " ".join(_texts(at.markdown))


def test_read_in_context_switches_to_reader():
    at = _new_app()
    _ask(at, QUESTION)
    label = _conversation(at).last.citations[0].label
    _click_citation(at, _cited_texts(at)[0], label)
    at.button(key="answer_0_0_lead_card_reader").click().run()
    _assert_ok(at)
    assert at.session_state["main_tab"].endswith("Read the report")
    assert at.session_state["reader_focus"] == label


# ---------------------------------------------------------------- error paths
class _FailingChat:
    def __init__(self, exc: BaseException):
        self.exc = exc
        self.turns: list = []
        self.last = None

    def stream(self, question):
        raise self.exc
        yield ""  # pragma: no cover

    def to_markdown(self):
        return ""


def test_assistant_error_is_shown_as_message():
    from assistant import AssistantError

    at = _new_app()
    at.session_state["conversation"] = _FailingChat(AssistantError("The index is being rebuilt."))
    _ask(at, QUESTION)
    assert not at.exception
    assert [e.value for e in at.error] == ["The index is being rebuilt."]


def test_unexpected_error_is_friendly_without_trace():
    at = _new_app()
    at.session_state["conversation"] = _FailingChat(RuntimeError("secret internal detail"))
    _ask(at, QUESTION)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "Sorry" in errors[0]
    assert "secret internal detail" not in errors[0]


def test_unanswerable_question_says_so_without_citations():
    at = _new_app()
    _ask(at, "What will the weather be in Paris tomorrow?")
    _assert_ok(at)
    ans = _conversation(at).last
    assert ans.abstained
    text = " ".join(_texts(_assistant_messages(at)[-1].markdown))
    assert ans.answer in text
    assert not _cited_texts(at)  # nothing to click: plain text


def test_sources_slider_sets_k_of_the_conversation():
    at = _new_app()
    at.sidebar.slider(key="k").set_value(3).run()
    _assert_ok(at)
    assert _conversation(at).k == 3
    _ask(at, QUESTION)
    _assert_ok(at)
    assert len(_conversation(at).last.sources) <= 3


HARROW_PDF = ROOT.parent / "shared" / "ofsted" / "pdfs" / "harrow" / "2017-03-31.pdf"


def _pdf_page_text(pdf: Path, number: int) -> str:
    """The text layer of one page, its lines joined by single spaces."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return " ".join(document[number - 1].get_textpage().get_text_range().split())
    finally:
        document.close()


@pytest.fixture
def two_reports(tmp_path, monkeypatch):
    """The app over its own index of two reports (Ealing 2016 and Harrow 2017), then back to the default."""
    import os

    from conftest import app_over_index

    if not HARROW_PDF.is_file() and not os.environ.get("CI"):
        pytest.skip(f"the Ofsted corpus is not beside the project ({HARROW_PDF})")
    yield from app_over_index(monkeypatch, tmp_path / "index", [ROOT / "data" / "ealing-2016.md", HARROW_PDF])


@pytest.mark.slow
def test_answers_can_be_limited_to_the_report_chosen_keeping_the_conversation(two_reports, monkeypatch):
    titles = _page_titles(monkeypatch)
    at = _new_app()
    assert at.title[0].value == "Ofsted report assistant — 2 reports"
    assert titles[-1] == "Ofsted report assistant — 2 reports"
    examples = [b.label for b in at.button if b.key and b.key.startswith("example_")]
    assert any(" in Ealing?" in e for e in examples) and any(" in Harrow?" in e for e in examples)
    assert at.chat_input(key="question").placeholder == "Ask a question about the reports"
    _ask(at, "What was the overall judgement?")
    _assert_ok(at)
    both = _read(_cited_texts(_assistant_messages(at)[-1])[0]).text
    assert "Ealing 2016" in both and "Harrow 2017" in both  # every loaded report, each under its name

    at.selectbox(key="report").set_value("harrow-2017-03-31").run()
    at.toggle(key="only_this_report").set_value(True).run()
    _assert_ok(at)
    assert len(_conversation(at).turns) == 1  # the conversation so far is kept, and said so
    said = "Answers from here on come only from Harrow 2017; the conversation above is kept."
    assert [c.value for c in at.caption if c.value == said] == [said]
    assert len([m for m in at.chat_message if m.name == "user"]) == 1
    _ask(at, "What was the overall judgement?")
    _assert_ok(at)
    assert len(_conversation(at).turns) == 2
    one = _read(_cited_texts(_assistant_messages(at)[-1])[0]).text
    assert "Harrow 2017 Judgements" in one and "Ealing" not in one
    assert [c.value for c in at.caption if c.value == said] == [said]  # between the two answers, where it changed

    at.toggle(key="only_this_report").set_value(False).run()
    at.toggle(key="only_this_report").set_value(True).run()  # back before asking: nothing changed
    assert list(at.session_state["scope_changes"]) == [1]


@pytest.mark.slow
def test_a_citation_opens_the_cited_report_whatever_the_sidebar_shows(two_reports):
    at = _new_app()
    assert at.selectbox(key="report").value == "ealing-2016-08-26"  # the sidebar is on Ealing
    _ask(at, "What did Harrow's 2017 report say about care leavers?")
    _assert_ok(at)
    ans = _conversation(at).last
    cited = [c for c in ans.citations if c.report == "harrow-2017-03-31"]
    assert cited and all(c.label.startswith("Harrow 2017 ") for c in ans.citations)
    citation = next(c for c in cited if c.paragraph is not None)  # a numbered paragraph: its page is drawn below
    where = next(t for t in _cited_texts(at) if citation.label in [b for b, _ in _read(t).buttons])
    _click_citation(at, where, citation.label)
    _assert_ok(at)
    popover = _card(at)

    from ui.resources import get_assistant

    para = get_assistant().passage(citation.passage_label, report="harrow-2017-03-31")
    card = " ".join(_texts(popover.markdown))
    assert "Harrow 2017" in card and "published 31 March 2017" in card  # the card names its report
    assert "Ealing" not in card
    flat = " ".join(card.split()).replace("**:orange-background[", "").replace("]**", "")
    assert " ".join(para.text.split())[:80] in flat
    if ans.highlights.get(citation.label):
        assert any(":orange-background[" in m.value for m in popover.markdown)  # the used sentences, marked
    assert [c.value for c in popover.code] == [
        f"Ofsted, Harrow children's services inspection, published 31 March 2017, {citation.passage_label}"]
    # the report came from a PDF: the page that holds the paragraph, drawn, with its number
    page = next(e for e in popover.expander if e.label.startswith("Page "))
    number = int(page.label.split()[1])
    assert len(page.image) == 1 and page.image[0].captions == [f"Page {number}"]
    assert " ".join(para.text.split()[:8]) in _pdf_page_text(HARROW_PDF, number)

    at.button(key=f"{where.key}_card_reader").click().run()
    _assert_ok(at)
    assert at.session_state["reader_report"] == "harrow-2017-03-31"
    assert at.session_state["reader_focus"] == citation.passage_label
    assert at.selectbox(key="report").value == "ealing-2016-08-26"  # reading changes no answer scope


@pytest.mark.slow
def test_each_inline_citation_opens_its_own_reports_paragraph_with_two_reports_cited(two_reports):
    """The worst failure: a citation opening another report's paragraph. An answer citing both reports,
    every button clicked in turn."""
    from ui.resources import get_assistant

    at = _new_app()
    _ask(at, "What was the overall judgement?")
    _assert_ok(at)
    ans = _conversation(at).last
    by_label = {c.label: c for c in ans.citations}
    assert {c.report for c in ans.citations} == {"ealing-2016-08-26", "harrow-2017-03-31"}
    clicks = [(t.key, label, name) for t in _cited_texts(at) for label, name in _read(t).buttons]
    assert {label for _, label, _ in clicks} == set(by_label)
    for key, label, name in clicks:
        citation = by_label[label]
        report = get_assistant().catalogue.reports[citation.report]
        what = f"paragraph {citation.paragraph}" if citation.paragraph else citation.passage_label
        assert name == f"Open {what} of {report.name}"  # what a screen reader says: the citation's own report
        _click_citation(at, next(t for t in _cited_texts(at) if t.key == key), label)
        _assert_ok(at)
        card = _card(at)
        assert card.proto.dialog.title == f"{what[0].upper()}{what[1:]} of {report.name}"
        para = get_assistant().passage(citation.passage_label, report=citation.report)
        shown = " ".join(" ".join(_texts(card.markdown)).split()).replace("**:orange-background[", "").replace("]**", "")
        assert report.name in shown and " ".join(para.text.split())[:80] in shown, (label, shown[:300])
        assert [c.value for c in card.code] == [
            f"Ofsted, {report.authority} children's services inspection, published "
            f"{'26 August 2016' if report.authority == 'Ealing' else '31 March 2017'}, {citation.passage_label}"]


@pytest.mark.slow
def test_a_question_naming_no_authority_answered_from_one_report_says_which(two_reports):
    at = _new_app()
    _ask(at, "What did the 2017 report say about care leavers?")  # only Harrow's was published in 2017
    _assert_ok(at)
    ans = _conversation(at).last
    assert ans.reports == ["harrow-2017-03-31"] and ans.answer.startswith("From Harrow 2017: ")
