"""Writers and readers of one index: one writer at a time, and readers in other processes that pick up
each new version whole, without restarting and without "Error finding id"."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant import Assistant, IndexUnavailable, Settings
from ingest import parse_path
from tests.conftest import ROOT
from tests.retrieval.test_identity import CAMBS_2019, CAMBS_2024, STOCKTON_2019, needs_corpus

pytestmark = [pytest.mark.slow, needs_corpus]
REPORT = "cambridgeshire-2019-02-18"
# Plain questions a member of staff might ask; none is from a gold set.
QUESTIONS = [
    "What did inspectors say about care leavers?",
    "How well are children in care supported?",
    "What needs to improve?",
    "And what about leadership?",
    "How quickly are referrals dealt with?",
    "What about the workforce?",
]


def _versions(tmp_path: Path) -> tuple[Path, Path]:
    """Two files that claim the same report id: the real 2019 report and, in its place, the 2024 one."""
    first, second = tmp_path / "v1" / "cambridgeshire" / "2019-02-18.pdf", tmp_path / "v2" / "cambridgeshire" / "2019-02-18.pdf"
    for source, copy in ((CAMBS_2019, first), (CAMBS_2024, second)):
        copy.parent.mkdir(parents=True)
        shutil.copyfile(source, copy)
    return first, second


def _writer(index_dir: Path, *paths: Path) -> subprocess.Popen:
    """Another process re-ingesting (with --replace) each path in turn, as staff updating reports would."""
    steps = "; ".join(f"bot.ingest({str(p)!r}, replace=True)" for p in paths)
    code = f"from assistant import Assistant, Settings; bot = Assistant(Settings(reports=[])); {steps}"
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(index_dir)}
    return subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _reader(index_dir: Path, embeddings) -> Assistant:
    return Assistant(Settings(index_dir=index_dir, reports=[], index_check_seconds=0), embeddings=embeddings)


def test_a_second_writer_waits_and_then_gives_up_clearly(tmp_path, embeddings):
    bot = _reader(tmp_path / "index", embeddings)
    bot.ingest(STOCKTON_2019)
    count = bot.index.count()
    with (tmp_path / "index" / ".writer.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as another ingest holds it
        waiting = bot.settings.model_copy(update={"writer_wait_seconds": 0.5})
        bot.settings = waiting
        started = time.monotonic()
        with pytest.raises(IndexUnavailable, match="another ingest has been writing"):
            bot.ingest(CAMBS_2019)
        assert time.monotonic() - started >= 0.5
    assert bot.index.count() == count and [r.id for r in bot.reports()] == ["stockton-on-tees-2019-07-01"]
    assert bot.ingest(CAMBS_2019).outcome == "indexed"  # the lock released, the next writer goes on


def test_a_reader_picks_up_another_process_s_writes_without_restarting(tmp_path, embeddings):
    first, second = _versions(tmp_path)
    bot = _reader(tmp_path / "index", embeddings)
    bot.ingest(first)
    before = bot.ask("What did inspectors say about care leavers?")
    writer = _writer(tmp_path / "index", STOCKTON_2019, second)
    assert writer.wait(timeout=600) == 0, writer.stderr.read()
    assert {r.id for r in bot.reports()} == {REPORT, "stockton-on-tees-2019-07-01"}
    assert bot.reports()[0].inspection_start.startswith("2024")  # the replaced version, not the one loaded first
    after = bot.ask("What did inspectors say about care leavers?")  # the old vectors were deleted under it
    new_text = {p.label: p.text for p in parse_path(second).paragraphs}
    assert after.citations and before.citations
    assert all(s.text == new_text[s.passage_label or s.label] for s in after.sources if s.report == REPORT)


def test_eight_sessions_asking_while_a_report_is_replaced_see_whole_versions(tmp_path, embeddings):
    first, second = _versions(tmp_path)
    texts = [{p.label: p.text for p in parse_path(path).paragraphs} for path in (first, second)]
    bot = _reader(tmp_path / "index", embeddings)
    bot.ingest(first)
    writer = _writer(tmp_path / "index", second, first, second)
    answers, errors = [], []

    def session(turn: int) -> None:
        conversation = bot.chat()
        while writer.poll() is None or len(answers) < 16:
            try:
                answers.append(conversation.ask(QUESTIONS[turn % len(QUESTIONS)]))
            except Exception as error:  # noqa: BLE001 - every failure is the finding
                errors.append(repr(error))
            turn += 1

    sessions = [threading.Thread(target=session, args=(n,)) for n in range(8)]
    for thread in sessions:
        thread.start()
    for thread in sessions:
        thread.join(timeout=900)
    assert writer.returncode == 0, writer.stderr.read()
    assert not errors, errors[:3]
    assert len(answers) >= 16
    for answer in answers:  # each cited passage is whole from one version, never a mix within an answer
        cited = [(s.passage_label or s.label, s.text) for s in answer.sources if s.report == REPORT]
        versions = [{v for v, text in enumerate(texts) if text.get(label) == said} for label, said in cited]
        assert all(versions), f"a passage from neither version: {cited}"
        assert not versions or set.intersection(*versions), f"versions mixed in one answer: {cited}"
    assert bot.reports()[0].inspection_start.startswith("2024")
