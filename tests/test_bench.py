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


def test_table_reports_every_figure():
    results = {
        "ingest": {"ingest_s": 10.0, "passages_per_s": 15.2, "windows": 918, "encode_s": 8.5, "encode_share": 0.85},
        "warm": {"embed_p50_ms": 14.0, "retrieve_p50_ms": 20.0, "retrieve_p95_ms": 30.0, "answer_p50_ms": 35.0,
                 "answer_p95_ms": 50.0, "answer_over_embed": 2.5},
        "threads": {"embed_1_thread_p50_ms": 14.0, "embed_1_thread_p95_ms": 16.0, "embed_2_thread_p50_ms": 12.0,
                    "embed_2_thread_p95_ms": 400.0},
        "cold": {"cold_start_s": 9.1, "cold_start_peak_rss_mb": 650.0},
        "peak_rss_mb": 1000.0,
    }
    text = table(results)
    assert "85%" in text and "2.5x one embedding" in text and "9.10 s" in text
