"""Scale: a synthetic corpus of report-like paragraphs, to show how latency, memory and size grow.

Paragraphs are made of real sentences of the Ealing report, shuffled (seeded). Their vectors are
the real sentence vectors already in the index, so the figures measure the index and retrieval,
not the hours it would take to embed 600,000 windows on two cores (ingest throughput is measured
on the real report instead). Batches are upserted by id, so an interrupted build resumes.
"""

from __future__ import annotations

import json
import random
import resource
import time
from pathlib import Path

import numpy as np

from bench.run import QUESTIONS, median_ms, percentile_ms
from ingest import split_sentences

PER_REPORT = 150
BATCH = 5000


def _sentences(bot) -> tuple[list[str], np.ndarray]:
    real = {"$and": [{"kind": "sentence"}, {"section": {"$ne": "Synthetic"}}]}  # the same pool on every run
    got = bot.index.store.get(where=real, include=["metadatas", "embeddings"])
    passages = {p.key: split_sentences(p.text) for p in bot.index.paragraphs()}  # a sentence window keeps no text
    kept = [(passages[key][m["i"]], vector) for m, vector in zip(got["metadatas"], got["embeddings"])
            if (key := f"{m['report']}:{m['label']}") in passages and m["i"] < len(passages[key])]
    return [text for text, _ in kept], np.asarray([vector for _, vector in kept], dtype=np.float32)


def _records(n: int, texts: list[str], vectors: np.ndarray, seed: int = 7):
    """(id, text, vector, metadata) for n synthetic paragraphs and their sentence windows."""
    rng = random.Random(seed)
    for i in range(n):
        report, number = f"synthetic-{i // PER_REPORT:05d}", i % PER_REPORT + 1
        picks = rng.sample(range(len(texts)), rng.randint(3, 8))
        label = f"¶{number}"
        base = {"report": report, "label": label, "paragraph": number, "section": "Synthetic", "area": "general",
                "order": number, "tokens": 0}
        mean = vectors[picks].mean(axis=0)
        yield f"{report}:{label}:p", " ".join(texts[j] for j in picks), mean / np.linalg.norm(mean), {**base, "kind": "paragraph"}
        for s, j in enumerate(picks):
            yield f"{report}:{label}:s{s}", texts[j], vectors[j], {**base, "kind": "sentence", "i": s}


def build(bot, n: int) -> float:
    """Upsert n synthetic paragraphs into the bot's index in batches; returns seconds spent."""
    texts, vectors = _sentences(bot)
    collection = bot.index.store._collection
    started = time.perf_counter()
    batch: list = []
    for record in _records(n, texts, vectors):
        batch.append(record)
        if len(batch) >= BATCH:
            _flush(collection, batch)
            batch = []
    if batch:
        _flush(collection, batch)
    reports = sorted({f"synthetic-{i // PER_REPORT:05d}" for i in range(n)})
    bot.index.manifest.upsert(
        ids=reports, documents=[json.dumps({"title": r, "judgements": []}) for r in reports], embeddings=[[0.0]] * len(reports)
    )
    return time.perf_counter() - started


def _flush(collection, batch: list) -> None:
    ids = [r[0] for r in batch]
    if len(collection.get(ids=[ids[0], ids[-1]], include=[])["ids"]) == 2:
        return  # already there from an interrupted run
    collection.upsert(
        ids=ids,
        documents=[r[1] if r[0].endswith(":p") else None for r in batch],  # as a real report's are stored
        embeddings=[r[2].tolist() for r in batch],
        metadatas=[r[3] for r in batch],
    )


def _dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def bench_scale(bot, sizes: list[int], work: Path, repeats: int) -> list[dict]:
    """Retrieval latency, load time, memory and index size at each corpus size."""
    from assistant import Assistant, Settings

    figures = []
    for n in sorted(sizes):
        settings = Settings(index_dir=work / f"n{n}")
        target = Assistant(settings, embeddings=bot.embeddings)  # holds the real report too
        build_s = build(target, n)
        started = time.perf_counter()
        loaded = Assistant(settings, embeddings=bot.embeddings)
        load_s = time.perf_counter() - started
        samples = []
        for _ in range(repeats):
            for q in QUESTIONS:
                started = time.perf_counter()
                loaded.retrieve(q, 6)
                samples.append(time.perf_counter() - started)
        figures.append(
            {
                "paragraphs": n,
                "windows": loaded.index.count(),
                "build_s": build_s,
                "load_s": load_s,
                "retrieve_p50_ms": median_ms(samples),
                "retrieve_p95_ms": percentile_ms(samples, 0.95),
                "index_mb": _dir_mb(work / f"n{n}"),
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
        print(f"scale {n:,}: {figures[-1]}", flush=True)
    return figures


__all__ = ["bench_scale", "build"]
