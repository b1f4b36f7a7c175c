"""Flows of the Streamlit app (app.py), driven by streamlit.testing.v1.AppTest.

These use the real Assistant and its local index: the first test pays for
loading it (st.cache_resource shares it with the rest of this process).
"""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the app's own packages (ui/)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import re

import pytest

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from conftest import assert_app_ok, open_app

ROOT = Path(__file__).resolve().parents[1]
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


def test_ask_shows_answer_with_citation(asked: AppTest):
    answers = _assistant_messages(asked)
    assert answers, "no assistant message"
    text = " ".join(_texts(answers[-1].markdown))
    assert "28 weeks" in text
    assert re.search(r"\[¶\d+\]", text), text
    ans = _conversation(asked).last
    assert ans.citations
    # every citation is a control under the answer
    pills = asked.pills(key="cite_0_0")
    assert [ _unescape(o) for o in pills.options ] == list(dict.fromkeys(c.label for c in ans.citations))
    # the sources can be expanded, with their scores
    assert any(e.label.startswith("Sources behind this answer") for e in asked.expander)
    assert any("score" in t for t in _texts(answers[-1].markdown))


def test_open_citation_shows_paragraph_with_highlight_and_neighbours(asked: AppTest):
    from ui.resources import get_assistant

    ans = _conversation(asked).last
    label = next((c.label for c in ans.citations if c.label == "¶46"), ans.citations[0].label)
    asked.pills(key="cite_0_0").set_value(label).run()
    _assert_ok(asked)

    para = get_assistant().passage(label)
    shown = " ".join(_texts(asked.markdown))
    flat = " ".join(shown.split())
    assert " ".join(para.text.split())[:80] in flat.replace("**:orange-background[", "").replace("]**", "")
    assert any(para.section.split(" > ")[-1] in _unescape(c.value) for c in asked.caption)
    if ans.highlights.get(label):
        assert any(":orange-background[" in m.value for m in asked.markdown)
    # neighbours by document order
    keys = {b.key for b in asked.button}
    assert "view_0_0_next" in keys or "view_0_0_prev" in keys
    if "view_0_0_next" in keys:
        asked.button(key="view_0_0_next").click().run()
        _assert_ok(asked)
        view = asked.session_state["view_0_0"]
        assert view != label
        nxt = get_assistant().passage(view)
        assert nxt.order > para.order


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
    exports = [d for d, name in recorded if name and name.endswith(".md")]
    assert exports, recorded
    content = exports[-1].decode("utf-8") if isinstance(exports[-1], bytes) else exports[-1]
    assert content == _conversation(asked).to_markdown()
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
    at.pills(key="cite_0_0").set_value(label).run()
    at.button(key="view_0_0_reader").click().run()
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
    assert not [p for p in at.pills if p.key == "cite_0_0"]


def test_sources_slider_sets_k_of_the_conversation():
    at = _new_app()
    at.sidebar.slider(key="k").set_value(3).run()
    _assert_ok(at)
    assert _conversation(at).k == 3
    _ask(at, QUESTION)
    _assert_ok(at)
    assert len(_conversation(at).last.sources) <= 3


HARROW_PDF = ROOT.parent / "shared" / "ofsted" / "pdfs" / "harrow" / "2017-03-31.pdf"


@pytest.fixture
def two_reports(tmp_path, monkeypatch):
    """The app over its own index of two reports (Ealing 2016 and Harrow 2017), then back to the default."""
    import os

    from conftest import app_over_index

    if not HARROW_PDF.is_file() and not os.environ.get("CI"):
        pytest.skip(f"the Ofsted corpus is not beside the project ({HARROW_PDF})")
    yield from app_over_index(monkeypatch, tmp_path / "index", [ROOT / "data" / "ealing-2016.md", HARROW_PDF])


@pytest.mark.slow
def test_answers_can_be_limited_to_the_report_chosen(two_reports):
    at = _new_app()
    assert at.title[0].value == "Ofsted report assistant — 2 reports"
    _ask(at, "What was the overall judgement?")
    _assert_ok(at)
    both = _texts(_assistant_messages(at)[-1].markdown)[0]
    assert "Ealing 2016" in both and "Harrow 2017" in both  # every loaded report, each under its name

    at.selectbox(key="report").set_value("harrow-2017-03-31").run()
    at.toggle(key="only_this_report").set_value(True).run()
    assert not at.session_state["conversation"].turns  # another scope: a new conversation
    _ask(at, "What was the overall judgement?")
    _assert_ok(at)
    one = _texts(_assistant_messages(at)[-1].markdown)[0]
    assert "Harrow 2017 Judgements" in one and "Ealing" not in one


@pytest.mark.slow
def test_a_citation_opens_the_cited_report_whatever_the_sidebar_shows(two_reports):
    at = _new_app()
    assert at.selectbox(key="report").value == "ealing-2016-08-26"  # the sidebar is on Ealing
    _ask(at, "What did Harrow's 2017 report say about care leavers?")
    _assert_ok(at)
    ans = _conversation(at).last
    cited = [c for c in ans.citations if c.report == "harrow-2017-03-31"]
    assert cited and all(c.label.startswith("Harrow 2017 ") for c in ans.citations)
    citation = cited[0]
    at.pills(key="cite_0_0").set_value(citation.label).run()
    _assert_ok(at)

    from ui.resources import get_assistant

    para = get_assistant().passage(citation.passage_label, report="harrow-2017-03-31")
    card = " ".join(_texts(at.markdown))
    assert "Harrow 2017" in card and "published 31 March 2017" in card  # the card names its report
    flat = " ".join(card.split()).replace("**:orange-background[", "").replace("]**", "")
    assert " ".join(para.text.split())[:80] in flat
    if ans.highlights.get(citation.label):
        assert any(":orange-background[" in m.value for m in at.markdown)  # the used sentences, marked

    at.button(key="view_0_0_reader").click().run()
    _assert_ok(at)
    assert at.session_state["reader_report"] == "harrow-2017-03-31"
    assert at.session_state["reader_focus"] == citation.passage_label
    assert at.selectbox(key="report").value == "ealing-2016-08-26"  # reading changes no answer scope


@pytest.mark.slow
def test_a_question_naming_no_authority_answered_from_one_report_says_which(two_reports):
    at = _new_app()
    _ask(at, "What did the 2017 report say about care leavers?")  # only Harrow's was published in 2017
    _assert_ok(at)
    ans = _conversation(at).last
    assert ans.reports == ["harrow-2017-03-31"] and ans.answer.startswith("From Harrow 2017: ")
