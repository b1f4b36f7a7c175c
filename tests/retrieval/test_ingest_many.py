"""A run over many files parses the next file while it indexes this one: in the same order, with the
same outcomes, no child process left behind when it is interrupted, and no file parsed ahead that is
indexed already."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.retrieval import ingesting
from tests.conftest import REPORT


def _notes(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        paths.append(folder / f"note-{i}.md")
        paths[-1].write_text(f"# Note {i}\n\n1. Buy milk.\n2. Call the office.\n", encoding="utf-8")
    return paths


def _children() -> list[str]:
    return [pid for f in Path("/proc/self/task").glob("*/children") for pid in f.read_text().split()]


def test_each_file_in_order_each_parsed_once(fresh_bot, tmp_path, monkeypatch):
    notes = _notes(tmp_path, 4)
    started, seen = [], []
    start = ingesting.start_parsing
    monkeypatch.setattr(ingesting, "start_parsing", lambda to, path: started.append(path) or start(to, path))
    summary = fresh_bot.ingest_many(notes, on_file=lambda path, outcome: seen.append((path, outcome)))
    assert seen == [(path, "refused") for path in notes]
    assert [path for path, _ in summary.refused] == notes
    assert sorted(started) == notes  # the next one ahead of its turn, none twice
    assert not _children()


def test_an_interrupted_run_leaves_no_child_parsing(fresh_bot, tmp_path):
    notes = _notes(tmp_path, 3)

    def interrupt(path, outcome):
        assert _children()  # the next file is parsing already
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fresh_bot.ingest_many(notes, on_file=interrupt)
    assert not _children()


@pytest.mark.slow  # indexes the Ealing report (~5-10 s)
def test_a_file_indexed_already_is_not_parsed_ahead(fresh_bot, tmp_path, monkeypatch):
    fresh_bot.ingest(REPORT)
    started = []
    start = ingesting.start_parsing
    monkeypatch.setattr(ingesting, "start_parsing", lambda to, path: started.append(path) or start(to, path))
    note = _notes(tmp_path, 1)[0]
    summary = fresh_bot.ingest_many([note, REPORT])
    assert summary.skipped == [REPORT] and [path for path, _ in summary.refused] == [note]
    assert started == [note]
