"""The report's sentences as the extractive answerer scores them, and the chosen ones written out
as the answer: in reading order, each run from one passage cited once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from assistant.reading.answer_kinds import has_figure
from assistant.answering.cite import cite
from assistant.text import terms
from assistant.types import Source

_TAG = re.compile(r"\s*\((?:recommendations?|area for improvement|areas for improvement)\)\s*$", re.I)  # SIF paragraph tags
# A sentence that leans on the one before it ("This is better than…") is quoted with it.
_LEANS_BACK = re.compile(r"^(this|these|that|those|it|they|their|such|however|despite this|as a result)\b", re.I)


@dataclass
class ScoredSentence:
    source: Source
    rank: int  # the source's retrieval rank
    index: int  # position within the passage
    text: str
    vector: np.ndarray
    score: float = 0.0
    similarity: float = 0.0  # cosine to the question, in its passage's context
    terms: frozenset[str] = field(init=False)  # worked out once: scoring, citing and checks all read them

    def __post_init__(self) -> None:
        self.terms = frozenset(terms(self.text))


def leans_back(text: str) -> bool:
    """Does the sentence lean on the one before it ("This is currently at 179 days")?"""
    return bool(_LEANS_BACK.match(text))


def compose(chosen: list[ScoredSentence], candidates: list[ScoredSentence], lead: ScoredSentence | None = None) -> str:
    """The lead sentence (with the one it leans on), then, after a blank line, the rest grouped by
    passage in retrieval order, each in reading order; a run of sentences from one passage is cited
    once, at its end.

    A chosen sentence that leans on the one before it brings that one along, and a following
    sentence that leans on a chosen one ("This is better than the England average…") comes too.
    """
    by_position = {(c.source.label, c.index): c for c in candidates}
    picked: dict[tuple[str, int], ScoredSentence] = {}
    for sentence in chosen:
        previous = by_position.get((sentence.source.label, sentence.index - 1))
        if previous and leans_back(sentence.text):
            picked[(previous.source.label, previous.index)] = previous
        picked[(sentence.source.label, sentence.index)] = sentence
        following = by_position.get((sentence.source.label, sentence.index + 1))
        if following and leans_back(following.text) and has_figure(following.text):
            picked[(following.source.label, following.index)] = following
    ordered = [s for s in sorted(picked.values(), key=lambda s: (s.rank, s.index)) if as_sentence(s.text)]
    lead = lead or (ordered[0] if ordered else None)
    # Sentences by position, not by value: two of them may say the same words.
    leading = {(lead.source.label, lead.index)} if lead else set()
    if lead and leans_back(lead.text):
        leading.add((lead.source.label, lead.index - 1))
    first = [s for s in ordered if (s.source.label, s.index) in leading]
    rest = [s for s in ordered if (s.source.label, s.index) not in leading]
    return "\n\n".join(_cited_runs(part) for part in (first, rest) if part)


def _cited_runs(sentences: list[ScoredSentence]) -> str:
    """The sentences in order, each run from one passage followed by that passage's citation."""
    runs: list[tuple[str, list[str]]] = []
    for s in sentences:
        if runs and runs[-1][0] == s.source.label:
            runs[-1][1].append(as_sentence(s.text))
        else:
            runs.append((s.source.label, [as_sentence(s.text)]))
    return " ".join(f"{' '.join(said)} {cite(label)}" for label, said in runs)


def as_sentence(text: str) -> str:
    """The sentence as quoted: without list marks or the report's trailing "(Recommendation)" tag; "" when
    nothing else is left."""
    text = _TAG.sub("", text.strip().lstrip("-•* ").strip()).strip()
    if not text:
        return ""
    return text if text.endswith((".", "!", "?", ".'", ".’", ")")) else text + "."
