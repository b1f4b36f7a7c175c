"""Shared fixtures: the real embedding model, loaded once, and real Chroma indexes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.retrieval.embeddings import load_embeddings
from langchain_core.embeddings import Embeddings

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "ealing-2016.md"


@pytest.fixture(scope="session")
def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def embeddings() -> Embeddings:
    return load_embeddings(Settings())


@pytest.fixture(scope="session")
def bot(embeddings) -> Assistant:
    """The embedded default: the project's own index, built on first use when missing."""
    return Assistant(embeddings=embeddings)


@pytest.fixture
def fresh_bot(tmp_path, embeddings) -> Assistant:
    """An assistant over an empty index in a temporary folder."""
    return Assistant(Settings(index_dir=tmp_path / "index"), embeddings=embeddings, ensure_reports=False)


def app_over_index(monkeypatch, index_dir: Path, reports: list[Path]) -> Iterator[None]:
    """The Streamlit app's cached assistant over its own index of ``reports``, then back to the default."""
    from ui.resources import get_assistant, get_judgements, get_report_view

    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index_dir))
    monkeypatch.setenv("ASSISTANT_REPORTS", json.dumps([str(p) for p in reports]))
    caches = (get_assistant, get_report_view, get_judgements)
    for cache in caches:
        cache.clear()
    yield
    for cache in caches:
        cache.clear()


def assert_app_ok(at) -> None:
    """No exception and no error element on an AppTest page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def open_app(tab: str | None = None, timeout: float = 180):
    """The Streamlit app run once in AppTest (on ``tab`` when given), checked for errors."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.run()
    if tab is not None:
        at.session_state["main_tab"] = tab
        at.run()
    assert_app_ok(at)
    return at


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalogue) with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
