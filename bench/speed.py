"""The speed figures of issue #17, each beside what it is measured against in the same run.

- the two encoders of the same model (fp32 torch, int8 ONNX) on the same windows and queries;
- threads: one, two, and the default (two unless another process keeps a core busy), quiet and busy;
- a plain LangChain + Chroma pipeline over the same report (1,000-character chunks, similarity_search);
- the whole corpus: warm answers scoped to one authority and unscoped, over an index already built
  (``--corpus-index``), and the memory of serving it;
- server start to the chat box in headless Chromium (``--browser``).
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import QUESTIONS, ROOT, median_ms, timed


@contextlib.contextmanager
def busy_core():
    """One other process keeping a core busy, as on a server where another job runs: started through
    a shell that exits at once, so it is not this process's child (``idle_cores`` counts a child's work
    as this process's own)."""
    started = subprocess.run(
        ["sh", "-c", f"'{sys.executable}' -c 'while True: pass' >/dev/null 2>&1 & echo $!"],
        capture_output=True, text=True, check=True,
    )
    hog = int(started.stdout.split()[-1])
    time.sleep(0.5)
    try:
        yield
    finally:
        os.kill(hog, signal.SIGKILL)


def bench_encoders(settings, texts: list[str]) -> dict:
    """Raw encode of the same windows and one query's embedding, fp32 torch against int8 ONNX."""
    from assistant.retrieval.embeddings import load_embeddings

    figures = {}
    for encoder in ("torch-fp32", "onnx-int8"):
        emb = load_embeddings(settings.model_copy(update={"encoder": encoder}))
        emb.embed_documents(texts[:32])  # warm
        figures[f"{encoder}_encode_s"] = timed(emb.embed_documents, texts)[0]
        figures[f"{encoder}_query_ms"] = median_ms([timed(emb.embed_query, q)[0] for q in QUESTIONS * 3])
    return figures


def bench_threads(embeddings, texts: list[str]) -> dict:
    """The same windows encoded on 1 thread, 2 threads and the default, on a quiet machine and with
    one core kept busy by another process."""
    chunks = [texts[i : i + 200] for i in range(0, len(texts), 200)]  # as ingest writes them

    def encode(threads: int | None) -> float:
        started = time.perf_counter()
        for chunk in chunks:
            if threads is None:
                embeddings.embed_documents(chunk)
            else:
                embeddings._encode(chunk, threads)
        return time.perf_counter() - started

    figures = {}
    for load, context in (("quiet", contextlib.nullcontext), ("busy", busy_core)):
        with context():
            for name, threads in (("1_thread", 1), ("2_threads", 2), ("default", None)):
                figures[f"{load}_{name}_s"] = encode(threads)
    return figures


def bench_plain_langchain(embeddings, report: Path, workdir: Path) -> dict:
    """The baseline a team would start from: 1,000-character chunks in Chroma, similarity_search."""
    from langchain_chroma import Chroma

    text = report.read_text(encoding="utf-8")
    chunks = [text[i : i + 1000] for i in range(0, len(text), 1000)]
    started = time.perf_counter()
    store = Chroma.from_texts(chunks, embeddings, persist_directory=str(workdir / "plain"), collection_name="plain")
    ingest_s = time.perf_counter() - started
    for q in QUESTIONS:
        store.similarity_search(q, k=6)
    search = [timed(store.similarity_search, q, k=6)[0] for q in QUESTIONS * 3]
    return {"chunks": len(chunks), "ingest_s": ingest_s, "search_p50_ms": median_ms(search)}


def bench_corpus(index_dir: Path, repeats: int) -> dict:
    """Warm answers over the whole corpus, scoped to one authority and not, and the memory of it."""
    from assistant import Assistant, Settings

    started = time.perf_counter()
    bot = Assistant(Settings(index_dir=index_dir), ensure_reports=False)
    load_s = time.perf_counter() - started
    authority = max(bot.reports(), key=lambda r: r.published_on).authority  # one with a recent report
    for q in QUESTIONS:
        bot.ask(q, authority=authority)
        bot.ask(q)
    scoped = [timed(bot.ask, q, authority=authority)[0] for _ in range(repeats) for q in QUESTIONS]
    unscoped = [timed(bot.ask, q)[0] for _ in range(repeats) for q in QUESTIONS]
    return {
        "reports": len(bot.reports()),
        "load_s": load_s,
        "scoped_p50_ms": median_ms(scoped),
        "unscoped_p50_ms": median_ms(unscoped),
        "serving_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def bench_chat_ready(runs: int) -> dict:
    """Server start to the chat box, in Debian's headless Chromium, and to the first loading text."""
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from playwright.sync_api import sync_playwright
    from server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

    ready, first_paint = [], []
    for _ in range(runs):
        server = StreamlitServer(ROOT, Path(tempfile.mkdtemp()) / "streamlit.log").start()
        try:
            server.wait_healthy()
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(server.url)
                page.get_by_test_id("stApp").wait_for(timeout=240_000)
                first_paint.append(time.perf_counter() - server.started_at)
                page.get_by_test_id("stChatInputTextArea").wait_for(timeout=240_000)
                ready.append(time.perf_counter() - server.started_at)
                browser.close()
        finally:
            server.stop()
    return {"app_visible_s": statistics.median(first_paint), "chat_ready_s": statistics.median(ready)}
