"""Command line: a thin layer over the Python API. Errors are one clear line and a non-zero exit."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from assistant.errors import AssistantError, ReportFormatError


def _print_answer(answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
        return
    print(textwrap.fill(answer.answer, width=100))
    for note in answer.notes:
        print(f"  ({note})")


def _ingest(args) -> int:
    from tqdm import tqdm

    from assistant import Assistant, Settings
    from ingest import iter_report_files

    if args.if_missing:
        info = Assistant().info()  # builds whatever the index lacks
        print(f"index ready: {', '.join(info['reports'])} ({info['passages']} passages) at {info['index_path']}")
        return 0
    paths = args.paths or [str(p) for p in Settings().reports]
    files = iter_report_files(paths)
    if not files:  # before the model loads: there is nothing to do
        raise ReportFormatError(
            f"no report found in {', '.join(map(str, paths))}: nothing was ingested (reports are .pdf, .md or .markdown files)"
        )
    bot = Assistant(ensure_reports=False)
    with tqdm(total=len(files), unit="report", disable=len(files) < 2, file=sys.stderr) as bar:
        summary = bot.ingest_many(
            files, force=args.force, replace=args.replace, on_file=lambda path, outcome: bar.update(1)
        )
    for result in summary.indexed:
        print(
            f"{result.report}: {result.passages} passages ({result.numbered} numbered paragraphs), "
            f"{result.windows} windows in {result.seconds:.1f} s" + (f"; {result.note}" if result.note else "")
        )
    for path, reason in summary.refused:
        print(f"refused {path}: {reason}", file=sys.stderr)
    if len(files) > 1 or summary.skipped:
        print(
            f"{len(summary.indexed)} indexed, {len(summary.skipped)} unchanged, {len(summary.refused)} refused; "
            f"{sum(r.passages for r in summary.indexed)} passages added"
        )
    if summary.refused and not summary.indexed and not summary.skipped:
        raise ReportFormatError(
            summary.refused[0][1] if len(summary.refused) == 1
            else f"none of the {len(summary.refused)} files could be ingested (the reasons are above): nothing was indexed"
        )
    return 0


def _ask(args) -> int:
    from assistant import Assistant, Settings
    from assistant.reading.question import clean_question

    clean_question(args.question, Settings().max_question_chars)  # refuse before loading the model
    bot = Assistant(retrieval=args.retrieval, k=args.k)
    _print_answer(bot.ask(args.question, authority=args.authority, year=args.year, report=args.report), args.json)
    return 0


def _reports(args) -> int:
    from assistant import Assistant

    infos = Assistant().reports()
    if args.json:
        print(json.dumps([i.to_dict() for i in infos], indent=2, ensure_ascii=False))
        return 0
    for i in infos:
        print(f"{i.id}  {i.name}: {i.describe()}; {i.paragraphs} passages")
        for area, grade in i.judgements.items():
            print(f"    {area}: {grade}")
    print(f"{len(infos)} report{'s' if len(infos) != 1 else ''} loaded")
    return 0


def _grades(args) -> int:
    from assistant import Assistant
    from assistant.reading.judgements import to_csv

    rows = Assistant().grades(authority=args.authority, year=args.year)
    if args.csv:
        sys.stdout.write(to_csv(rows))
        return 0
    for row in rows:
        print(f"{row.name:32} {row.kind:18} {row.area:18} {row.grade}")
    print(f"{len(rows)} grade{'s' if len(rows) != 1 else ''} from {len({r.report for r in rows})} reports")
    return 0


def _chat(args) -> int:
    from assistant import Assistant

    conversation = Assistant(k=args.k).chat()
    print("Ask about the report. An empty line or Ctrl-D ends the chat.")
    while True:
        try:
            question = input("\n> ").strip()
        except EOFError:
            return 0
        if not question:
            return 0
        try:
            _print_answer(conversation.ask(question), as_json=False)
        except AssistantError as exc:
            print(f"error: {exc}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser("ingest", help="parse and index reports (default: the bundled Ealing report)")
    ingest.add_argument("paths", nargs="*", metavar="PATH")
    ingest.add_argument("--if-missing", action="store_true", help="only build what the index lacks")
    ingest.add_argument("--force", action="store_true", help="re-index files even when unchanged")
    ingest.add_argument(
        "--replace", action="store_true",
        help="let a file take the place of the indexed report it names or is another version of (logged in the index)",
    )
    ingest.set_defaults(run=_ingest)
    ask = sub.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the whole answer as JSON")
    ask.add_argument("--k", type=int, default=None, help="passages to retrieve")
    ask.add_argument("--retrieval", choices=["hybrid", "dense", "bm25"], default=None)
    ask.add_argument("--authority", help="only the reports on this local authority, e.g. Ealing")
    ask.add_argument("--year", help="only the reports of this inspection (or publication) year")
    ask.add_argument("--report", help="only this report, by its id (e.g. ealing-2016-08-26)")
    ask.set_defaults(run=_ask)
    reports = sub.add_parser("reports", help="list the loaded reports: authority, kind, dates, judgements")
    reports.add_argument("--json", action="store_true", help="print them as JSON")
    reports.set_defaults(run=_reports)
    grades = sub.add_parser("grades", help="every loaded report's judgements, one row per report and area")
    grades.add_argument("--authority", help="only this local authority's reports, e.g. Solihull")
    grades.add_argument("--year", help="only the reports published (or inspected) in this year")
    grades.add_argument("--csv", action="store_true", help="print CSV with a header")
    grades.set_defaults(run=_grades)
    chat = sub.add_parser("chat", help="a conversation in the terminal")
    chat.add_argument("--k", type=int, default=None)
    chat.set_defaults(run=_chat)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
