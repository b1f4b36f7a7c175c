"""Sanity checks for a gold set (eval/GOLD.md, eval/GOLD_CORPUS.md) against the reports it is about.

Parses the reports with the project's own parser (ingest.parse_path), names their passages the way
the assistant cites them (assistant.reading.reports.Catalogue: "¶38" with one report, "<Authority> <year>
<label>" with several), then checks: valid JSON, schema, unique ids, follow-up turns, that every
gold / neighbour / reference label exists under those names, and that every key fact has at least
one alternative appearing (case-insensitive, quotes and dashes normalised) in the text of the
question's gold passages. Over several reports it also checks that questions name the report(s)
they are about, and the minimum counts that set was written to.

Run: python eval/check_gold.py                                   (eval/gold.jsonl, the Ealing report)
     python eval/check_gold.py eval/gold_corpus.jsonl eval/corpus_reports.txt
Exit status 1 on any error.
"""
from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.reading.reports import Catalogue  # noqa: E402
from ingest import parse_path  # noqa: E402

DEFAULT_GOLD = ROOT / "eval" / "gold.jsonl"
DEFAULT_REPORTS = [ROOT / "data" / "ealing-2016.md"]
TYPES = {"numeric", "factoid", "summary", "list", "comparison", "synthesis",
         "paraphrase", "lookup", "followup", "unanswerable"}
KEYS = ["id", "type", "question", "turns", "gold", "neighbours", "key_facts", "reference", "answerable"]
MIN_PER_REPORT, MIN_COMPARISON, MIN_UNANSWERABLE, MIN_TOTAL = 8, 8, 10, 60


def norm(s: str) -> str:
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = s.replace("\u2013", "-").replace("\u2014", "-").replace("\\*", "*")
    return re.sub(r"\s+", " ", s).lower()


def load_passages(reports: list[Path]):
    """{citation name: passage text}, {report name: (authority, year)} for the reports."""
    parsed = [parse_path(p) for p in reports]
    cat = Catalogue({r.report: {"authority": r.authority, "inspection_start": r.inspection_start,
                                "published_on": r.published_on} for r in parsed})
    passages, names = {}, {}
    for r in parsed:
        info = cat.reports[r.report]
        names[info.name] = (info.authority, info.year)
        for p in r.paragraphs:
            name = cat.label(r.report, p.label)
            if name in passages:
                raise SystemExit(f"duplicate passage name {name}")
            passages[name] = p.text
    return parsed, cat, passages, names


def report_of(label: str, names) -> str | None:
    for name in names:
        if label.startswith(name + " "):
            return name
    return None


def check(gold: Path, reports: list[Path]) -> tuple[list[str], list[str], str]:
    """(errors, warnings, summary) of a gold set over the reports it is about."""
    parsed, cat, passages, names = load_passages(reports)
    several = cat.many
    ntext = {k: norm(v) for k, v in passages.items()}
    whole = " ".join(ntext.values())
    errors, warnings = [], []
    ids, counts, per_report = set(), collections.Counter(), collections.Counter()
    for i, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except Exception as e:  # noqa: BLE001
            errors.append(f"line {i}: bad json {e}")
            continue
        if sorted(set(q) - {"standalone"}) != sorted(KEYS):
            errors.append(f"line {i}: keys {sorted(q)}")
            continue
        qid = q["id"]
        if not re.fullmatch(r"[a-z]\d{3}", qid):
            errors.append(f"{qid}: id should be a letter and three digits (q001, c001, ...)")
        if qid in ids:
            errors.append(f"{qid}: duplicate id")
        ids.add(qid)
        if q["type"] not in TYPES:
            errors.append(f"{qid}: type {q['type']}")
        counts[q["type"]] += 1
        if q["type"] == "followup":
            if not (1 <= len(q["turns"]) <= 2):
                errors.append(f"{qid}: followup needs 1-2 turns")
            if not q.get("standalone", "").strip():
                errors.append(f"{qid}: followup needs its standalone form (the question asked on its own)")
        elif q["turns"] or "standalone" in q:
            errors.append(f"{qid}: turns and standalone only for followup")
        for lab in q["gold"] + q["neighbours"]:
            if lab not in passages:
                errors.append(f"{qid}: unknown label {lab!r}")
        if set(q["gold"]) & set(q["neighbours"]):
            errors.append(f"{qid}: label both gold and neighbour")
        if len(set(q["gold"])) != len(q["gold"]) or len(set(q["neighbours"])) != len(q["neighbours"]):
            errors.append(f"{qid}: repeated label")
        for group in re.findall(r"\[([^\]]+)\]", q["reference"]):
            for cited in [group] if group in passages else re.split(r",\s*", group):
                if cited not in passages:
                    errors.append(f"{qid}: reference cites unknown {cited!r}")
        if q["type"] == "unanswerable":
            if q["answerable"] or q["gold"] or q["key_facts"]:
                errors.append(f"{qid}: unanswerable must have answerable=false, gold=[], key_facts=[]")
            continue
        if not q["answerable"] or not q["gold"]:
            errors.append(f"{qid}: answerable question needs gold")
        if not q["key_facts"]:
            errors.append(f"{qid}: answerable question needs key facts")
        gtext = " ".join(ntext.get(l, "") for l in q["gold"])
        for fact in q["key_facts"]:
            if not fact or not all(isinstance(a, str) and a.strip() for a in fact):
                errors.append(f"{qid}: malformed key fact {fact}")
                continue
            if not any(norm(a) in gtext for a in fact):
                errors.append(f"{qid}: key fact {fact} not in gold passages")
            for a in fact:
                if norm(a) not in whole:
                    warnings.append(f"{qid}: alternative {a!r} not verbatim in any report (spelling variant)")
        if not several:
            continue
        # scope: the question (with earlier turns) names the report(s) its gold comes from
        asked = " ".join(q["turns"] + [q["question"]])
        reports = sorted({report_of(l, names) for l in q["gold"]} - {None})
        for name in reports:
            authority, year = names[name]
            if not re.search(rf"\b{re.escape(authority)}", asked, re.I):
                errors.append(f"{qid}: question does not name {authority}")
            if year not in asked:
                (warnings if q["type"] == "comparison" else errors).append(
                    f"{qid}: question does not name the year {year} of {name}")
        if q["type"] == "comparison":
            if len(reports) < 2:
                errors.append(f"{qid}: comparison gold should come from two or more reports")
            for name in reports:
                own = " ".join(ntext[l] for l in q["gold"] if l.startswith(name + " "))
                if not any(any(norm(a) in own for a in fact) for fact in q["key_facts"]):
                    warnings.append(f"{qid}: no key fact comes from {name}'s gold passages")
        elif len(reports) == 1:
            per_report[reports[0]] += 1
    total = sum(counts.values())
    if several:
        for name in names:
            if per_report[name] < MIN_PER_REPORT:
                errors.append(f"only {per_report[name]} single-report questions about {name}")
        if counts["comparison"] < MIN_COMPARISON:
            errors.append(f"only {counts['comparison']} comparison questions")
    if counts["unanswerable"] < MIN_UNANSWERABLE:
        errors.append(f"only {counts['unanswerable']} unanswerable questions")
    if total < MIN_TOTAL:
        errors.append(f"only {total} questions")
    lines = ["reports:"] + [
        f"  {cat.reports[r.report].name:16} id={r.report:22} kind={r.kind:17} passages={len(r.paragraphs)}"
        for r in parsed
    ]
    lines.append(f"total {total} {dict(sorted(counts.items()))}")
    if several:
        lines.append(f"single-report questions (incl. follow-ups): {dict(sorted(per_report.items()))}")
    return errors, warnings, "\n".join(lines)


FORMS = {"publication-year", "inspection-year", "inspection-month", "kind", "latest", "previous", "first",
         "authority-only", "unscoped", "comparison", "change", "followup", "no-report-year", "not-loaded",
         "not-in-report"}


def check_by_id(gold: Path, reports: list[Path], facts_in_passages: bool = True) -> tuple[list[str], str]:
    """(errors, summary) of a gold set whose labels name passages by report id ("leeds-2022-05-09 ¶12"),
    as eval/GOLD_MULTI.md describes: labels exist, key facts are in the gold passages (a year with no
    report lists the years there are instead), follow-ups carry their turns, refusals cite nothing.
    Aggregate sets (``facts_in_passages`` False) name councils and counts that no one passage holds."""
    parsed = [parse_path(p) for p in reports]
    passages = {f"{r.report} {p.label}": norm(p.text) for r in parsed for p in r.paragraphs}
    errors, forms, ids = [], collections.Counter(), set()
    for n, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        q = json.loads(line)
        qid = q.get("id", f"line {n}")
        if qid in ids:
            errors.append(f"{qid}: duplicate id")
        ids.add(qid)
        if q.get("form", "") not in FORMS | {""} or q.get("type") not in TYPES:
            errors.append(f"{qid}: form {q.get('form')!r} / type {q.get('type')!r}")
        forms[q.get("form") or q.get("type")] += 1
        if bool(q["turns"]) != (q["type"] == "followup") or (q["turns"] and not q.get("standalone")):
            errors.append(f"{qid}: a follow-up, and only a follow-up, has turns and its standalone form")
        errors += [f"{qid}: unknown label {label!r}" for label in q["gold"] + q["neighbours"] if label not in passages]
        if not q["answerable"]:
            if q["gold"]:
                errors.append(f"{qid}: a question to refuse has no gold")
            continue
        if not facts_in_passages:  # aggregate answers name councils and counts, not words of one passage
            continue
        text = " ".join(passages.get(label, "") for label in q["gold"])
        errors += [f"{qid}: key fact {fact} not in its gold passages" for fact in q["key_facts"]
                   if not any(norm(a) in text for a in fact)]
    return errors, f"total {sum(forms.values())} {dict(sorted(forms.items()))}"


def main(argv: list[str]) -> None:
    gold = Path(argv[0]) if argv else DEFAULT_GOLD
    if len(argv) > 1:
        from eval.run import read_reports_file

        reports = read_reports_file(Path(argv[1]))
    else:
        reports = DEFAULT_REPORTS
    errors, warnings, summary = check(gold, reports)
    for e in errors:
        print("ERROR", e)
    for w in warnings:
        print("warn ", w)
    print(summary)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
