"""BM25 over whole passages: finds exact figures and rare names that embeddings blur."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np
from scipy import sparse

from assistant.text import terms, words
from ingest import Paragraph


class OkapiScores:
    """BM25 (Okapi) scores as ``rank_bm25.BM25Okapi`` computes them (k1 1.5, b 0.75, a negative idf
    raised to a quarter of the mean idf), held as one sparse term × passage matrix of each term's
    share: a question's scores are the sum of its terms' rows. rank_bm25 reads every passage's term
    dictionary per query term (55 ms at 199,000 passages, and a dictionary per passage in memory);
    this reads only the passages that hold the term (a few ms)."""

    K1, B, EPSILON = 1.5, 0.75, 0.25

    def __init__(self, tokenised: list[list[str]]):
        self.term_row: dict[str, int] = {}
        rows, cols, counts = [], [], []
        for doc, tokens in enumerate(tokenised):
            for term, count in Counter(tokens).items():
                rows.append(self.term_row.setdefault(term, len(self.term_row)))
                cols.append(doc)
                counts.append(count)
        lengths = np.array([len(t) for t in tokenised], dtype=float)
        tf = np.array(counts, dtype=float)
        df = np.bincount(rows, minlength=len(self.term_row)).astype(float)
        self.document_frequency = {term: int(df[row]) for term, row in self.term_row.items()}
        idf = np.log(len(tokenised) - df + 0.5) - np.log(df + 0.5)
        idf[idf < 0] = self.EPSILON * idf.mean()
        norm = self.K1 * (1 - self.B + self.B * lengths / lengths.mean())
        share = idf[rows] * tf * (self.K1 + 1) / (tf + norm[cols])
        self.matrix = sparse.csr_matrix((share, (rows, cols)), shape=(len(self.term_row), len(tokenised)))

    def scores(self, query_terms: list[str]) -> np.ndarray:
        """Each passage's score; a term said twice counts twice, as in rank_bm25."""
        rows = [self.term_row[t] for t in query_terms if t in self.term_row]
        if not rows:
            return np.zeros(self.matrix.shape[1])
        weights = sparse.csr_matrix((np.ones(len(rows)), (np.zeros(len(rows), dtype=int), rows)),
                                    shape=(1, self.matrix.shape[0]))
        return (weights @ self.matrix).toarray().ravel()


class KeywordIndex:
    """An in-memory BM25 index of passages, built once per set of passages."""

    def __init__(self, paragraphs: list[Paragraph]):
        self.paragraphs = paragraphs
        self.report_of = np.array([p.report for p in paragraphs])
        self.tokens = {p.key: p.tokens for p in paragraphs}
        tokenised = [terms(f"{p.section} {p.text}") for p in paragraphs]
        self.bm25 = OkapiScores(tokenised) if paragraphs else None
        n = max(len(tokenised), 1)
        counted = self.bm25.document_frequency if self.bm25 else {}
        self.idf = {term: math.log(1 + n / df) for term, df in counted.items()}
        # Every word the passages use, unstemmed: to tell a name the reports never mention.
        self.vocabulary_words = {w for p in paragraphs for w in words(f"{p.section} {p.text}")}

    def search(self, query: str, n: int, reports: list[str] | None = None) -> list[tuple[Paragraph, float]]:
        """Top ``n`` passages by BM25 (within ``reports`` when given), best first; none sharing no term."""
        query_terms = terms(query)
        if not self.bm25 or not query_terms:
            return []
        scores = self.bm25.scores(query_terms)
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

    def passages_with(self, term: str) -> np.ndarray:
        """The positions in ``paragraphs`` of the passages that use ``term``."""
        if not self.bm25 or (row := self.bm25.term_row.get(term)) is None:
            return np.array([], dtype=int)
        return self.bm25.matrix.indices[self.bm25.matrix.indptr[row]:self.bm25.matrix.indptr[row + 1]]

    def weight(self, term: str) -> float:
        """How telling a term is: rare terms weigh more; unseen terms weigh most."""
        return self.idf.get(term, math.log(1 + len(self.paragraphs)))
