"""Run the gold set through the public API, score it, print tables and write JSON reports."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from assistant.types import Answer

from .gate import DEFAULT_FLOORS, check_floors, load_floors
from .gold import DEFAULT_GOLD, GoldItem, load_gold
from .metrics import canon, score, summarise, unique

MODES = ("dense", "bm25", "hybrid")
RESULTS_DIR = Path(__file__).parent / "results"
COLUMNS = (  # (metric, header) shown in the tables; the JSON report has every metric
    ("hit@1", "hit@1"), ("hit@3", "hit@3"), ("hit@5", "hit@5"), ("hit@10", "hit@10"),
    ("recall@5", "rec@5"), ("recall@10", "rec@10"), ("mrr@10", "mrr@10"),
    ("citation_validity", "cit_valid"), ("citation_resolution", "cit_res"), ("citation_precision", "cit_prec"),
    ("citation_recall", "cit_rec"), ("gold_cited", "gold_cited"), ("key_fact_containment", "facts"),
    ("abstention_recall", "abst_rec"), ("false_abstention_rate", "false_abst"), ("wrongly_named", "wrong_named"),
    ("error_rate", "errors"), ("latency_ms", "ms"),
)


@dataclass
class Outcome:
    """What the assistant returned for one gold question, before scoring."""

    item: GoldItem
    answer: Answer
    retrieved: list[str]
    latency_ms: float | None
    error: str | None = None


def make_assistant(retrieval: str, reports: Sequence[Path] | None = None, index_dir: Path | None = None, **overrides):
    """The real assistant with the given retrieval mode (and settings), over the default report or the reports given."""
    from assistant import Assistant, Settings

    if reports:
        overrides = {"reports": list(reports), **({"index_dir": index_dir} if index_dir else {}), **overrides}
    return Assistant(Settings(**overrides), retrieval=retrieval)


def read_reports_file(path: Path) -> list[Path]:
    """Report files listed one a line (relative to the list's own folder), '#' comments allowed."""
    lines = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [(path.parent / line).resolve() for line in lines if line]


def _describe(exc: Exception) -> str:
    """An exception as one line."""
    return f"{type(exc).__name__}: {exc}"


def ask_item(bot, item: GoldItem) -> Outcome:
    """Ask one gold question in a fresh chat (earlier turns first), then retrieve for its standalone form."""
    try:
        chat = bot.chat()
        for turn in item.turns:
            chat.ask(turn)
        start = time.perf_counter()
        answer = chat.ask(item.question)
        latency = (time.perf_counter() - start) * 1000
    except Exception as exc:  # recorded as a failure of this question; the run goes on
        return Outcome(item, Answer(question=item.question, answer=""), [], None, _describe(exc))
    if not item.answerable:
        return Outcome(item, answer, [], latency)
    try:
        # A follow-up is retrieved within the reports its answer was scoped to ("and before that?").
        within = {"reports": tuple(answer.reports)} if item.turns and getattr(answer, "reports", None) else {}
        sources = bot.retrieve(answer.standalone_question or item.question, k=10, **within)
    except Exception as exc:
        return Outcome(item, answer, [], latency, _describe(exc))
    return Outcome(item, answer, unique(s.label for s in sources), latency)


def known_labels(bot, outcomes: Iterable[Outcome]) -> tuple[set[str], str]:
    """Every label in the report and where it came from: ``bot.paragraphs()``, else labels seen in the run."""
    paragraphs = getattr(bot, "paragraphs", None)
    if callable(paragraphs):
        catalogue = getattr(bot, "catalogue", None)  # with several reports, labels name their report
        return {catalogue.label(p.report, p.label) if catalogue else p.label for p in paragraphs()}, "bot.paragraphs()"
    seen = {label for o in outcomes for label in [*(s.label for s in o.answer.sources), *o.retrieved]}
    return seen, "labels seen in this run (bot.paragraphs() missing)"


def passages_of(bot) -> dict[tuple[str, str], str] | None:
    """(report id, passage label) → text of every loaded passage, for citation resolution."""
    paragraphs = getattr(bot, "paragraphs", None)
    return {(p.report, p.label): p.text for p in paragraphs()} if callable(paragraphs) else None


def with_report_names(items: Sequence[GoldItem], bot) -> list[GoldItem]:
    """Gold labels written by report id ("leeds-2022-05-09 ¶12") as the assistant names them
    ("Leeds 2022 ¶12"), so a gold set does not depend on the naming convention of labels."""
    catalogue = getattr(bot, "catalogue", None)
    if catalogue is None:
        return list(items)
    ids = sorted(catalogue.reports, key=len, reverse=True)

    def named(label: str) -> str:
        report = next((r for r in ids if label.startswith(r + " ")), None)
        return catalogue.label(report, label[len(report) + 1:]) if report else label

    return [replace(i, gold=[named(g) for g in i.gold], neighbours=[named(n) for n in i.neighbours]) for i in items]


def collect(bot, items: Sequence[GoldItem], progress: bool = True) -> list[Outcome]:
    """Ask every gold item, reporting progress on stderr."""
    outcomes = []
    for n, item in enumerate(items, 1):
        outcome = ask_item(bot, item)
        outcomes.append(outcome)
        if progress:
            took = f"{outcome.latency_ms:.0f} ms" if outcome.latency_ms is not None else "-"
            print(f"[{n}/{len(items)}] {item.id} ({item.type}) {took}{' ERROR' if outcome.error else ''}",
                  file=sys.stderr, flush=True)
    return outcomes


def gold_label_problems(items: Iterable[GoldItem], known: Iterable[str]) -> list[str]:
    """Gold or neighbour labels the assistant does not know: mistakes in the gold set."""
    known_set = {canon(k) for k in known}
    return [f"{item.id}: unknown label {label!r}" for item in items
            for label in unique([*item.gold, *item.neighbours]) if canon(label) not in known_set]


def _cell(name: str, value: float | None) -> str:
    """One table cell."""
    if value is None:
        return "-"
    return f"{value:.0f}" if name == "latency_ms" else f"{value:.2f}"


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Plain aligned text: first column left-aligned, the rest right-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _row(label: str, group: dict) -> list[str]:
    """A table row for one group of a summary."""
    return [label, str(group["n"]), str(group["failed"]), *(_cell(m, group["means"][m]) for m, _ in COLUMNS)]


def summary_table(summary: dict) -> str:
    """Overall and per-type means as a table."""
    rows = [_row("overall", summary["overall"])]
    rows += [_row(t, g) for t, g in summary["by_type"].items()]
    rows += [_row(f"form: {f}", g) for f, g in summary.get("by_form", {}).items()]
    rows += [_row(f"answer: {k}", g) for k, g in summary.get("by_answer_kind", {}).items()]
    return format_table(["group", "n", "failed", *(h for _, h in COLUMNS)], rows)


def ablation_table(summaries: dict[str, dict]) -> str:
    """Overall means for each retrieval mode as a table."""
    rows = [_row(mode, s["overall"]) for mode, s in summaries.items()]
    return format_table(["retrieval", "n", "failed", *(h for _, h in COLUMNS)], rows)


def failures_text(questions: Iterable[dict]) -> str:
    """The failing questions of a report, one block each, with what went wrong."""
    lines = []
    for q in questions:
        if q["failures"]:
            lines.append(f"{q['id']} ({q['type']}): {q['question']}")
            lines += [f"    - {reason}" for reason in q["failures"]]
    return "\n".join(lines) or "(none)"


def write_json(path: Path, data: dict) -> None:
    """Write a report, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def run_once(items: Sequence[GoldItem], retrieval: str = "hybrid", gold_path: Path | str = DEFAULT_GOLD,
             bot=None, progress: bool = True) -> dict:
    """One full run in one retrieval mode: the report as data (meta, summary, questions)."""
    bot = bot if bot is not None else make_assistant(retrieval)
    items = with_report_names(items, bot)
    started = time.perf_counter()
    outcomes = collect(bot, items, progress)
    known, origin = known_labels(bot, outcomes)
    passages = passages_of(bot)
    results = [score(o.item, o.answer, o.retrieved, o.latency_ms, known, o.error, passages) for o in outcomes]
    # Each follow-up asked again on its own, written out in full: a follow-up should do as well.
    alone = [replace(o.item, question=o.item.standalone, turns=[]) for o in outcomes if o.item.standalone]
    alone_results = [score(o.item, o.answer, o.retrieved, o.latency_ms, known, o.error, passages)
                     for o in collect(bot, alone, progress=False)]
    in_context = [r for r, o in zip(results, outcomes) if o.item.standalone]
    return {
        "meta": {
            "gold": str(gold_path), "retrieval": retrieval, "questions": len(items),
            "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "duration_s": round(time.perf_counter() - started, 1), "known_labels_from": origin,
        },
        "gold_problems": gold_label_problems(items, known) if origin == "bot.paragraphs()" else [],
        "summary": summarise(results),
        "followups": {"in context": summarise(in_context)["overall"], "asked on their own": summarise(alone_results)["overall"]}
        if alone_results else {},
        "questions": [r.to_dict() for r in results],
    }


def _parser() -> argparse.ArgumentParser:
    """The command line of ``python -m eval``."""
    p = argparse.ArgumentParser(prog="python -m eval", description="Score the assistant on the gold set.")
    p.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold set (JSONL)")
    p.add_argument("--retrieval", choices=MODES, default="hybrid", help="retrieval mode (default hybrid)")
    p.add_argument("--ablation", action="store_true", help="run every retrieval mode and compare")
    p.add_argument("--out", type=Path, help="JSON report (default eval/results/latest.json or ablation.json)")
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--floors", type=Path, default=DEFAULT_FLOORS, help="gate floors (JSON)")
    p.add_argument("--reports-file", type=Path, help="index these reports (one path a line) instead of the default")
    p.add_argument("--index-dir", type=Path, help="where that index lives (default: the project's)")
    p.add_argument("--sweep-abstention", metavar="T1,T2,...",
                   help="run at each abstention threshold and show the trade-off (abstention recall vs false abstentions)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation; exit status 1 when the gate's floors are violated."""
    args = _parser().parse_args(argv)
    items = load_gold(args.gold)[: args.limit]
    files = read_reports_file(args.reports_file) if args.reports_file else None

    def bot_for(mode: str):
        return make_assistant(mode, files, args.index_dir)

    if args.sweep_abstention:
        thresholds = [float(t) for t in args.sweep_abstention.split(",")]
        runs = {f"abstain_below={t:.2f}": run_once(items, args.retrieval, args.gold,
                                                 bot=make_assistant(args.retrieval, files, args.index_dir, abstain_below=t),
                                                 progress=False) for t in thresholds}
        out = args.out or RESULTS_DIR / "abstention_sweep.json"
        write_json(out, {"runs": runs})
        print("\nABSTENTION THRESHOLD SWEEP (overall)")
        print(format_table(["threshold", "n", "failed", *(h for _, h in COLUMNS)],
                           [_row(name, r["summary"]["overall"]) for name, r in runs.items()]))
        print(f"\nwrote {out}")
        return 0
    if args.ablation:
        reports = {mode: run_once(items, mode, args.gold, bot=bot_for(mode)) for mode in MODES}
        out = args.out or RESULTS_DIR / "ablation.json"
        write_json(out, {"modes": reports})
        print("\nABLATION (overall, by retrieval mode)")
        print(ablation_table({mode: r["summary"] for mode, r in reports.items()}))
        print(f"\nwrote {out}")
        return 0
    report = run_once(items, args.retrieval, args.gold, bot=bot_for(args.retrieval))
    report["violations"] = check_floors(report["summary"], load_floors(args.floors))
    out = args.out or RESULTS_DIR / "latest.json"
    write_json(out, report)
    print(f"\nSUMMARY (retrieval={args.retrieval}, {len(items)} questions)")
    print(summary_table(report["summary"]))
    if report["followups"]:
        print("\nFOLLOW-UPS: in context, and the same questions asked on their own")
        print(format_table(["follow-ups", "n", "failed", *(h for _, h in COLUMNS)],
                           [_row(name, group) for name, group in report["followups"].items()]))
    print("\nFAILING QUESTIONS")
    print(failures_text(report["questions"]))
    if report["gold_problems"]:
        print("\nGOLD SET PROBLEMS\n" + "\n".join(report["gold_problems"]))
    print("\nGATE: " + ("; ".join(report["violations"]) or "all floors met"))
    print(f"\nwrote {out}")
    return 1 if report["violations"] else 0
