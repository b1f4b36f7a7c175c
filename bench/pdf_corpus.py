"""Run every report of the PDF corpus through `parse_path` and count what parses and what is refused.

    /work/venv/bin/python bench/pdf_corpus.py [--corpus ../shared/ofsted] [--workers 2] [--out bench/pdf_corpus.md]

Prints progress; writes a summary (reports parsed, numbered paragraphs, passages, refusals grouped by
reason, seconds) to bench/pdf_corpus.md, and one JSON line per report to --jsonl if given. At most two
worker processes: this machine has two cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "ofsted"


NOTES = """## What the refusals are (checked against the PDFs)

- The numbering defects are in the published originals, not the parser: Windsor and Maidenhead
  2020 goes from paragraph 14 to 16; Nottingham 2022 from 33 to 35; Lambeth 2026 numbers two
  paragraphs 57 (the leadership section starts again at 57). The Markdown path refuses such a report
  too (it names the numbers), so both paths agree.
- Waltham Forest 2015 prints paragraph 89 as a bare number at the foot of page 22 with no text
  (the next page starts at 90): refused, naming the paragraph, rather than indexed with an empty ¶89.
- Four SIF reports of February 2014 (Derbyshire, Hartlepool, Hillingdon, Slough) set their findings as
  bullet points with no paragraph numbers: there is no ¶N to cite, so they are refused saying so.
- The corpus holds no focused visit, monitoring visit or JTAI report: every PDF is a SIF report, a SIF
  re-inspection, the one stand-alone LSCB review (Surrey 2015) or an ILACS inspection ("focused visit"
  appears only inside ILACS reports, about earlier visits). Those kinds are recognised by their titles
  and tested on made-up PDFs (tests/ingest/test_pdf.py).
- ILACS short vs standard is read from the inspection dates (a week or less on site is short; a split
  inspection counts each part), which agrees with the manifest except where the manifest is blank.
"""


def _one(path: str) -> dict:
    from ingest.errors import ReportFormatError
    from ingest.files import parse_path

    started = time.perf_counter()
    try:
        parsed = parse_path(path)
    except ReportFormatError as exc:
        return {"path": path, "ok": False, "error": str(exc), "seconds": time.perf_counter() - started}
    except Exception as exc:  # a crash is a bug to report, not a refusal
        return {"path": path, "ok": False, "crash": True, "error": f"{type(exc).__name__}: {exc}",
                "seconds": time.perf_counter() - started}
    return {
        "path": path,
        "ok": True,
        "seconds": time.perf_counter() - started,
        "report": parsed.report,
        "kind": parsed.kind,
        "authority": parsed.authority,
        "pages": parsed.pages,
        "numbered": len(parsed.numbered),
        "passages": len(parsed.paragraphs),
        "named": [p.label for p in parsed.paragraphs if p.number is None],
        "judgements": parsed.judgements,
        "inspection_start": parsed.inspection_start,
        "inspection_end": parsed.inspection_end,
        "published_on": parsed.published_on,
        "tokens": sum(p.tokens for p in parsed.paragraphs),
        "max_tokens": max(p.tokens for p in parsed.numbered),
    }


def reason_group(error: str) -> str:
    """A refusal's reason without the file name and numbers, to group refusals."""
    text = re.sub(r"^[^:]*?\.pdf:?\s*", "", error)
    text = re.sub(r"missing [\d, ]+", "missing N", text)
    text = re.sub(r"repeated [\d, ]+", "repeated N", text)
    text = re.sub(r"\d[\d,]*", "N", text)
    return text[:140]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "pdf_corpus.md")
    parser.add_argument("--jsonl", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    workers = max(1, min(args.workers, 2))

    from ingest.files import iter_report_files

    paths = [str(p) for p in iter_report_files(args.corpus / "pdfs")]
    if args.limit:
        paths = paths[: args.limit]
    manifest = {}
    if (args.corpus / "manifest.csv").exists():
        for row in csv.DictReader((args.corpus / "manifest.csv").open(encoding="utf-8")):
            manifest[str(args.corpus / "pdfs" / row["file"])] = row

    started = time.perf_counter()
    results = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_one, p) for p in paths]
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            results.append(result)
            status = f"{result['numbered']} ¶" if result["ok"] else "REFUSED " + result["error"][:100]
            print(f"[{done}/{len(paths)}] {Path(result['path']).parent.name}/{Path(result['path']).name}: {status}",
                  flush=True)
    wall = time.perf_counter() - started
    results.sort(key=lambda r: r["path"])
    if args.jsonl:
        args.jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")

    ok = [r for r in results if r["ok"]]
    refused = [r for r in results if not r["ok"]]
    crashes = [r for r in refused if r.get("crash")]
    kinds = Counter(r["kind"] for r in ok)
    groups: dict[str, list[str]] = defaultdict(list)
    for r in refused:
        groups[("CRASH: " if r.get("crash") else "") + reason_group(r["error"])].append(
            f"{Path(r['path']).parent.name}/{Path(r['path']).name}")
    cpu = sum(r["seconds"] for r in results)

    # Cross-check: the overall grade read from the report against the manifest's (where it has one).
    agree = disagree = 0
    mismatches = []
    for r in ok:
        row = manifest.get(r["path"])
        if not row or row["overall"] not in ("good", "outstanding", "inadequate", "requires improvement"):
            continue
        overall = next((g for a, g in r["judgements"] if a.lower() in ("overall effectiveness", "children's services overall")), "")
        if overall.lower().startswith(row["overall"]):
            agree += 1
        else:
            disagree += 1
            mismatches.append(f"{r['report']}: report {overall or '—'}, manifest {row['overall']}")
    kind_vs_manifest = Counter()
    for r in ok:
        row = manifest.get(r["path"])
        if row:
            kind_vs_manifest[(r["kind"], row["framework"] or "(blank)")] += 1

    lines = [
        "# The PDF corpus through `parse_path`",
        "",
        "Command:",
        "",
        "```bash",
        "/work/venv/bin/python bench/pdf_corpus.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "```",
        "",
        f"- reports: {len(results)}",
        f"- parsed: {len(ok)} ({', '.join(f'{k}: {v}' for k, v in sorted(kinds.items()))})",
        f"- numbered paragraphs: {sum(r['numbered'] for r in ok):,}; passages in all (numbered + named): "
        f"{sum(r['passages'] for r in ok):,}; tokens: {sum(r['tokens'] for r in ok):,}",
        f"- refused: {len(refused)} (crashes, i.e. bugs: {len(crashes)})",
        f"- seconds: {wall:.1f} wall with {workers} worker process(es); {cpu:.1f} s of parsing in all, "
        f"{cpu / max(len(results), 1):.2f} s per report (slowest {max((r['seconds'] for r in results), default=0):.2f} s)",
        f"- overall grade read from the report vs the manifest's `overall` column: {agree} agree, {disagree} differ",
        "",
    ]
    if groups:
        lines += ["## Refused, by reason", "", "| reason | reports | which |", "| --- | ---: | --- |"]
        for reason, which in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"| {reason} | {len(which)} | {', '.join(which[:8])}{' …' if len(which) > 8 else ''} |")
        lines.append("")
    if mismatches:
        lines += ["## Overall grade differs from the manifest", ""] + [f"- {m}" for m in mismatches] + [""]
    lines += ["## Kind read from the report vs the manifest's framework column", "",
              "| kind (report) | framework (manifest) | reports |", "| --- | --- | ---: |"]
    for (kind, framework), n in sorted(kind_vs_manifest.items()):
        lines.append(f"| {kind} | {framework} | {n} |")
    lines += ["", NOTES]
    named = Counter(label for r in ok for label in r["named"])
    lines += ["", "## Named (unnumbered) passages, by label", "", "| label | reports |", "| --- | ---: |"]
    for label, n in named.most_common(40):
        lines.append(f"| {label} | {n} |")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[8:16]))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
