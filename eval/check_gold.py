"""Sanity checks for eval/gold.jsonl against the report text.

Segments data/ealing-2016.md into citation passages (numbered paragraphs
"¶N", page-break continuations joined, plus the named unnumbered sections),
then checks: valid JSON, schema, unique ids, labels exist, and that every
key fact has at least one alternative appearing (case-insensitive) in the
text of the gold passages. Self-contained: does not use assistant/ or ingest/.
"""
import json, re, sys, collections
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "data" / "ealing-2016.md"
GOLD = ROOT / "eval" / "gold.jsonl"

SECTIONS = [
    "Judgements", "Executive summary", "Information about this local authority area",
    "Summary for children", "Summary: children who need help and protection",
    "Summary: children looked after and achieving permanence",
    "Summary: leadership, management and governance", "LSCB executive summary",
    "Information about this inspection",
]
TYPES = {"numeric", "factoid", "summary", "list", "comparison", "synthesis",
         "paraphrase", "lookup", "followup", "unanswerable"}
PARA = re.compile(r"^(?:- )?(\d{1,3})\. ")


def norm(s):
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"<[^>]+>", " ", s)
    s = s.replace("\\*", "*")
    return re.sub(r"\s+", " ", s).lower()


def segment(text):
    lines = text.split("\n")
    segs = collections.OrderedDict()
    cur = "Judgements"          # title block + judgement table
    segs[cur] = []
    for ln in lines:
        s = ln.strip()
        new = None
        m = PARA.match(s)
        if m and not s.startswith("<"):
            new = "¶" + m.group(1)
        elif s == "## Executive summary":
            new = "Executive summary"
        elif s == "# Contents":
            new = "_contents"
        elif s.startswith("### Information about this local authority area"):
            new = "Information about this local authority area"
        elif s == "## Recommendations":
            new = "_recs_heading"
        elif s == "## Summary for children":
            new = "Summary for children"
        elif s.startswith("<b>The experiences and progress of children who need help"):
            new = "Summary: children who need help and protection"
        elif s.startswith("**The experiences and progress of children looked after"):
            new = "Summary: children looked after and achieving permanence"
        elif s.startswith("<b>Leadership, management and governance</b>"):
            new = "Summary: leadership, management and governance"
        elif s.startswith("### The Local Safeguarding Children Board requires improvement"):
            new = "LSCB executive summary"
        elif s.startswith("### **Inspection findings"):
            new = "_lscb_findings_heading"
        elif s.startswith("## **Information about this inspection"):
            new = "Information about this inspection"
        elif s.startswith("## Inspection findings") or s.startswith("## The Local Safeguarding"):
            new = "_heading"
        if new:
            cur = new
            segs.setdefault(cur, [])
        segs[cur].append(ln)
    return {k: "\n".join(v) for k, v in segs.items()}


def main():
    text = REPORT.read_text(encoding="utf-8")
    segs = segment(text)
    nums = sorted(int(k[1:]) for k in segs if k.startswith("¶"))
    assert nums == list(range(1, 144)), nums
    for s in SECTIONS:
        assert s in segs and len(segs[s]) > 50, s
    ntext = {k: norm(v) for k, v in segs.items()}
    whole = norm(text)
    errors, warnings = [], []
    ids, counts = set(), collections.Counter()
    keys = ["id", "type", "question", "turns", "gold", "neighbours", "key_facts", "reference", "answerable"]
    for i, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), 1):
        try:
            q = json.loads(line)
        except Exception as e:
            errors.append(f"line {i}: bad json {e}"); continue
        if sorted(q) != sorted(keys):
            errors.append(f"line {i}: keys {sorted(q)}")
        qid = q["id"]
        if qid in ids: errors.append(f"{qid}: duplicate id")
        ids.add(qid)
        if q["type"] not in TYPES: errors.append(f"{qid}: type {q['type']}")
        counts[q["type"]] += 1
        if q["type"] == "followup":
            if not (1 <= len(q["turns"]) <= 2): errors.append(f"{qid}: followup needs 1-2 turns")
        elif q["turns"]:
            errors.append(f"{qid}: turns only for followup")
        for lab in q["gold"] + q["neighbours"]:
            if lab not in segs or lab.startswith("_"):
                errors.append(f"{qid}: unknown label {lab}")
        if set(q["gold"]) & set(q["neighbours"]):
            errors.append(f"{qid}: label both gold and neighbour")
        if q["type"] == "unanswerable":
            if q["answerable"] or q["gold"] or q["key_facts"]:
                errors.append(f"{qid}: unanswerable must have answerable=false, gold=[], key_facts=[]")
            continue
        if not q["answerable"] or not q["gold"]:
            errors.append(f"{qid}: answerable question needs gold")
        for lab in re.findall(r"\[([^\]]+)\]", q["reference"]):
            for l in re.split(r",\s*", lab):
                if l not in segs:
                    errors.append(f"{qid}: reference cites unknown {l}")
        gtext = " ".join(ntext.get(l, "") for l in q["gold"])
        for fact in q["key_facts"]:
            if not any(norm(a) in gtext for a in fact):
                errors.append(f"{qid}: key fact {fact} not in gold passages")
            for a in fact:
                if norm(a) not in whole:
                    warnings.append(f"{qid}: alternative {a!r} not verbatim in report (spelling variant)")
    for e in errors: print("ERROR", e)
    for w in warnings: print("warn ", w)
    print("total", sum(counts.values()), dict(sorted(counts.items())))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
