"""Benchmarks: ingest against the embedding limit, cold start, warm latency, memory, and scale.

Every figure is the median of several runs; the table goes to stdout and everything to JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "How long did care proceedings take on average?",
    "What did inspectors say about private fostering?",
    "How many care leavers are NEET?",
    "What grade did the Local Safeguarding Children Board get?",
    "Who led the inspection?",
    "How many children are looked after?",
    "What did inspectors say about return home interviews?",
    "How long did children wait to be placed for adoption?",
]


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def percentile_ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_ingest(bot_factory, report: Path, runs: int) -> dict:
    """Whole ingest into a fresh index, next to the raw encode time of the same window texts."""
    from assistant.retrieval.passage_windows import windows_of
    from ingest import parse_report

    texts = [w.page_content for p in parse_report(report).paragraphs for w in windows_of(p)]
    encode, ingest = [], []
    for _ in range(runs):
        bot = bot_factory()
        encode.append(timed(bot.embeddings.embed_documents, texts)[0])
        ingest.append(bot.ingest(report).seconds)
    passages = len(parse_report(report).paragraphs)
    return {
        "windows": len(texts),
        "passages": passages,
        "encode_s": statistics.median(encode),
        "ingest_s": statistics.median(ingest),
        "passages_per_s": passages / statistics.median(ingest),
        "encode_share": statistics.median(encode) / statistics.median(ingest),
    }


def bench_warm(bot, repeats: int) -> dict:
    """Warm latency of one query embedding, retrieval alone and whole answers."""
    for q in QUESTIONS:  # warm caches and lazy imports
        bot.ask(q)
    embed, retrieve, answer = [], [], []
    for _ in range(repeats):
        for q in QUESTIONS:
            embed.append(timed(bot.embeddings.embed_query, q)[0])
            retrieve.append(timed(bot.retrieve, q, 6)[0])
            answer.append(timed(bot.ask, q)[0])
    return {
        "embed_p50_ms": median_ms(embed),
        "retrieve_p50_ms": median_ms(retrieve),
        "retrieve_p95_ms": percentile_ms(retrieve, 0.95),
        "answer_p50_ms": median_ms(answer),
        "answer_p95_ms": percentile_ms(answer, 0.95),
        "answer_over_embed": median_ms(answer) / median_ms(embed),
    }


COLD_START = """
import time, resource
started = time.perf_counter()
from assistant import Assistant
bot = Assistant()
bot.ask("How long did care proceedings take on average?")
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def bench_cold_start(runs: int, env: dict) -> dict:
    """A new process: imports, model load, index open, first answer (index already built)."""
    wall, rss = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", COLD_START], cwd=ROOT, env=env, capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr)
        seconds, peak = out.stdout.split()[-2:]
        wall.append(float(seconds))
        rss.append(float(peak))
    return {"cold_start_s": statistics.median(wall), "cold_start_peak_rss_mb": statistics.median(rss)}


def run(args) -> dict:
    from assistant import Assistant, Settings
    from assistant.retrieval.embeddings import load_embeddings
    from assistant.retrieval.passage_windows import windows_of
    from bench import speed
    from ingest import parse_report

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    # No vectors kept between calls: every figure here encodes the same texts again and again.
    settings = Settings(index_dir=work / "index", encode_recent_texts=0)
    embeddings = load_embeddings(settings)
    report = settings.reports[0]
    texts = [w.page_content for p in parse_report(report).paragraphs for w in windows_of(p)]

    runs = iter(range(1_000))

    def fresh_bot():
        # A new folder each run: Chroma keeps a deleted store's handle open within a process.
        folder = work / f"ingest-{next(runs)}"
        return Assistant(settings.model_copy(update={"index_dir": folder}), embeddings=embeddings, ensure_reports=False)

    results = {"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0], "busy": args.busy},
               "encoder": settings.encoder}
    with speed.busy_core() if args.busy else contextlib.nullcontext():
        results["ingest"] = bench_ingest(fresh_bot, report, args.runs)
        bot = Assistant(settings, embeddings=embeddings)
        results["warm"] = bench_warm(bot, args.repeats)
        env = {**os.environ, "ASSISTANT_INDEX_DIR": str(work / "index")}
        results["cold"] = bench_cold_start(args.runs, env)
        results["plain"] = speed.bench_plain_langchain(embeddings, report, work)
        if args.encoders:
            results["encoders"] = speed.bench_encoders(settings, texts)
        if args.corpus_index:
            results["corpus"] = speed.bench_corpus(Path(args.corpus_index), args.repeats)
        if args.browser:
            results["browser"] = speed.bench_chat_ready(args.runs)
    if not args.busy:  # it makes its own busy core
        results["threads"] = speed.bench_threads(embeddings, texts)
    results["peak_rss_mb"] = peak_rss_mb()
    if args.scale:
        from bench.scale import bench_scale

        results["scale"] = bench_scale(bot, [int(n) for n in args.scale.split(",")], work / "scale", args.repeats)
    shutil.rmtree(work, ignore_errors=True)
    return results


def table(results: dict) -> str:
    """Each figure beside its limit (issue #17) and beside what it is measured against."""
    i, w, c, plain = results["ingest"], results["warm"], results["cold"], results["plain"]
    rows = [
        ("ingest of Ealing (fresh index)", f"{i['ingest_s']:.2f} s", "<= 1.3x raw encode",
         f"{i['ingest_s'] / i['encode_s']:.2f}x the raw encode of its {i['windows']} windows"),
        ("raw encode of the same windows", f"{i['encode_s']:.2f} s", "", f"encoder {results['encoder']}"),
        ("plain LangChain + Chroma ingest", f"{plain['ingest_s']:.2f} s", "",
         f"{plain['chunks']} chunks of 1,000 characters; ours is {i['ingest_s'] / plain['ingest_s']:.1f}x"),
        ("one query embedding p50", f"{w['embed_p50_ms']:.1f} ms", "", ""),
        ("retrieval p50 / p95", f"{w['retrieve_p50_ms']:.1f} / {w['retrieve_p95_ms']:.1f} ms", "",
         f"{w['retrieve_p50_ms'] / w['embed_p50_ms']:.1f}x one embedding"),
        ("plain similarity_search p50", f"{plain['search_p50_ms']:.1f} ms", "",
         f"our whole answer is {w['answer_p50_ms'] / plain['search_p50_ms']:.1f}x"),
        ("whole answer p50 / p95 (one report)", f"{w['answer_p50_ms']:.1f} / {w['answer_p95_ms']:.1f} ms", "",
         f"{w['answer_over_embed']:.1f}x one embedding"),
        ("cold start to first answer", f"{c['cold_start_s']:.2f} s", "<= 3 s", f"peak RSS {c['cold_start_peak_rss_mb']:.0f} MB"),
    ]
    if e := results.get("encoders"):
        rows += [
            ("raw encode, fp32 torch / int8 ONNX", f"{e['torch-fp32_encode_s']:.2f} / {e['onnx-int8_encode_s']:.2f} s", "",
             f"int8 {e['torch-fp32_encode_s'] / e['onnx-int8_encode_s']:.1f}x faster"),
            ("query embedding, fp32 / int8", f"{e['torch-fp32_query_ms']:.1f} / {e['onnx-int8_query_ms']:.1f} ms", "", ""),
        ]
    if t := results.get("threads"):
        for load in ("quiet", "busy"):
            rows.append((f"encode, {load}: 1 / 2 threads / default",
                         f"{t[f'{load}_1_thread_s']:.2f} / {t[f'{load}_2_threads_s']:.2f} / {t[f'{load}_default_s']:.2f} s",
                         "default <= 1 thread", f"default {t[f'{load}_default_s'] / t[f'{load}_1_thread_s']:.2f}x one thread"))
    if k := results.get("corpus"):
        rows += [
            (f"corpus ({k['reports']} reports): answer scoped to one authority p50", f"{k['scoped_p50_ms']:.0f} ms",
             "<= 100 ms", f"index opened in {k['load_s']:.1f} s"),
            ("corpus: answer unscoped p50", f"{k['unscoped_p50_ms']:.0f} ms", "<= 250 ms",
             f"serving RSS {k['serving_rss_mb']:.0f} MB"),
        ]
    if b := results.get("browser"):
        rows.append(("server start to chat box (Chromium)", f"{b['chat_ready_s']:.1f} s", "<= 10 s",
                     f"app visible at {b['app_visible_s']:.1f} s"))
    rows.append(("peak RSS of this run", f"{results['peak_rss_mb']:.0f} MB", "", ""))
    for s in results.get("scale", []):
        rows.append(
            (
                f"scale: {s['paragraphs']:,} paragraphs",
                f"retrieval p50 {s['retrieve_p50_ms']:.0f} / p95 {s['retrieve_p95_ms']:.0f} ms",
                "p50 <= 150 ms at 100,000",
                f"build {s['build_s']:.0f} s, index {s['index_mb']:.0f} MB, load {s['load_s']:.1f} s, RSS {s['rss_mb']:.0f} MB",
            )
        )
    widths = [max(len(r[n]) for r in rows) for n in range(3)]
    return "\n".join(f"{a:<{widths[0]}}  {b:<{widths[1]}}  {l:<{widths[2]}}  {c}" for a, b, l, c in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs of each slow figure (ingest, cold start)")
    parser.add_argument("--repeats", type=int, default=5, help="passes over the question set for latencies")
    parser.add_argument("--scale", default="", help="synthetic corpus sizes, e.g. 1000,10000,100000")
    parser.add_argument("--busy", action="store_true", help="measure with one other process keeping a core busy")
    parser.add_argument("--no-encoders", dest="encoders", action="store_false", help="skip fp32 against int8")
    parser.add_argument("--corpus-index", default="", help="an index of the whole corpus: warm answers over it")
    parser.add_argument("--browser", action="store_true", help="server start to chat box in headless Chromium")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    args = parser.parse_args(argv)
    results = run(args)
    print(table(results))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0
