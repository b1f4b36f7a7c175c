"""BM25 over whole passages: finds exact figures and rare names that embeddings blur."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np
from rank_bm25 import BM25Okapi

from assistant.text import terms, words
from ingest import Paragraph


class KeywordIndex:
    """An in-memory BM25 index of passages, built once per set of passages."""

    def __init__(self, paragraphs: list[Paragraph]):
        self.paragraphs = paragraphs
        self.report_of = np.array([p.report for p in paragraphs])
        self.tokens = {p.key: p.tokens for p in paragraphs}
        tokenised = [terms(f"{p.section} {p.text}") for p in paragraphs]
        self.bm25 = BM25Okapi(tokenised) if paragraphs else None
        document_frequency = Counter(term for doc in tokenised for term in set(doc))
        n = max(len(tokenised), 1)
        self.idf = {term: math.log(1 + n / df) for term, df in document_frequency.items()}
        # Every word the passages use, unstemmed: to tell a name the reports never mention.
        self.vocabulary_words = {w for p in paragraphs for w in words(f"{p.section} {p.text}")}

    def search(self, query: str, n: int, reports: list[str] | None = None) -> list[tuple[Paragraph, float]]:
        """Top ``n`` passages by BM25 (within ``reports`` when given), best first; none sharing no term."""
        query_terms = terms(query)
        if not self.bm25 or not query_terms:
            return []
        scores = self.bm25.get_scores(query_terms)
        if reports:
            scores = np.where(np.isin(self.report_of, reports), scores, 0.0)
        top = np.argpartition(-scores, min(n, len(scores) - 1))[:n] if len(scores) > n else np.arange(len(scores))
        ranked = sorted(top, key=lambda i: -scores[i])
        return [(self.paragraphs[i], float(scores[i])) for i in ranked if scores[i] > 0]

    @lru_cache(maxsize=256)
    def spelled_out(self, acronym: str) -> str | None:
        """The words the reports spell an acronym out with: "FGM" → "female genital mutilation",
        "CAMHS" → "child and adolescent mental health services"; None when they do not."""
        plural = acronym.endswith("s") and (len(acronym) > 3 or acronym[:-1].isupper())  # "LAs", "GPs"
        letters = acronym.lower()[:-1] if plural else acronym.lower()
        if not 2 <= len(letters) <= 8 or not letters.isalpha():
            return None
        joiner = r"[a-z'’-]*(?:\s+(?:and|of|for|the|in|on|to|&))*\s+"
        phrase = r"\b(" + joiner.join(letters) + r"[a-z'’-]*)"
        # An acronym the reports also use must be defined by them ("… services (CAMHS)"): words
        # with the right initials turn up by chance ("NEET": "needs of each early…").
        if acronym.lower() in self.vocabulary_words:
            phrase += rf"\s*\(\s*{re.escape(acronym)}s?\s*\)"
        pattern = re.compile(phrase, re.I)
        for paragraph in self.paragraphs:
            if found := pattern.search(paragraph.text):
                return found.group(1)
        return None

    @lru_cache(maxsize=64)
    def report_vocabulary(self, report: str) -> tuple[frozenset[str], frozenset[str]]:
        """Every word one report uses, unstemmed, and its terms (the stems)."""
        used = frozenset(w for p in self.paragraphs if p.report == report for w in words(f"{p.section} {p.text}"))
        return used, frozenset(t for w in used for t in terms(w))

    def weight(self, term: str) -> float:
        """How telling a term is: rare terms weigh more; unseen terms weigh most."""
        return self.idf.get(term, math.log(1 + len(self.paragraphs)))
