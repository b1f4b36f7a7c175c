"""Index → retrieve: dense windows and BM25 passages, fused by reciprocal rank."""

from __future__ import annotations

from typing import Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieval.index import ReportIndex
from assistant.retrieval.keyword import KeywordIndex
from assistant.reading.judgements import area_keys
from assistant.reading.reports import Catalogue
from assistant.reading.question import requested_paragraphs, wants_whole_recommendations, without_the_service
from assistant.settings import AnswerSettings
from assistant.text import STOP_WORDS, words
from assistant.types import Source
from ingest import Paragraph

IMPROVEMENTS_SECTION = "What needs to improve"  # ILACS reports' list, as the 2014-18 framework's recommendations


def source_of(p: Paragraph, score: float, catalogue: Catalogue | None = None) -> Source:
    """A passage as a retrieved source, labelled with its report's name when several are loaded."""
    label = catalogue.label(p.report, p.label) if catalogue else p.label
    return Source(
        report=p.report, paragraph=p.number, label=label, section=p.section, text=p.text, score=score,
        passage_label=p.label,
    )


class PassageRetriever(BaseRetriever):
    """Finds the passages that answer a question; one Source per passage, best first."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: ReportIndex
    keyword: KeywordIndex
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"
    k: int = 6
    dense_candidates: int = 60
    exact_search_windows: int = 20_000
    catalogue: Catalogue | None = None
    tuning: AnswerSettings = AnswerSettings()

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun | None = None
    ) -> list[Document]:
        return [Document(page_content=s.text, metadata={"source": s}) for s in self.rank(query, self.k)]

    def model_post_init(self, context) -> None:
        # Built once: per-question work must not grow with the number of passages.
        self._by_key = {p.key: p for p in self.keyword.paragraphs}
        self._by_report: dict[str, list[Paragraph]] = {}
        for p in self.keyword.paragraphs:
            self._by_report.setdefault(p.report, []).append(p)
        self._windows: dict[str, list[tuple[str, str]]] = {}  # report → (window id, passage key), read on first search
        self._by_number = {}
        for p in self.keyword.paragraphs:
            if p.number is not None:
                self._by_number.setdefault(p.number, []).append(p.key)
        self._recommendations = {}
        self._recommended_in: dict[str, set[str]] = {}  # section → the reports that have it
        self._area_leads = area_leads(self.keyword.paragraphs, self.tuning.area_lead_paragraphs)
        for p in self.keyword.paragraphs:
            if is_recommendation(p.section):
                self._recommendations.setdefault(p.section, []).append(p.key)
                self._recommended_in.setdefault(p.section, set()).add(p.report)

    def rank(
        self, query: str, k: int, vector: list[float] | None = None, reports: list[str] | None = None, *,
        paragraphs: tuple[int, ...] | None = None, sections: list[str] | None = None, skipped: tuple[str, ...] = (),
        areas: frozenset[str] = frozenset(), recommended: bool = False, area: str | None = None,
    ) -> list[Source]:
        """The top ``k`` passages for ``query`` under this retriever's mode, within ``reports`` when given.
        The ``paragraphs`` and recommendation ``sections`` the question names come first (the router
        passes those it read; read from ``query`` when not given). Passages labelled one of ``skipped``
        are left out (the judgement table, for a question it cannot answer); those of the judgement
        ``areas`` it asks about are weighted up, and the opening passages of the one ``area`` it asks
        about as a whole."""
        by_key = self._by_key
        dense = self.dense(query, vector, reports) if self.mode != "bm25" else []
        keyword = (
            [(p.key, s) for p, s in self.keyword.search(query, self.dense_candidates, reports)]
            if self.mode != "dense"
            else []
        )
        if self.mode == "dense":
            ranked = dense
        elif self.mode == "bm25":
            ranked = keyword
        else:
            ranked = demote_summaries(fuse([dense, keyword], self.tuning.rrf_k), by_key, self.tuning.summary_weight)
            ranked = self._weighted_up(ranked, areas, recommended, area)
        # A question that names passages gets those first ("what does paragraph 38 say?",
        # "what are the recommendations for the local authority?").
        paragraphs = requested_paragraphs(query) if paragraphs is None else paragraphs
        sections = self.recommendation_sections(query, reports=reports) if sections is None else sections
        named = [key for n in paragraphs for key in self._by_number.get(n, [])]
        named += [key for section in sections for key in self._recommendations[section]]
        if reports:
            named = [key for key in named if by_key[key].report in reports]
        ranked = [(key, 1.0) for key in named] + [
            (key, s) for key, s in ranked if key not in named and by_key[key].label not in skipped
        ]
        return [source_of(by_key[key], score, self.catalogue) for key, score in ranked[:k] if key in by_key]

    def _weighted_up(
        self, ranked: list[tuple[str, float]], areas: frozenset[str], recommended: bool, area: str | None = None
    ) -> list[tuple[str, float]]:
        """Fused scores with the passages a question points to weighted up, re-sorted: those in the
        sections of the judgement areas it names (``area_boost``: "what help do care leavers get?" is
        answered in the care leavers section), and a report's recommendations when it asks what
        inspectors recommended (``recommendation_boost``), and the passages that open an area's section
        when it asks about that area as a whole (``area_lead_boost``: they say how the area is doing)."""
        tune = self.tuning
        leads = self._area_leads.get(area, frozenset()) if area and tune.area_lead_boost else frozenset()
        if not (areas and tune.area_boost) and not (recommended and tune.recommendation_boost) and not leads:
            return ranked

        def weight(key: str) -> float:
            section = self._by_key[key].section
            share = 1 + tune.area_boost if areas and not areas.isdisjoint(area_keys(section)) else 1.0
            share *= 1 + tune.area_lead_boost if key in leads else 1.0
            return share * (1 + tune.recommendation_boost) if recommended and is_recommendation(section) else share

        weighted = [(key, score * weight(key) if key in self._by_key else score) for key, score in ranked]
        return sorted(weighted, key=lambda item: -item[1])

    def recommendation_sections(self, query: str, own: str | None = None, reports: list[str] | None = None) -> list[str]:
        """The recommendation sections a question asks to list, those of the part it names first; of
        the ``reports`` in scope, when given (a section only other reports have lists nothing).

        A follow-up ("what did they recommend?") carries its topic from before: whether a whole list
        is wanted is read from its ``own`` words, which part from the topic too."""
        sections = [s for s in self._recommendations if not reports or not self._recommended_in[s].isdisjoint(reports)]
        section_words = {w for s in sections for w in words(s)}
        if not sections or not wants_whole_recommendations(query if own is None else own, section_words):
            return []
        asked = {w for w in words(without_the_service(query)) if w not in STOP_WORDS}
        generic = set(words(f"recommendations the {IMPROVEMENTS_SECTION}"))
        shared = {s: len(asked & (set(words(s)) - generic)) for s in sections}
        # "for the local authority" shares two words with its own section, one with the Local
        # Safeguarding Children Board's: the sections that share the most.
        most = max(shared.values())
        return [s for s in sections if shared[s] == most] if most else sections

    def dense(
        self, query: str, vector: list[float] | None = None, reports: list[str] | None = None
    ) -> list[tuple[str, float]]:
        """Passages by their best window's cosine similarity to the question."""
        vector = vector or self.index.embeddings.embed_query(query)
        best: dict[str, float] = {}
        if reports and self._few_windows(reports):
            # A few reports' windows, compared one by one: exact, and fast however large the index
            key_of = {window: key for r in reports for window, key in self._window_ids(r)}
            hits = [(key_of[w], s) for w, s in self.index.nearest_among(vector, list(key_of), self.dense_candidates)]
        else:
            hits = [(f"{meta['report']}:{meta['label']}", similarity)
                    for meta, similarity in self.index.search_windows(vector, self.dense_candidates, reports)]
        for key, similarity in hits:
            best[key] = max(best.get(key, -1.0), similarity)
        return sorted(best.items(), key=lambda item: -item[1])

    def _few_windows(self, reports: list[str]) -> bool:
        """Do these reports hold at most ``exact_search_windows`` windows? Counted until they pass it,
        so a search over hundreds of reports does not list every window of each."""
        total = 0
        for report in reports:
            total += len(self._window_ids(report))
            if total > self.exact_search_windows:
                return False
        return True

    def _window_ids(self, report: str) -> list[tuple[str, str]]:
        """(window id, passage key) of each embedded window of a report's passages."""
        if report not in self._windows:
            self._windows[report] = [(w, p.key) for p in self._by_report.get(report, []) for w in self.index.window_ids(p)]
        return self._windows[report]


def area_leads(paragraphs: list[Paragraph], numbered: int) -> dict[str, frozenset[str]]:
    """Per judgement area, the keys of the passages that open its section in each report: its own
    summary (unnumbered, in the 2014-18 reports) and its first ``numbered`` paragraphs (an ILACS
    section opens with its verdict: "Care leavers benefit from…")."""
    leads: dict[str, set[str]] = {}
    seen: dict[tuple[str, str], int] = {}
    for p in paragraphs:
        for area in area_keys(p.section):
            if p.number is not None:
                seen[(p.report, area)] = seen.get((p.report, area), 0) + 1
                if seen[(p.report, area)] > numbered:
                    continue
            leads.setdefault(area, set()).add(p.key)
    return {area: frozenset(keys) for area, keys in leads.items()}


def is_recommendation(section: str) -> bool:
    """A recommendations section (2014-18 reports) or "What needs to improve" (ILACS)."""
    return section.endswith("Recommendations") or section == IMPROVEMENTS_SECTION


def is_summary(label: str) -> bool:
    """"Executive summary", "LSCB executive summary", "Summary for children", "Summary: <judgement area>",
    and an ILACS report's "Overall effectiveness", which summarises what its numbered paragraphs find."""
    return label.lower().endswith("executive summary") or label.startswith("Summary") or label == "Overall effectiveness"


def demote_summaries(
    ranked: list[tuple[str, float]], by_key: dict[str, Paragraph], weight: float
) -> list[tuple[str, float]]:
    """Fused scores with summaries weighted down, re-sorted: a summary restates what numbered
    paragraphs say in detail, and the paragraph is the better source."""
    weighted = [
        (key, score * weight if key in by_key and is_summary(by_key[key].label) else score) for key, score in ranked
    ]
    return sorted(weighted, key=lambda item: -item[1])


def fuse(rankings: list[list[tuple[str, float]]], k: int) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of several rankings of the same passage keys: small ranks dominate, tails still count."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, (key, _) in enumerate(ranking):
            fused[key] = fused.get(key, 0.0) + 1.0 / (k + rank + 1)
    return sorted(fused.items(), key=lambda item: -item[1])
