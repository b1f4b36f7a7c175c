"""Per-question metrics and their aggregation: pure functions, no LLM judge.

Conventions (a metric that does not apply to a question is ``None`` and left out of every mean):
- retrieval (hit@k, recall@k, mrr@10): answerable questions with gold labels only;
- citation validity: every question; 1.0 when nothing is cited;
- citation resolution: every question; each citation names a report, that report has the passage, and
  the passage holds every sentence the answer quoted from it; 1.0 when nothing is cited;
- citation precision: answerable questions that cite something;
- citation recall: answerable questions with gold labels; 0.0 when nothing is cited (abstained included);
- key-fact containment: questions with key facts;
- abstention_recall: per question 1/0 "abstained", unanswerable questions only;
- false_abstention_rate: per question 1/0 "abstained", answerable questions only;
- wrongly_named: questions with ``must_not_name``; 1/0 "the answer names an authority that does not meet
  the condition" (whole words, case-insensitive), unless each line naming it gives it a grade the
  reference answer gives it ("of A, B and C, whose…?": "Bolton: requires improvement" shows Bolton as
  not meeting it, as the writers' own references do);
- error_rate: 1/0 "asking or retrieving raised"; latency_ms: the final ask only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from statistics import mean
from typing import Iterable, Sequence

from assistant.types import Answer

from .gold import TYPES, GoldItem

KS = (1, 3, 5, 10)
METRICS = (
    *(f"hit@{k}" for k in KS), *(f"recall@{k}" for k in KS), "mrr@10",
    "citation_validity", "citation_resolution", "citation_precision", "citation_recall", "gold_cited",
    "key_fact_containment", "abstention_recall", "false_abstention_rate", "wrongly_named", "error_rate", "latency_ms",
)
_BRACKETED = re.compile(r"\[([^\[\]]+)\]")
_PARA = re.compile(r"¶\s*(\d+)")
_CHAR_MAP = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
})


def canon(label: str) -> str:
    """A label as compared: whitespace collapsed, no space after ¶, case folded."""
    return re.sub(r"¶\s+", "¶", " ".join(label.split())).casefold()


def unique(labels: Iterable[str]) -> list[str]:
    """Labels in first-seen order, repeats (compared canonically) dropped."""
    seen, out = set(), []
    for label in labels:
        if canon(label) not in seen:
            seen.add(canon(label))
            out.append(label)
    return out


def _canon_set(labels: Iterable[str]) -> set[str]:
    """The canonical forms of some labels."""
    return {canon(label) for label in labels}


def cited_labels(answer: Answer) -> list[str]:
    """Labels the answer cites: its citations, then any [¶N] in the text they leave out."""
    # A bracket may hold several ("[¶38, ¶46]") and may name the report ("[Ealing 2016 ¶38]").
    in_text = [
        part.strip() for group in _BRACKETED.findall(answer.answer) for part in re.split(r"[;,]", group)
        if _PARA.search(part)
    ]
    return unique([c.label for c in answer.citations] + in_text)


def hit_at_k(retrieved: Sequence[str], gold: Sequence[str], k: int) -> float | None:
    """1.0 if any gold label is among the top-k retrieved labels, else 0.0; None without gold."""
    if not gold:
        return None
    return float(bool(_canon_set(retrieved[:k]) & _canon_set(gold)))


def recall_at_k(retrieved: Sequence[str], gold: Sequence[str], k: int) -> float | None:
    """Fraction of gold labels among the top-k retrieved labels; None without gold."""
    if not gold:
        return None
    wanted = _canon_set(gold)
    return len(_canon_set(retrieved[:k]) & wanted) / len(wanted)


def mrr_at_k(retrieved: Sequence[str], gold: Sequence[str], k: int = 10) -> float | None:
    """1/rank of the first gold label in the top k, 0.0 if none there; None without gold."""
    if not gold:
        return None
    wanted = _canon_set(gold)
    return next((1 / rank for rank, label in enumerate(retrieved[:k], 1) if canon(label) in wanted), 0.0)


def invalid_citations(cited: Sequence[str], sources: Sequence[str], known: Iterable[str]) -> dict[str, str]:
    """Cited labels that are not in the report or not among the answer's sources, with why."""
    known_set, source_set = _canon_set(known), _canon_set(sources)
    bad = {}
    for label in unique(cited):
        if canon(label) not in known_set:
            bad[label] = "not in the report"
        elif canon(label) not in source_set:
            bad[label] = "not among the answer's sources"
    return bad


def citation_validity(cited: Sequence[str], sources: Sequence[str], known: Iterable[str]) -> float:
    """Fraction of distinct cited labels that exist in the report and are among the sources; 1.0 if none."""
    cited = unique(cited)
    if not cited:
        return 1.0
    return 1 - len(invalid_citations(cited, sources, known)) / len(cited)


def unresolved_citations(answer: Answer, passages: dict[tuple[str, str], str]) -> dict[str, str]:
    """Citations that do not open what they claim, with why: ``passages`` maps (report id, label in
    that report) to the passage's text."""
    bad = {}
    for c in answer.citations:
        report, label = getattr(c, "report", ""), getattr(c, "passage_label", "") or c.label
        text = passages.get((report, label))
        if not report:
            bad[c.label] = "names no report"
        elif text is None:
            bad[c.label] = f"{report} has no passage {label!r}"
        elif missing := [q for q in answer.highlights.get(c.label, []) if not holds(text, q)]:
            bad[c.label] = f"the passage does not hold the quoted {missing[0][:60]!r}"
    return bad


def holds(passage: str, quote: str) -> bool:
    """Does a passage hold a quoted sentence: verbatim, or as a list item quoted after the line that
    introduces its list ("Children looked after in this area: At 31 March 2016, 372 children…")?"""
    text, quoted = normalise_text(passage), normalise_text(quote)
    if quoted in text:
        return True
    return any(quoted[: i + 1] in text and quoted[i + 1 :].strip() in text
               for i, ch in enumerate(quoted) if ch == ":")


_GRADE_SAID = {
    "outstanding": re.compile(r"\boutstanding\b"), "good": re.compile(r"\bgood\b"),
    "requires improvement": re.compile(r"\brequir\w*\s+improvement\b"), "inadequate": re.compile(r"\binadequate\b"),
    "no grade": re.compile(r"\b(?:no\s+(?:\w+\s+){0,3}grade|not\s+(?:judged|graded))\b"),
}
_TO_BE_GOOD = re.compile(r"\bto\s+be\s+good\b")  # "requires improvement to be good" is not "good"


def grades_said(text: str) -> set[str]:
    """The grades a normalised text gives: {"requires improvement"} for "required improvement to be good"."""
    text = _TO_BE_GOOD.sub("", text)
    return {grade for grade, said in _GRADE_SAID.items() if said.search(text)}


def wrongly_named(answer_text: str, must_not_name: Sequence[str], reference: str = "") -> list[str]:
    """The authorities of ``must_not_name`` the answer names, other than in lines that give them a
    grade the reference gives them (there, they are shown as not meeting the condition)."""
    lines = [normalise_text(line) for line in answer_text.splitlines() if line.strip()]
    said = [normalise_text(s) for s in re.split(r"(?<=[.;])\s+", reference)]
    wrong = []
    for authority in must_not_name:
        name = re.compile(rf"\b{re.escape(normalise_text(authority))}\b")
        given = set().union(*(grades_said(s) for s in said if name.search(s)))
        if any(name.search(line) and not grades_said(line) & given for line in lines):
            wrong.append(authority)
    return wrong


def citation_resolution(answer: Answer, passages: dict[tuple[str, str], str]) -> float:
    """Fraction of the answer's citations that open the passage they claim, holding what was quoted; 1.0 if none."""
    if not answer.citations:
        return 1.0
    return 1 - len(unresolved_citations(answer, passages)) / len(answer.citations)


def citation_precision(cited: Sequence[str], gold: Sequence[str], neighbours: Sequence[str],
                       answerable: bool) -> float | None:
    """Fraction of distinct cited labels in gold ∪ neighbours; None if unanswerable or nothing cited."""
    cited = unique(cited)
    if not answerable or not cited:
        return None
    ok = _canon_set(gold) | _canon_set(neighbours)
    return sum(canon(label) in ok for label in cited) / len(cited)


def citation_recall(cited: Sequence[str], gold: Sequence[str], answerable: bool) -> float | None:
    """Fraction of gold labels cited (0.0 if nothing cited); None if unanswerable or without gold."""
    if not answerable or not gold:
        return None
    wanted = _canon_set(gold)
    return len(_canon_set(cited) & wanted) / len(wanted)


def gold_cited(cited: Sequence[str], gold: Sequence[str], answerable: bool) -> float | None:
    """1.0 when the answer cites at least one gold label (the issue's "a gold paragraph cited"), else 0.0;
    None if unanswerable or without gold."""
    if not answerable or not gold:
        return None
    return float(bool(_canon_set(cited) & _canon_set(gold)))


def normalise_text(text: str) -> str:
    """Text as key facts are matched: NFKC, plain quotes and dashes, citations dropped, spaces collapsed, casefolded."""
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    text = _BRACKETED.sub("", text)
    return " ".join(text.split()).casefold()


def missing_key_facts(answer_text: str, key_facts: Sequence[Sequence[str]]) -> list[str]:
    """The first spelling of each key fact of which no spelling occurs in the answer."""
    text = normalise_text(answer_text)
    return [fact[0] for fact in key_facts if not any(normalise_text(alt) in text for alt in fact)]


def key_fact_containment(answer_text: str, key_facts: Sequence[Sequence[str]]) -> float | None:
    """Fraction of key facts found in the answer (any spelling); None without key facts."""
    if not key_facts:
        return None
    return 1 - len(missing_key_facts(answer_text, key_facts)) / len(key_facts)


@dataclass
class QuestionResult:
    """Everything measured about one gold question: what came back, its metrics, what went wrong."""

    id: str
    type: str
    question: str
    answerable: bool
    standalone_question: str
    answer: str
    abstained: bool
    citations: list[str]
    sources: list[str]
    retrieved: list[str]
    gold: list[str]
    latency_ms: float
    metrics: dict[str, float | None]
    failures: list[str] = field(default_factory=list)
    error: str | None = None
    form: str = ""
    answer_kind: str = ""

    def to_dict(self) -> dict:
        """The result as JSON-serialisable data."""
        return asdict(self)


def score(item: GoldItem, answer: Answer, retrieved: Sequence[str], latency_ms: float,
          known: Iterable[str], error: str | None = None,
          passages: dict[tuple[str, str], str] | None = None) -> QuestionResult:
    """Score one answered gold question against its gold record; ``passages`` (report, label) → text
    for citation resolution, which is not measured without it."""
    known = list(known)
    cited = cited_labels(answer)
    sources = [s.label for s in answer.sources]
    gold = item.gold if item.answerable else []
    m: dict[str, float | None] = {}
    for k in KS:
        m[f"hit@{k}"] = hit_at_k(retrieved, gold, k)
        m[f"recall@{k}"] = recall_at_k(retrieved, gold, k)
    m["mrr@10"] = mrr_at_k(retrieved, gold, 10)
    m["citation_validity"] = citation_validity(cited, sources, known)
    m["citation_resolution"] = citation_resolution(answer, passages) if passages is not None else None
    m["citation_precision"] = citation_precision(cited, item.gold, item.neighbours, item.answerable)
    m["citation_recall"] = citation_recall(cited, item.gold, item.answerable)
    m["gold_cited"] = gold_cited(cited, item.gold, item.answerable)
    m["key_fact_containment"] = key_fact_containment(answer.answer, item.key_facts)
    m["abstention_recall"] = None if item.answerable else float(answer.abstained)
    m["false_abstention_rate"] = float(answer.abstained) if item.answerable else None
    m["wrongly_named"] = float(bool(wrongly_named(answer.answer, item.must_not_name, item.reference))) if item.must_not_name else None
    m["error_rate"] = float(error is not None)
    m["latency_ms"] = latency_ms
    result = QuestionResult(
        id=item.id, type=item.type, question=item.question, answerable=item.answerable,
        standalone_question=answer.standalone_question, answer=answer.answer,
        abstained=answer.abstained, citations=cited, sources=sources, retrieved=list(retrieved),
        gold=list(item.gold), latency_ms=latency_ms, metrics=m, error=error, form=item.form,
        answer_kind=item.answer_kind,
    )
    result.failures = failure_reasons(item, result, known)
    if passages is not None:
        result.failures += [f"unresolved citation {label}: {why}" for label, why in unresolved_citations(answer, passages).items()]
    return result


def failure_reasons(item: GoldItem, r: QuestionResult, known: Iterable[str]) -> list[str]:
    """What went wrong with one answer, in words; empty when nothing did."""
    reasons = [f"error: {r.error}"] if r.error else []
    if r.metrics["hit@5"] == 0.0:
        reasons.append(f"missed gold in top 5: wanted {', '.join(item.gold)}; got {', '.join(r.retrieved[:5]) or 'nothing'}")
    for label, why in invalid_citations(r.citations, r.sources, known).items():
        reasons.append(f"invalid citation {label}: {why}")
    if item.answerable and r.abstained:
        reasons.append("false abstention")
    elif not item.answerable and not r.abstained:
        reasons.append("failed to abstain")
    if not r.abstained:
        reasons += [f"missing key fact {fact!r}" for fact in missing_key_facts(r.answer, item.key_facts)]
    reasons += [f"names {a}, which does not meet the condition" for a in wrongly_named(r.answer, item.must_not_name, item.reference)]
    return reasons


def _group(results: Sequence[QuestionResult]) -> dict:
    """Means and counts of each metric over some results (None values left out)."""
    means, counts = {}, {}
    for name in METRICS:
        values = [r.metrics[name] for r in results if r.metrics.get(name) is not None]
        means[name] = mean(values) if values else None
        counts[name] = len(values)
    return {"n": len(results), "failed": sum(bool(r.failures) for r in results), "means": means, "counts": counts}


def summarise(results: Sequence[QuestionResult]) -> dict:
    """Metric means and counts, overall and by question type."""
    order = {t: i for i, t in enumerate(TYPES)}
    types = sorted({r.type for r in results}, key=lambda t: (order.get(t, len(order)), t))
    forms = sorted({r.form for r in results if r.form})
    kinds = sorted({r.answer_kind for r in results if r.answer_kind})
    return {
        "overall": _group(results),
        "by_type": {t: _group([r for r in results if r.type == t]) for t in types},
        **({"by_form": {f: _group([r for r in results if r.form == f]) for f in forms}} if forms else {}),
        **({"by_answer_kind": {k: _group([r for r in results if r.answer_kind == k]) for k in kinds}} if kinds else {}),
    }

