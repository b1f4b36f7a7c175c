"""Question → the reports' own words: a word no report uses is searched with the report words
nearest it in the embedding model's space ("teeth" → "dental", "kids" → "children").

Staff ask in their own words; the keyword search finds only the report's, and the dense search
reads a whole question in which one plain word carries the topic. The nearest words are found
among the words the reports use, each embedded on its own and kept in the index.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import lru_cache

import numpy as np

from assistant.retrieval.index import ReportIndex
from assistant.retrieval.keyword import KeywordIndex
from assistant.settings import AnswerSettings
from assistant.text import STOP_WORDS, stem, terms, words


class ReportWords:
    """What the loaded reports call the things a question names in other words."""

    def __init__(self, index: ReportIndex, keyword: KeywordIndex, tuning: AnswerSettings = AnswerSettings()):
        self.index = index
        self.keyword = keyword
        self.tuning = tuning  # how near a report word must be, and how many stand in (README, "Words the reports do not use")

    @lru_cache(maxsize=32)
    def vocabulary(self, reports: tuple[str, ...] | None = None) -> tuple[set[str], set[str]]:
        """The words the reports in scope use, and their terms (all loaded reports when None): a
        word some other report uses is still one the reports asked about do not."""
        if reports is None:
            return self.keyword.vocabulary_words, self.keyword.idf.keys()
        scoped = [self.keyword.report_vocabulary(r) for r in reports]
        return set().union(*(used for used, _ in scoped)), set().union(*(stems for _, stems in scoped))

    def knows(self, word: str, reports: tuple[str, ...] | None = None) -> bool:
        """Do the reports in scope use this word, or another form of it?"""
        used, stems = self.vocabulary(reports)
        return word in used or any(t in stems for t in terms(word))

    def nearest(self, word: str, reports: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """The words of the reports in scope nearest ``word``: at most ``similar_words``, each at least
        ``similar_word`` near, and a second nearly as near as the first."""
        used, _ = self.vocabulary(reports)
        near = [(w, similarity) for w, similarity in self._candidates(word) if w in used]
        tune = self.tuning
        return tuple(w for w, similarity in near[:tune.similar_words] if similarity >= near[0][1] - tune.similar_word_within)

    @lru_cache(maxsize=1024)
    def _candidates(self, word: str) -> tuple[tuple[str, float], ...]:
        """Stored words at least ``similar_word`` near ``word``, nearest first. Another form of the same word
        ("spent" → "spend") adds no meaning and only reweights the search."""
        vector = self.index.embeddings.embed_query(word)
        return tuple(
            (w, similarity) for w, similarity in self.index.words.nearest(vector, 16)
            if similarity >= self.tuning.similar_word and w[:4] != word[:4]
        )

    def unmentioned_phrase(self, text: str, reports: tuple[str, ...], ignore: Collection[str] = ()) -> str | None:
        """A name for something the reports in scope never mention: two telling words side by side in
        ``text`` ("deprivation of liberty", "drug and alcohol court") that at least ``phrase_known_reports``
        other loaded reports use together and none in scope does. Each word alone may be common; together
        they name a service, an order or a body, and a report that never names it cannot say what it did.
        Words in ``ignore`` (grades, judgement areas) are left to the routes that read them."""
        tune, ignore = self.tuning, set(ignore)
        said = [w for w in words(text.replace("-", " ")) if w not in STOP_WORDS]
        for first, second in zip(said, said[1:]):
            pair = stem(first), stem(second)
            if pair[0] == pair[1] or {first, second} & ignore:
                continue
            if min(self.keyword.weight(t) for t in pair) < tune.phrase_weight:
                continue
            if any(_together(sequence, pair, tune.phrase_window) for r in reports for sequence in self._sequences(r)):
                continue
            if self._others_saying(pair, reports) >= tune.phrase_known_reports:
                return _span(text, first, second)
        return None

    def unmentioned_name(self, names: Sequence[str], reports: tuple[str, ...], ignore: Collection[str] = ()) -> str | None:
        """The first of ``names`` (``question.names_given``) that no report in scope uses: a word none of
        them uses in any form, or words that no passage holds together ("Staying Close") and whose
        initials none uses either ("RAA"). Names made of ``ignore`` words (grades, areas) are left to the
        routes that read them."""
        ignore = set(ignore)
        for name in names:
            said = [w for w in words(name.replace("-", " ")) if w not in STOP_WORDS]
            if not said or set(said) <= ignore:
                continue
            if len(said) == 1:
                if not self.knows(said[0], reports):
                    return name
                continue
            wanted = [stem(w) for w in said]
            initials = "".join(w[0] for w in said)
            if self.knows(initials, reports) or any(
                _together(sequence, wanted, len(wanted) + 1) for r in reports for sequence in self._sequences(r)
            ):
                continue
            return name
        return None

    @lru_cache(maxsize=64)
    def _sequences(self, report: str) -> tuple[list[str], ...]:
        """Each passage of one report as its terms, hyphenated words taken apart."""
        return tuple(_split_terms(f"{p.section} {p.text}") for p in self.keyword.paragraphs if p.report == report)

    def _others_saying(self, pair: tuple[str, str], reports: tuple[str, ...]) -> int:
        """How many reports outside ``reports`` hold the two terms within ``phrase_window`` of each other
        in one passage, counted up to ``phrase_known_reports``."""
        found: set[str] = set()
        for i in np.intersect1d(*(self.keyword.passages_with(t) for t in pair)):
            paragraph = self.keyword.paragraphs[i]
            if paragraph.report in reports or paragraph.report in found:
                continue
            if _together(_split_terms(f"{paragraph.section} {paragraph.text}"), pair, self.tuning.phrase_window):
                found.add(paragraph.report)
                if len(found) >= self.tuning.phrase_known_reports:
                    break
        return len(found)


def _split_terms(text: str) -> list[str]:
    """Terms with hyphenated words taken apart: "asylum-seeking" meets "asylum seeking"."""
    return terms(text.replace("-", " "))


def _together(sequence: list[str], wanted: Sequence[str], window: int) -> bool:
    """Do all ``wanted`` terms stand within ``window`` terms of the first of them somewhere in ``sequence``?"""
    at: dict[str, list[int]] = {t: [] for t in wanted}
    for i, term in enumerate(sequence):
        if term in at:
            at[term].append(i)
    return any(all(any(abs(j - i) <= window for j in at[t]) for t in wanted[1:]) for i in at[wanted[0]])


def _span(text: str, first: str, second: str) -> str:
    """The question's own words from ``first`` to ``second`` ("deprivation of liberty")."""
    lowered = text.lower()
    start = lowered.find(first)
    end = lowered.find(second, start + len(first))
    return text[start:end + len(second)] if start >= 0 and end >= 0 else f"{first} {second}"
