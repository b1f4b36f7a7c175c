"""End to end: the real app in headless Chromium (Debian's), driven by Playwright.

Asks a question, checks the streamed answer and its citation, opens the cited
paragraph, saves a screenshot, and prints cold start and time to first token.

Needs /usr/bin/chromium and the `playwright` package: scripts/install-browser.sh.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_server_module():
    """tests/browser/server.py by path: works however pytest sets up sys.path."""
    spec = importlib.util.spec_from_file_location("ofsted_browser_server", ROOT / "tests" / "browser" / "server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_server = _load_server_module()
CHROMIUM, CHROMIUM_ARGS, StreamlitServer = _server.CHROMIUM, _server.CHROMIUM_ARGS, _server.StreamlitServer
ARTIFACTS = ROOT / "tests" / "artifacts"
QUESTION = "How long did care proceedings take on average?"
IN_CI = bool(os.environ.get("CI"))

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not Path(CHROMIUM).exists() and not IN_CI:
    pytest.skip(
        f"{CHROMIUM} is missing (run scripts/install-browser.sh); in CI this test must run",
        allow_module_level=True,
    )
if not IN_CI:
    pytest.importorskip("playwright.sync_api", reason="playwright missing: run scripts/install-browser.sh")


def _artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)  # git-ignored (see .gitignore)
    return ARTIFACTS


@contextlib.contextmanager
def _chromium_page(url: str, viewport: dict):
    """A page of Debian's headless Chromium, opened at ``url``, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=viewport)
            page.set_default_timeout(60_000)
            page.goto(url, wait_until="domcontentloaded")
            yield page
        finally:
            browser.close()


def _report_paragraph(number: int) -> str:
    """The text of numbered paragraph ``number`` as it stands in the report source."""
    for line in (ROOT / "data" / "ealing-2016.md").read_text(encoding="utf-8").splitlines():
        m = re.match(rf"^{number}\.\s+(.*)", line)
        if m:
            return m.group(1)
    return ""


# The last chat message is the assistant's and shows streamed answer text (not
# just the "Searching the report…" status caption).
FIRST_TOKEN_JS = """
() => {
  const msgs = document.querySelectorAll('[data-testid="stChatMessage"]');
  if (msgs.length < 2) return false;
  const last = msgs[msgs.length - 1];
  if (!last.querySelector('[data-testid="stChatMessageAvatarAssistant"]')) return false;
  const prev = msgs[msgs.length - 2];
  if (!prev.querySelector('[data-testid="stChatMessageAvatarUser"]')) return false;
  for (const md of last.querySelectorAll('[data-testid="stMarkdownContainer"]')) {
    if (md.closest('[data-testid="stCaptionContainer"]')) continue;
    if (md.innerText.trim().length > 0) return true;
  }
  return false;
}
"""


def test_ask_and_open_an_inline_citation_in_chromium():
    from playwright.sync_api import expect

    out = _artifacts()
    server = StreamlitServer(ROOT, out / "streamlit-server.log").start()
    try:
        health_s = server.wait_healthy(timeout=180)
        with _chromium_page(server.url, {"width": 1280, "height": 900}) as page:
            chat_box = page.get_by_test_id("stChatInputTextArea")
            # Page ready: the first script run finished (Assistant loaded) and the chat
            # input is live; an error alert instead fails at once, with the server log.
            ready_or_error = chat_box.or_(page.get_by_test_id("stAlertContentError"))
            expect(ready_or_error.first).to_be_visible(timeout=240_000)
            if page.get_by_test_id("stAlertContentError").count():
                pytest.fail(
                    "the app showed an error on start: "
                    f"{page.get_by_test_id('stAlertContentError').first.inner_text()}\n{server.log_tail()}"
                )
            expect(page.get_by_role("heading", name="Ofsted report assistant — Ealing 2016")).to_be_visible()
            expect(chat_box).to_be_enabled(timeout=240_000)
            expect(page.get_by_text("Try one of these")).to_be_visible(timeout=240_000)
            # screen readers hear plain names: no "forum icon" before the tab, a short name for the chat box
            expect(page.get_by_role("tab", name="Ask a question", exact=True)).to_be_visible()
            expect(page.get_by_role("textbox", name="Ask a question about the report", exact=True)).to_be_visible()
            assert not page.locator('[role=img][aria-label$=" icon"]').count()
            cold_start_s = time.perf_counter() - server.started_at
            # a desktop keeps the settings open beside the chat (initial_sidebar_state="auto")
            sidebar = page.get_by_test_id("stSidebar").bounding_box()
            assert sidebar and sidebar["x"] >= 0 and sidebar["width"] >= 200, sidebar

            chat_box.fill(QUESTION)
            asked_at = time.perf_counter()
            chat_box.press("Enter")
            page.wait_for_function(FIRST_TOKEN_JS, polling=25, timeout=120_000)
            first_token_s = time.perf_counter() - asked_at

            answer = page.get_by_test_id("stChatMessage").last
            expect(answer).to_contain_text("28 weeks", timeout=120_000)
            expect(answer).to_contain_text(re.compile(r"\[¶\d+\]"))
            # the answer is complete once its citations are buttons in its text, named for screen readers
            citations = answer.get_by_role("button", name=re.compile(r"^Open paragraph \d+ of Ealing 2016$"))
            expect(citations.first).to_be_visible(timeout=120_000)
            answered_s = time.perf_counter() - asked_at
            expect(answer.get_by_test_id("stPopover")).to_have_count(0)  # no second row of the same citations

            labels = [b.inner_text().strip("[]") for b in citations.all()]
            label = "¶46" if "¶46" in labels else labels[0]
            number = int(label.lstrip("¶"))
            inline = answer.get_by_role("button", name=f"Open paragraph {number} of Ealing 2016").first
            expect(inline).to_have_text(f"[{label}]")  # it reads as the citation, where the claim is
            inline.focus()
            page.keyboard.press("Enter")  # a keyboard opens it as a click does

            card = page.get_by_role("dialog", name=f"Paragraph {number} of Ealing 2016")
            expect(card).to_be_visible(timeout=60_000)
            expect(card).to_contain_text("Ofsted, Ealing children's services inspection, published 26 August 2016")
            expect(card).to_contain_text(f"Paragraph {number}")
            expected = " ".join(_report_paragraph(number).split()[:12])
            assert expected, f"paragraph {number} not found in the report source"
            expect(card).to_contain_text(expected)
            highlighted = card.locator(".stMarkdownColoredBackground")  # the sentences the answer used
            expect(highlighted.first).to_be_visible()
            if label == "¶46":
                expect(highlighted.filter(has_text="28 weeks")).to_have_count(1)
            expect(page.get_by_test_id("stChatMessage").first).to_contain_text(QUESTION)  # the conversation stays
            page.screenshot(path=str(out / "browser-inline-citation-card.png"))

            page.keyboard.press("Escape")
            expect(card).to_be_hidden()
            expect(inline).to_be_focused()  # back where the reader was, not at the top of the page

            # A screen tall enough for title, question, answer and the opened paragraph.
            page.set_viewport_size({"width": 1280, "height": 1600})
            page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0)")
            page.wait_for_timeout(500)  # let the layout settle before the screenshot
            shot = out / "browser-answer.png"
            page.screenshot(path=str(shot), full_page=True)
    finally:
        server.stop()

    print(
        f"\nserver healthy: {health_s:.2f}s | cold start (server start -> page ready): {cold_start_s:.2f}s"
        f" | time to first streamed token: {first_token_s:.2f}s | full answer: {answered_s:.2f}s"
        f" | screenshot: {shot}"
    )
    assert shot.exists() and shot.stat().st_size > 10_000


def test_a_phone_sees_the_chat_not_the_sidebar_and_gets_a_cited_answer_in_chromium():
    """390 x 844 (a phone): the sidebar starts closed and opens on demand; the chat box takes a question."""
    from playwright.sync_api import expect

    out = _artifacts()
    server = StreamlitServer(ROOT, out / "streamlit-server-phone.log").start()
    try:
        server.wait_healthy(timeout=180)
        with _chromium_page(server.url, {"width": 390, "height": 844}) as page:
            chat_box = page.get_by_test_id("stChatInputTextArea")
            expect(chat_box).to_be_enabled(timeout=240_000)
            # closed: off the screen to the left, with the button that opens it
            expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()
            sidebar = page.get_by_test_id("stSidebar").bounding_box()
            assert sidebar is None or sidebar["x"] + sidebar["width"] <= 0, f"the sidebar covers the chat: {sidebar}"
            box = chat_box.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844, box

            chat_box.fill(QUESTION)
            chat_box.press("Enter")
            answer = page.get_by_test_id("stChatMessage").last
            expect(answer).to_contain_text("28 weeks", timeout=120_000)
            citation = answer.get_by_role("button", name=re.compile(r"^Open paragraph \d+ of Ealing 2016$")).first
            expect(citation).to_be_visible(timeout=120_000)
            expect(chat_box).to_be_enabled(timeout=60_000)  # ready for the next question
            page.screenshot(path=str(out / "browser-phone-answer.png"), full_page=True)
            # the citation flows with the text: on the screen, and no taller than a line of it
            box = citation.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] < 40, box
            citation.click()
            card = page.get_by_role("dialog", name=re.compile(r"^Paragraph \d+ of Ealing 2016$"))
            expect(card.get_by_test_id("stCode")).to_contain_text("Ofsted, Ealing", timeout=60_000)  # the line to copy
            shown = card.bounding_box()
            assert shown and shown["x"] >= 0 and shown["x"] + shown["width"] <= 390, shown
            page.screenshot(path=str(out / "browser-phone-citation-card.png"))
            page.keyboard.press("Escape")
            expect(card).to_be_hidden()

            page.get_by_test_id("stExpandSidebarButton").click()  # the settings are still there when wanted
            expect(page.get_by_test_id("stSidebar")).to_contain_text("Sources per answer")
    finally:
        server.stop()


def test_a_loading_message_then_the_chat_box_after_a_server_start_in_chromium():
    """The model and index load as the server starts (serve.py), not when the first visitor comes; that
    visitor sees the loading message or the chat box at once, never a blank page for long. Prints timings."""
    from playwright.sync_api import expect

    from ui.resources import LOADING

    out = _artifacts()
    server = StreamlitServer(ROOT, out / "streamlit-server-loading.log").start()
    try:
        health_s = server.wait_healthy(timeout=180)
        with _chromium_page(server.url, {"width": 1280, "height": 900}) as page:
            chat_box = page.get_by_test_id("stChatInputTextArea")
            expect(page.get_by_text(LOADING).or_(chat_box).first).to_be_visible(timeout=240_000)
            shown_s = time.perf_counter() - server.started_at
            loading_seen = page.get_by_text(LOADING).count() > 0
            if loading_seen:
                page.screenshot(path=str(out / "browser-loading.png"))
            expect(chat_box).to_be_enabled(timeout=240_000)
            ready_s = time.perf_counter() - server.started_at
            expect(page.get_by_text(LOADING)).to_have_count(0)  # cleared once loaded
        deadline = time.perf_counter() + 240
        while "assistant loaded at server start" not in server.log_tail(200) and time.perf_counter() < deadline:
            time.sleep(0.5)
        assert "assistant loaded at server start" in server.log_tail(200), server.log_tail()
    finally:
        server.stop()
    print(f"\nserver healthy: {health_s:.2f}s | loading message or chat box shown: {shown_s:.2f}s"
          f" ({'loading message' if loading_seen else 'chat box'}) | chat box ready: {ready_s:.2f}s (from server start)")


PDFS = ROOT.parent / "shared" / "ofsted" / "pdfs"
HARROW_PDF = PDFS / "harrow" / "2017-03-31.pdf"
# Ealing and two reports on Harrow: a question names its authority, and Harrow has a history to chart.
SEVERAL_REPORTS = [ROOT / "data" / "ealing-2016.md", HARROW_PDF, PDFS / "harrow" / "2020-03-16.pdf"]


@pytest.fixture(scope="module")
def several_reports(tmp_path_factory):
    """One server over its own index of SEVERAL_REPORTS (built as it starts), shared by this module's tests."""
    import json

    if not all(p.is_file() for p in SEVERAL_REPORTS) and not IN_CI:
        pytest.skip(f"the Ofsted corpus is not beside the project ({PDFS})")
    env = {"ASSISTANT_INDEX_DIR": str(tmp_path_factory.mktemp("index")),
           "ASSISTANT_REPORTS": json.dumps([str(p) for p in SEVERAL_REPORTS])}
    server = StreamlitServer(ROOT, _artifacts() / "streamlit-server-several.log", env=env).start()
    try:
        server.wait_healthy(timeout=180)
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def _ready_page(server, viewport: dict):
    """A page of ``server`` once its chat box takes questions (the first one waits for the index build)."""
    from playwright.sync_api import expect

    with _chromium_page(server.url, viewport) as page:
        expect(page.get_by_test_id("stChatInputTextArea")).to_be_enabled(timeout=600_000)
        yield page


def test_a_citation_opens_the_cited_report_in_chromium(several_reports):
    """Several reports loaded, the sidebar on Ealing: a citation of Harrow opens Harrow's paragraph, named,
    with its citation to copy."""
    from playwright.sync_api import expect

    from ingest import parse_path

    out = _artifacts()
    with _ready_page(several_reports, {"width": 1280, "height": 1400}) as page:
        chat_box = page.get_by_test_id("stChatInputTextArea")
        expect(page.get_by_test_id("stSidebar")).to_contain_text("Ealing 2016")  # the sidebar's report

        chat_box.fill("What did Harrow's 2017 report say about care leavers?")
        chat_box.press("Enter")
        answer = page.get_by_test_id("stChatMessage").last
        citations = answer.get_by_role("button", name=re.compile(r"^Open paragraph \d+ of Harrow 2017$"))
        expect(citations.first).to_be_visible(timeout=120_000)
        label = citations.first.inner_text().strip("[]")  # "Harrow 2017 ¶12", as the answer cites it
        assert label.startswith("Harrow 2017 ¶"), label
        citations.first.click()

        card = page.get_by_role("dialog", name=f"Paragraph {label.rsplit('¶', 1)[1]} of Harrow 2017")
        expect(card).to_be_visible(timeout=60_000)
        expect(card).to_contain_text(f"Paragraph {label.rsplit('¶', 1)[1]}")
        expect(card).to_contain_text("Harrow 2017")
        expect(card).to_contain_text("published 31 March 2017")
        expect(card).not_to_contain_text("Ealing 2016")
        expect(card.get_by_text("Copy citation", exact=True)).to_be_visible()
        expect(card.get_by_test_id("stCode")).to_contain_text("Harrow")  # the line to paste, of Harrow's report
        number = int(label.rsplit("¶", 1)[1])
        harrow = next(p for p in parse_path(HARROW_PDF).paragraphs if p.number == number)
        expect(card).to_contain_text(" ".join(harrow.text.split()[:12]))  # Harrow's paragraph, not Ealing's
        page_of_pdf = card.get_by_text(re.compile(r"^Page \d+ of the report \(PDF\)$"))
        expect(page_of_pdf).to_be_visible()
        page_of_pdf.click()
        expect(card.get_by_test_id("stImage").locator("img")).to_be_visible(timeout=30_000)  # the page, drawn
        page.screenshot(path=str(out / "browser-several-reports-citation.png"), full_page=True)
        card.get_by_role("button", name="Read in context").click()  # from the dialog, the whole page moves
        expect(card).to_be_hidden()
        expect(page.get_by_role("tab", name="Read the report", selected=True)).to_be_visible(timeout=60_000)


def test_the_answer_leads_and_folds_the_rest_in_chromium(several_reports):
    """The sentence that answers comes first; the evidence under it is folded in "N more passages"."""
    from playwright.sync_api import expect

    with _ready_page(several_reports, {"width": 1280, "height": 1400}) as page:
        page.get_by_role("button", name="How long did care proceedings take on average in Ealing?").click()
        answer = page.get_by_test_id("stChatMessage").last
        expect(answer).to_contain_text("28 weeks", timeout=120_000)
        folded = answer.get_by_test_id("stExpander").filter(has_text=re.compile(r"\d+ more passages? behind this answer"))
        expect(folded).to_have_count(1, timeout=120_000)
        lead = answer.locator(".answer").first  # the answer's text, its citations buttons (ui/inline.py)
        expect(lead).to_contain_text("28 weeks")  # the figure asked for, above the fold
        rest = folded.get_by_test_id("stExpanderDetails")
        expect(rest).to_be_hidden()
        folded.locator("summary").click()
        expect(rest).to_be_visible()
        expect(rest).to_contain_text(re.compile(r"\[[^\]]*¶\d+\]"))  # the evidence keeps its citations, clickable
        expect(rest.get_by_role("button", name=re.compile(r"^Open paragraph \d+ of Ealing 2016$")).first).to_be_visible()
        page.wait_for_timeout(500)  # let the expander's opening settle before the screenshot
        page.screenshot(path=str(_artifacts() / "browser-answer-lead-folded.png"), full_page=True)


def test_reports_tab_one_authority_charted_in_chromium(several_reports):
    """The Reports tab filtered to one authority: its reports only, and its grades over time drawn."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    with _ready_page(several_reports, {"width": 1280, "height": 1600}) as page:
        page.get_by_role("tab", name="Reports", exact=True).click()
        expect(page.get_by_text("Showing 3 of 3 reports")).to_be_visible(timeout=120_000)
        authority = page.get_by_test_id("stMultiSelect").filter(has_text="Authority").first
        # The tab's first reruns can redraw the list while it is open and drop the choice: choose again
        # until the table shows it (at most three times).
        for attempt in range(3):
            try:
                authority.click()
                page.get_by_role("option", name="Harrow", exact=True).click(timeout=20_000)
                page.keyboard.press("Escape")  # close the list of options
                expect(page.get_by_text("Showing 2 of 3 reports")).to_be_visible(timeout=20_000)
                break
            except (AssertionError, PlaywrightTimeout):
                if attempt == 2:
                    raise
                page.keyboard.press("Escape")
        history = page.get_by_test_id("stVegaLiteChart").first
        expect(history).to_be_visible(timeout=60_000)
        expect(history.locator("canvas, svg").first).to_be_visible(timeout=60_000)  # drawn, not a blank frame
        expect(page.get_by_role("combobox", name="Authority to chart")).to_have_value("Harrow")
        history.scroll_into_view_if_needed()
        page.screenshot(path=str(_artifacts() / "browser-reports-one-authority.png"), full_page=True)
