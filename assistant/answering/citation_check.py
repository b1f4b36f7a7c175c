"""The citation check of a model's answer: every citation to a passage that was not retrieved is
removed, a sentence that no cited passage supports is marked, and an answer that is empty, loops or
cites nothing that was retrieved fails (``assistant/answering/generate.py`` then shows the extractive answer)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.answering.cite import CITATION, REFUSAL, cite
from assistant.text import terms, words
from assistant.types import Source
from ingest.sentences import split_sentences

# A looping small model runs until its token limit; past this many characters it is cut off and fails.
MAX_ANSWER_CHARS = 4000
# Share of a sentence's content words that the passages it cites must contain for it to count as supported.
MIN_SUPPORT = 0.4
# Sentences with fewer content words ("In summary:") make no claim worth checking.
MIN_CLAIM_TERMS = 3
# Follows a sentence that no cited passage supports.
UNSUPPORTED = "(unsupported)"

# "[¶38]" is the format; small models also write "(¶38)", "[¶ 38]", "[paragraph 38]" or "[¶38, ¶46]".
_PAREN_CITATION = re.compile(r"\((\s*¶\s*\d{1,4}(?:\s*(?:,|;|and)\s*¶?\s*\d{1,4})*\s*)\)")
_NUMBERED = re.compile(r"^(?:¶|§|paragraphs?|paras?\.?|p\.)?\s*(\d{1,4})$", re.I)
_LABEL_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b)\s*")
# A sentence ends at . ! ? (then any closing quote and the citations that follow it) before a space, or at a line end.
_END = re.compile(r"[.!?]+[\"'’”)]*(?:\s*\[[^\[\]]{1,120}\])*(?=\s|$)|\n+")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|No|St|vs)$", re.I)
_UNCLOSED_BRACKET = re.compile(r"\[[^\]]*$")
_LIST_MARK = re.compile(r"^\s*(?:[-•*]|\d{1,2}[.)])\s+")
_THINKING = re.compile(r"<think>.*?(?:</think>|$)", re.S | re.I)
_SPACE_BEFORE_STOP = re.compile(r"\s+([.,;:!?])")  # left where a citation was taken out
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
REFUSING = re.compile(
    rf"^\W*(?:{re.escape(REFUSAL)}|"
    r"the (?:report|sources?|passages?) (?:does|do) not (?:say|mention|state|contain|give)|"
    r"i (?:do not|don't|cannot|can't) (?:know|find|answer|tell)|there is no information)",
    re.I,
)


@dataclass
class CheckResult:
    """What the citation check made of a model's answer."""

    text: str  # the answer with every citation that names no retrieved source removed
    cited: list[str] = field(default_factory=list)  # labels kept, in order of first use
    removed: list[str] = field(default_factory=list)  # labels cited but not retrieved, in order
    not_in_report: list[str] = field(default_factory=list)  # the removed labels that no passage has
    unsupported: list[tuple[str, str]] = field(default_factory=list)  # (sentence, why)
    problems: list[str] = field(default_factory=list)  # why the answer fails; empty when it passes
    refused: bool = False  # the model said the sources do not answer the question
    highlights: dict[str, list[str]] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.problems and not self.refused

    @property
    def reason(self) -> str:
        return "; ".join(self.problems)


# --- reading the model's text --------------------------------------------------------------
def visible_text(raw: str) -> str:
    """The answer without a reasoning model's <think> block (an unfinished one hides the rest)."""
    return _THINKING.sub(" ", raw).strip()


def split_answer(text: str) -> list[str]:
    """Sentences of a model's answer, each with the citations that follow it.

    Stable while text streams in: every sentence but the last keeps its extent as more text arrives.
    """
    pieces: list[str] = []
    start = 0
    for match in _END.finditer(text):
        if match.group().startswith(".") and _ABBREVIATION.search(text[start : match.start()]):
            continue
        if piece := text[start : match.end()].strip():
            pieces.append(piece)
        start = match.end()
    if tail := text[start:].strip():
        pieces.append(tail)
    merged: list[str] = []
    for piece in pieces:
        # Citations on their own (a line of them, or one still being written) belong to the sentence before.
        if merged and not _has_words(piece):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def _has_words(piece: str) -> bool:
    return bool(re.search(r"\w", _UNCLOSED_BRACKET.sub("", CITATION.sub("", piece))))


def _claim_words(piece: str) -> list[str]:
    return words(CITATION.sub(" ", piece))


@dataclass
class _Sentence:
    text: str  # cleaned, and marked when unsupported; "" when nothing is left
    kept: list[str]
    removed: list[str]
    unsupported: str | None  # why no cited passage supports it


class Labels:
    """Turns what a model wrote inside brackets into source labels, and checks one sentence at a time."""

    def __init__(self, sources: list[Source], known_labels: Iterable[str]):
        self.sources = {s.label: s for s in sources}
        self.retrieved = {s.label.casefold(): s.label for s in sources}
        self.known = {label.casefold(): label for label in known_labels} | self.retrieved

    def read(self, written: str) -> str:
        written = written.strip().strip("'\"“”‘’").strip()
        if numbered := _NUMBERED.match(written):
            return f"¶{int(numbered.group(1))}"
        return self.known.get(written.casefold(), written)

    def clean(self, piece: str) -> tuple[str, list[str], list[str]]:
        """The sentence with only retrieved citations left, the labels kept and the labels removed."""
        kept: list[str] = []
        removed: list[str] = []

        def replace(match: re.Match) -> str:
            here: list[str] = []
            whole = match.group(1)
            # A section name may itself hold "and" or a comma; only an unknown bracket is read as a list.
            parts = [whole] if self.read(whole).casefold() in self.known else _LABEL_SEPARATOR.split(whole)
            for part in parts:
                if not part.strip():
                    continue
                label = self.read(part)
                if label.casefold() in self.retrieved:
                    label = self.retrieved[label.casefold()]
                    if label not in here:
                        here.append(label)
                else:
                    removed.append(label)
            kept.extend(here)
            return " ".join(cite(label) for label in here)

        piece = _LIST_MARK.sub("", _PAREN_CITATION.sub(lambda m: f"[{m.group(1)}]", piece))
        text = CITATION.sub(replace, piece)
        text = _without_space_before_stops(re.sub(r"[ \t]+", " ", text))
        return (text if _has_words(text) else ""), kept, removed

    def check(self, piece: str) -> _Sentence:
        """One sentence cleaned of citations to passages not retrieved, and marked when nothing supports it."""
        text, kept, removed = self.clean(piece)
        why = _support(text, [self.sources[label] for label in kept]) if text else None
        # The mark stays in the text: a reader who skips the notes still sees the claim has no source.
        return _Sentence(f"{text} {UNSUPPORTED}" if why else text, kept, removed, why)


def sentence_key(piece: str) -> str:
    """A sentence as compared for repetition: its words, without citations or case."""
    found = _claim_words(piece)
    return " ".join(found) if len(found) >= 3 else ""


def _loops(text: str) -> bool:
    """Does the text go round in circles: a sentence, or a run of six words, said three times or more?"""
    keys = [k for k in map(sentence_key, split_answer(text)) if k]
    if len(keys) != len(set(keys)):
        return True
    found = words(text)
    runs = Counter(" ".join(found[i : i + 6]) for i in range(len(found) - 5))
    return any(count >= 3 for count in runs.values())


def _support(piece: str, cited: list[Source]) -> str | None:
    """Why the cited passages do not support the sentence, or None when they do."""
    claim = set(terms(CITATION.sub(" ", piece)))
    if len(claim) < MIN_CLAIM_TERMS:
        return None
    if not cited:
        return "no citation"
    source_text = " ".join(s.text for s in cited)
    shared = len(claim & set(terms(source_text))) / len(claim)
    if shared < MIN_SUPPORT:
        return f"the cited passage shares {shared:.0%} of its words"
    figures = {f.replace(",", "") for f in _FIGURE.findall(source_text)}
    if missing := [f for f in _FIGURE.findall(CITATION.sub(" ", piece)) if f.replace(",", "") not in figures]:
        return f"{', '.join(missing)} is not in the cited passage"
    return None


def _best_sentence(piece: str, source: Source) -> str | None:
    """The sentence of a cited passage that shares most with a sentence of the answer, for highlighting."""
    claim = set(terms(CITATION.sub(" ", piece)))
    scored = [(len(claim & set(terms(s))), s) for s in split_sentences(source.text)]
    best = max(scored, default=(0, None), key=lambda pair: pair[0])
    return best[1] if best[0] else None


def _plural(labels: list[str], singular: str, plural: str) -> str:
    return f"{', '.join(dict.fromkeys(labels))} {singular if len(set(labels)) == 1 else plural}"


def check_answer(text: str, sources: list[Source], known_labels: Iterable[str] = ()) -> CheckResult:
    """Check a model's answer against the retrieved sources; ``known_labels`` are all the report's passages."""
    labels = Labels(sources, known_labels)
    visible = visible_text(text)
    result = CheckResult(text="")
    kept_pieces: list[str] = []
    for piece in split_answer(visible):
        sentence = labels.check(piece)
        result.removed += [label for label in sentence.removed if label not in result.removed]
        result.cited += [label for label in sentence.kept if label not in result.cited]
        if not sentence.text:
            continue
        kept_pieces.append(sentence.text)
        if sentence.unsupported:
            claim = CITATION.sub("", sentence.text.removesuffix(UNSUPPORTED)).strip()
            result.unsupported.append((_without_space_before_stops(claim), sentence.unsupported))
        for label in sentence.kept:
            if best := _best_sentence(sentence.text, labels.sources[label]):
                result.highlights.setdefault(label, [])
                if best not in result.highlights[label]:
                    result.highlights[label].append(best)
    result.text = " ".join(kept_pieces)
    known = set(labels.known.values())
    result.not_in_report = [label for label in result.removed if label not in known]
    if REFUSING.match(visible) and not result.cited:
        result.refused = True
        return result
    if not result.text:
        result.problems.append("it was empty")
        return result
    if _loops(visible):
        result.problems.append("it repeated itself")
    if len(visible) > MAX_ANSWER_CHARS:
        result.problems.append(f"it ran on past {MAX_ANSWER_CHARS:,} characters")
    if not result.cited:
        if missing := [label for label in result.removed if label not in result.not_in_report]:
            result.problems.append(f"cited {_plural(missing, 'which was', 'which were')} not retrieved")
        if result.not_in_report:
            result.problems.append(f"cited {_plural(result.not_in_report, 'which is', 'which are')} not in the report")
        if not result.removed:
            result.problems.append("it cited none of the retrieved passages")
    claims = [p for p in kept_pieces if len(set(terms(CITATION.sub(" ", p)))) >= MIN_CLAIM_TERMS]
    if result.cited and claims and len(result.unsupported) * 2 > len(claims):
        result.problems.append(f"{len(result.unsupported)} of its {len(claims)} sentences have no supporting source")
    return result


def _without_space_before_stops(text: str) -> str:
    return _SPACE_BEFORE_STOP.sub(r"\1", text).strip()
