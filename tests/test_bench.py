"""The benchmark's synthetic corpus: resumable batches that map back to passages like real ones."""

from __future__ import annotations

import pytest

from assistant import Assistant, Settings
from bench import scale
from bench.run import table

pytestmark = pytest.mark.slow  # builds a small real index (~10-30 s)


def test_synthetic_corpus_builds_resumably_and_is_searchable(tmp_path, embeddings, monkeypatch):
    monkeypatch.setattr(scale, "BATCH", 100)
    bot = Assistant(Settings(index_dir=tmp_path / "index"), embeddings=embeddings)
    real = bot.index.count()
    scale.build(bot, 300)
    grown = bot.index.count()
    assert grown > real + 300
    scale.build(bot, 300)  # a second run (as after an interruption) adds nothing
    assert bot.index.count() == grown
    reloaded = Assistant(Settings(index_dir=tmp_path / "index"), embeddings=embeddings)
    assert len(reloaded.paragraphs()) == len(bot.paragraphs()) + 300
    assert len(reloaded.retrieve("How long did care proceedings take on average?", 6)) == 6


def test_table_puts_each_figure_beside_its_limit_and_its_baseline():
    results = {
        "encoder": "torch-fp32",
        "ingest": {"ingest_s": 10.0, "passages_per_s": 15.2, "windows": 918, "encode_s": 8.0, "encode_share": 0.8},
        "warm": {"embed_p50_ms": 14.0, "retrieve_p50_ms": 20.0, "retrieve_p95_ms": 30.0, "answer_p50_ms": 35.0,
                 "answer_p95_ms": 50.0, "answer_over_embed": 2.5},
        "plain": {"chunks": 120, "ingest_s": 2.0, "search_p50_ms": 7.0},
        "threads": {"quiet_1_thread_s": 9.0, "quiet_2_threads_s": 5.0, "quiet_default_s": 5.1,
                    "busy_1_thread_s": 9.2, "busy_2_threads_s": 13.0, "busy_default_s": 9.4},
        "cold": {"cold_start_s": 9.1, "cold_start_peak_rss_mb": 650.0},
        "peak_rss_mb": 1000.0,
    }
    text = table(results)
    assert "1.25x the raw encode" in text and "<= 1.3x raw encode" in text
    assert "ours is 5.0x" in text and "our whole answer is 5.0x" in text
    assert "default 1.02x one thread" in text and "9.10 s" in text and "<= 3 s" in text
