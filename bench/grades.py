"""Questions over the grades of the whole corpus: how fast the judgement-table route answers them.

Every report of ``../shared/ofsted/manifest.csv`` is parsed from its PDF (the real parser), and the
route runs exactly as ``Assistant.ask`` runs it: the catalogue reads the question's scope, the
question is read into a ``GradeQuery``, and ``GradeTableAnswerer`` answers from the judgement
tables, quoting and citing each report. The route reads no vectors, so no index is built here:
embedding the 199,000 windows of the corpus takes most of an hour and measures something else.

    python -m bench.grades [--repeats 20]
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from assistant.errors import ReportFormatError
from assistant.answering.grade_answers import GradeTableAnswerer
from assistant.answering.grade_quotes import GradeQuoter
from assistant.answering.grade_scope import grade_table_query
from assistant.reading.reports import Catalogue, Scope
from bench.run import median_ms, percentile_ms
from ingest import Paragraph, parse_path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "ofsted"
QUESTIONS = (  # not gold questions: the phrasings an analyst might use
    "Which authorities had their leadership rated inadequate?",
    "How many reports rated adoption outstanding?",
    "Which councils' latest inspection found children's services outstanding overall?",
    "Which reports published since 2024 judged care leavers good?",
    "Which safeguarding boards were rated inadequate?",
    "How has Birmingham's overall grade changed over time?",
    "Of Surrey, Wakefield and Sandwell, whose latest inspection was good overall?",
    "What percentage of reports judged leadership inadequate?",
)


def load_corpus(root: Path = CORPUS) -> tuple[dict[str, dict], dict[str, list[Paragraph]], int]:
    """(manifest entries as the index stores them, passages by report, files refused)."""
    manifest: dict[str, dict] = {}
    passages: dict[str, list[Paragraph]] = {}
    refused = 0
    for row in csv.DictReader((root / "manifest.csv").open(encoding="utf-8")):
        try:
            parsed = parse_path(root / "pdfs" / row["file"])
        except ReportFormatError:
            refused += 1
            continue
        manifest[parsed.report] = {
            "authority": parsed.authority, "title": parsed.title, "kind": parsed.kind,
            "judgements": [list(j) for j in parsed.judgements], "inspection_start": parsed.inspection_start,
            "inspection_end": parsed.inspection_end, "published_on": parsed.published_on,
            "passages": len(parsed.paragraphs), "source": str(parsed.source),
        }
        passages[parsed.report] = parsed.paragraphs
    return manifest, passages, refused


def bench_grades(repeats: int) -> dict:
    started = time.perf_counter()
    manifest, passages, refused = load_corpus()
    parse_s = time.perf_counter() - started
    started = time.perf_counter()
    catalogue = Catalogue(manifest)
    answerer = GradeTableAnswerer(GradeQuoter(lambda r: passages.get(r, []), catalogue), catalogue)
    load_ms = (time.perf_counter() - started) * 1000
    samples: dict[str, list[float]] = {q: [] for q in QUESTIONS}
    cited: dict[str, int] = {}
    for _ in range(repeats):
        for q in QUESTIONS:
            t = time.perf_counter()
            reading = catalogue.read(q)
            table = grade_table_query(catalogue, q, reading, Scope())
            answer = answerer.run(*table) if table else None
            samples[q].append(time.perf_counter() - t)  # seconds, as bench.run takes them
            cited[q] = len(answer.citations) if answer else -1
    every = [s for per in samples.values() for s in per]
    return {
        "reports": len(manifest), "refused": refused, "parse_s": parse_s, "catalogue_ms": load_ms,
        "p50_ms": median_ms(every), "p95_ms": percentile_ms(every, 0.95),
        "per_question": {q: {"p50_ms": median_ms(s), "citations": cited[q]} for q, s in samples.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.grades", description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=20)
    results = bench_grades(parser.parse_args(argv).repeats)
    print(f"{results['reports']} reports parsed in {results['parse_s']:.1f} s ({results['refused']} refused); "
          f"catalogue and grade table built in {results['catalogue_ms']:.0f} ms")
    print(f"aggregate questions, warm: p50 {results['p50_ms']:.1f} ms, p95 {results['p95_ms']:.1f} ms (limit 200 ms)")
    for q, r in results["per_question"].items():
        print(f"  {r['p50_ms']:7.1f} ms  {r['citations']:4d} citations  {q}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
