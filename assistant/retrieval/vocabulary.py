"""Question → the reports' own words: a word no report uses is searched with the report words
nearest it in the embedding model's space ("teeth" → "dental", "kids" → "children").

Staff ask in their own words; the keyword search finds only the report's, and the dense search
reads a whole question in which one plain word carries the topic. The nearest words are found
among the words the reports use, each embedded on its own and kept in the index.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.retrieval.index import ReportIndex
from assistant.retrieval.keyword import KeywordIndex
from assistant.settings import AnswerSettings
from assistant.text import terms


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
