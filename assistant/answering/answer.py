"""Retrieve → answer: compose the answer from the report's own sentences, each with its citation.

No language model: every sentence in the answer is a sentence of the report, so every claim is
true to the report and carries the label of the passage it comes from.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from assistant.reading.answer_kinds import (
    ACRONYM,
    COMPARATOR,
    DENIES,
    FAULT,
    FRAME_TERMS,
    GRADE,
    LOOKS_AHEAD,
    REPORT_TERMS,
    TITLE_LINE,
    Needs,
    counts,
    gives_time,
    has_figure,
    names_another_post,
)
from assistant.answering.cite import cited_answer
from assistant.answering.declines import abstention, no_number, premise_not_found
from assistant.retrieval.index import ReportIndex
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.retrieve import IMPROVEMENTS_SECTION, is_recommendation, is_summary
from assistant.answering.scored_sentences import ScoredSentence, compose, leans_back
from assistant.settings import AnswerSettings
from assistant.text import terms
from assistant.types import Answer, Source
from ingest import JUDGEMENTS

class ExtractiveAnswerer:
    """Picks the report sentences that best answer the question and cites each one."""

    def __init__(
        self, index: ReportIndex, keyword: KeywordIndex, abstain_below: float, max_sentences: int = 3,
        tuning: AnswerSettings = AnswerSettings(),
    ):
        self.index = index
        self.keyword = keyword
        self.abstain_below = abstain_below
        self.max_sentences = max_sentences
        self.tuning = tuning

    def answer(self, question: str, needs: Needs, vector: list[float], sources: list[Source]) -> Answer:
        """An answer to the question (``needs``, read from its scoped text) from ``sources``, or an
        abstention when none of them answers it."""
        query = needs.text
        candidates = self.score(needs, np.asarray(vector), sources)
        if not candidates or candidates[0].score < self.abstain_below:
            best = f" (best match {candidates[0].score:.2f})" if candidates else ""
            return abstention(question, query, sources, f"no sentence in the retrieved passages answers it{best}")
        wants_number = needs.quantity or needs.comparison
        chosen = self.select(candidates, needs, wants_number=wants_number, broad=needs.broad)
        # The answer leads with the sentence holding what was asked for: the figure, the time, the name, else the best.
        lead = next((c for c in chosen if (wants_number and _gives_number(needs, c.text))
                     or (needs.date and gives_time(c.text))
                     or ((needs.name or needs.who) and needs.gives_name(c.text))), chosen[0])
        quoted = self._with_lead_paragraph(list(chosen), candidates)
        # A name must come from the chosen sentences, not the rest of the lead paragraph (it names others).
        if missing := (
            self.missing_figure(needs, quoted, candidates, question) or missing_name(needs, chosen)
            or missing_future(needs, quoted)
        ):
            # "How many…?" of what the report counts only in words: say there is no number, and quote them.
            if needs.how_many and (said := self.figure_sentence(needs, quoted, candidates, question, vague=True)):
                return no_number(question, query, sources, said)
            return abstention(question, query, sources, missing)
        # "Why were children living in unregistered homes?" answered "There are no children living in…".
        if needs.presumes and (denial := self._denial(needs, chosen[0])):
            return premise_not_found(question, query, sources, denial, "")
        # A recommendation is a fault found: it says what must improve.
        if needs.presumed_fault and not any(
            FAULT.search(c.text) or is_recommendation(c.source.section) for c in chosen
        ):
            return premise_not_found(question, query, sources, quoted[0], needs.presumed_fault)
        chosen = quoted + self._improvement_on_topic(needs, quoted, candidates)
        text = compose(chosen, candidates, lead)
        lead_text = text.split("\n\n", 1)[0] if "\n\n" in text else ""
        return cited_answer(question, text, sources, lead=lead_text, standalone_question=query,
                            highlights=_highlights(chosen))

    def missing_figure(
        self, needs: Needs, chosen: list[ScoredSentence], candidates: list[ScoredSentence] = (), asked: str = ""
    ) -> str | None:
        """Why a question that asks for a figure gets none: no chosen sentence gives a figure about
        what it is about (its most telling words, read with the opening of the sentence's paragraph).
        ``asked`` is what the user typed: words a follow-up carries only say what "them" are."""
        if not needs.figure or self.figure_sentence(needs, chosen, candidates, asked):
            return None
        return f"the retrieved passages give no figure for {' '.join(self._focus(needs)) or 'this'}"

    def _focus(self, needs: Needs) -> list[str]:
        """The three most telling of a figure question's terms: a figure must be about one of them.
        Years and periods ("in 2012–13") say when, not what is counted."""
        known = [t for t in needs.figure_terms if t in self.keyword.idf]
        return sorted((t for t in known if t not in FRAME_TERMS and not any(c.isdigit() for c in t)),
                      key=self.keyword.weight, reverse=True)[:3]

    def figure_sentence(
        self, needs: Needs, chosen: list[ScoredSentence], candidates: list[ScoredSentence], asked: str,
        vague: bool = False,
    ) -> ScoredSentence | None:
        """The first chosen sentence that gives the figure asked about what the question is about
        (or, ``vague``, a number in words: "a small number of children…"), and holds ``figure_coverage``
        of its topic (idf-weighted) or is ``figure_similarity`` near the question; None when none does."""
        gives = needs.gives_vague_count if vague else needs.gives_figure
        known = [t for t in needs.figure_terms if t in self.keyword.idf]
        focus = self._focus(needs)  # years and periods count towards the coverage, not as what it is about
        weights = {t: self.keyword.weight(t) for t in known if t not in FRAME_TERMS}
        own = set(terms(asked)) if asked else set(weights)
        openings = {c.source.label: c.terms for c in candidates if c.index == 0}
        by_position = {(c.source.label, c.index): c for c in candidates}
        # "How many children…" is answered by a number of something the question names, not of months.
        counted = set(known) - FRAME_TERMS if needs.how_many and needs.counted else set()
        related = needs.plain_terms - set(known) - REPORT_TERMS
        for sentence in chosen:
            here = sentence.terms | openings.get(sentence.source.label, frozenset()) | self._acronyms_said(sentence.text)
            if leans_back(sentence.text) and (before := by_position.get((sentence.source.label, sentence.index - 1))):
                here |= before.terms  # "This is currently at 179 days": what "this" is, the sentence before says
            if not gives(sentence.text) or (focus and not (set(focus) | related) & here):
                continue
            if counted and not vague and not any(counts(sentence.text, t, before=True) for t in counted) and not (
                needs.gives_share_of_group(sentence.text)
            ):
                continue
            said = sum(w for t, w in weights.items() if t in here) + sum(self.keyword.weight(t) for t in related & here)
            total = sum(w for t, w in weights.items() if t in own or t in here)
            covered = not total or min(1.0, said / total) >= self.tuning.figure_coverage
            if not covered and sentence.similarity < self.tuning.figure_similarity:
                continue  # too little of the question's words, and not near enough to say it in others
            return sentence
        return None

    def _improvement_on_topic(
        self, needs: Needs, chosen: list[ScoredSentence], candidates: list[ScoredSentence]
    ) -> list[ScoredSentence]:
        """The item of an ILACS report's "What needs to improve" on the question's topic, when a
        description is asked and none is quoted: "what did inspectors say about life-story work?" is
        answered by what they found and also by their saying it must improve. The item must hold
        ``improvement_coverage`` of the question's topic (idf-weighted): it names a topic in few words."""
        if needs.figure or needs.quantity or needs.date or needs.name or needs.who or needs.grade or needs.recommended:
            return []
        if any(is_recommendation(c.source.section) for c in chosen):
            return []
        for candidate in candidates:
            if candidate.score < self.abstain_below:
                break
            # An ILACS list names one topic an item; a 2014-18 recommendation is an action on several.
            if candidate.source.section != IMPROVEMENTS_SECTION:
                continue
            held = candidate.terms | self._acronyms_said(candidate.text)
            if self._topic_coverage(needs, held) >= self.tuning.improvement_coverage:
                return [candidate]
        return []

    def _topic_coverage(self, needs: Needs, held: frozenset[str]) -> float:
        """The share of the question's topic (its terms less the framing ones, idf-weighted) that the
        terms ``held`` by a sentence cover; 0 for a question with no topic."""
        weights = {t: self.keyword.weight(t) for t in needs.terms - FRAME_TERMS}
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in held) / total if total else 0.0

    def _denial(self, needs: Needs, lead: ScoredSentence) -> ScoredSentence | None:
        """The lead sentence, when it says there is none of what the question asks why about: it holds
        ``figure_coverage`` of the question's terms (idf-weighted) and says "there are no…"."""
        if not DENIES.search(lead.text):
            return None
        return lead if self._topic_coverage(needs, lead.terms) >= self.tuning.figure_coverage else None

    def _acronyms_said(self, text: str) -> frozenset[str]:
        """The terms of the words the reports spell a sentence's acronyms out with: "do not proceed to
        ICPC" says "initial child protection conference"."""
        spelled = (self.keyword.spelled_out(a) for a in dict.fromkeys(ACRONYM.findall(text)))
        return frozenset(t for words in spelled if words for t in terms(words))

    def score(self, needs: Needs, vector: np.ndarray, sources: list[Source]) -> list[ScoredSentence]:
        """Every sentence of the top passages, scored against the question, best first."""
        pool = sources[: max(1, min(len(sources), self.tuning.sentence_pool))]
        rank_of = {s.label: i for i, s in enumerate(pool)}
        by_label = {s.label: s for s in pool}
        sentences = []
        for report in dict.fromkeys(s.report for s in pool):
            # The index knows passages by their own label ("¶38"); answers may name the report too.
            own = {(s.passage_label or s.label): s.label for s in pool if s.report == report}
            # A sentence is at least a few tokens long: an upper bound on each passage's sentences.
            at_most = {label: self.keyword.tokens.get(f"{report}:{label}", 1000) // 2 + 2 for label in own}
            found, openings = self.index.read_passages(report, list(own), at_most)
            for passage, text, i, sentence_vector in found:
                if passage == JUDGEMENTS and (TITLE_LINE.match(text) or not needs.states_judgements):
                    continue  # the title block states nothing; the table, only grades, dates and the lead inspector
                label = own[passage]
                read = in_context(np.asarray(sentence_vector), openings.get(passage), self.tuning.passage_context)
                sentences.append(ScoredSentence(by_label[label], rank_of[label], i, text, read))
        if not sentences:
            return []
        query_terms, related, counted = needs.terms, needs.related, needs.counted
        total_weight = sum(self.keyword.weight(t) for t in query_terms) or 1.0
        similarities = np.stack([s.vector for s in sentences]) @ vector
        tune = self.tuning
        for sentence, similarity in zip(sentences, similarities):
            shared = query_terms & sentence.terms
            shared_related = related & sentence.terms
            overlap = min(1.0, sum(self.keyword.weight(t) for t in (*shared, *shared_related)) / total_weight)
            gives = gives_time(sentence.text) if needs.date else needs.quantity and _gives_number(needs, sentence.text)
            bonus = tune.number_bonus if gives else 0.0
            bonus += tune.count_bonus if counted and counts(sentence.text, counted) else 0.0
            bonus += tune.comparison_bonus if needs.with_others and COMPARATOR.search(sentence.text) else 0.0
            bonus += tune.grade_bonus if needs.grade and GRADE.search(sentence.text) else 0.0
            bonus -= tune.second_post_penalty if names_another_post(needs.roles, sentence.text) else 0.0
            bonus += tune.recommendation_bonus if needs.recommended and is_recommendation(sentence.source.section) else 0.0
            sentence.similarity = float(similarity)
            sentence.score = sentence.similarity + tune.term_overlap_weight * overlap + bonus + tune.rank_bonus / (1 + sentence.rank)
        return sorted(sentences, key=lambda s: -s.score)

    def select(
        self, candidates: list[ScoredSentence], needs: Needs, wants_number: bool = False, broad: bool = False
    ) -> list[ScoredSentence]:
        """The lead sentence (the best of the passage that answers best), the next best ones that
        score close to it and say something new, and, when the question asks for a figure or a name
        and none was chosen, the best sentence of the lead passage with one. A broad question
        ("what did inspectors say about…") takes more, from more passages."""
        limit = self.tuning.broad_sentences if broad else self.max_sentences
        margin = self.tuning.broad_margin if broad else self.tuning.margin
        best = _lead_sentence(candidates, _passage_strengths(candidates, self.tuning, needs.recommended), margin)
        chosen = [best]
        wanted_kinds = ((wants_number, partial(_gives_number, needs)), (needs.date, gives_time),
                        (needs.name or needs.who, needs.gives_name))
        for wanted, gives in wanted_kinds:
            if wanted and not gives(best.text):
                giving = [c for c in candidates if c.source.label == best.source.label and gives(c.text)]
                if giving and giving[0].score >= self.abstain_below:
                    chosen.append(giving[0])
        asked = needs.terms
        said = _terms_of(candidates, {c.source.label for c in chosen})
        top = _best_finding(candidates, best, self.abstain_below) if broad and not needs.recommended else best.score
        for candidate in candidates[1:]:
            if len(chosen) >= limit:
                break
            if candidate.score < max(self.abstain_below, top - margin):
                break
            if is_recommendation(candidate.source.section) and candidate.score < best.score - margin:
                continue  # another item of what must improve is measured against the best sentence itself
            new_passage = candidate.source.label not in {c.source.label for c in chosen}
            if new_passage:
                if candidate.score < top - margin * self.tuning.other_passage_share:
                    continue  # a passage not yet cited must be nearly as good to be cited too
                # And, for a pointed question, say something of it the cited ones do not: citation precision
                # 0.876 → 0.881 (Ealing), 0.903 → 0.928 (five reports) at the same key facts; applied to
                # broad questions too, key facts fell.
                if not broad and not (asked & candidate.terms) - said:
                    continue
            if any(float(candidate.vector @ c.vector) > self.tuning.same_sentence for c in chosen):
                continue  # says the same thing again
            chosen.append(candidate)
            if new_passage:
                said |= _terms_of(candidates, {candidate.source.label})
        return chosen

    def _with_lead_paragraph(self, chosen: list[ScoredSentence], candidates: list[ScoredSentence]) -> list[ScoredSentence]:
        """The chosen sentences and more of the lead passage, its best sentences first: the
        best-ranked paragraph of findings chosen (a summary or a recommendation only restates
        it), else the best-ranked passage chosen. Its other sentences cost no extra citation and
        carry the detail (names, figures, lists). No score floor in a paragraph: it is on topic,
        and a sentence that lists the details scores low against a question that names none of
        them (measured: floors between 0.0 and 0.35 moved key facts by at most 0.01)."""
        numbered = [c for c in chosen if c.source.paragraph is not None]
        findings = [c for c in numbered if not is_recommendation(c.source.section)]
        lead = min(findings or numbered or chosen, key=lambda c: c.rank).source.label
        # A summary or facts section covers many topics: from it, only sentences on this one
        # (measured: the same figures on both gold sets as without the neighbour rule).
        floor = float("-inf") if numbered else self.abstain_below
        for candidate in candidates:
            if len(chosen) >= self.tuning.lead_passage_sentences:
                break
            if candidate.source.label != lead or candidate in chosen or candidate.score < floor:
                continue
            if is_recommendation(candidate.source.section):
                break  # a list of what must improve: each item is its own topic, none details another
            if not numbered and not any(c.source.label == lead and abs(c.index - candidate.index) == 1 for c in chosen):
                continue  # and next to a sentence already chosen: a summary changes topic from one to the next
            if not any(float(candidate.vector @ c.vector) > self.tuning.same_sentence for c in chosen):
                chosen.append(candidate)
        return chosen


def in_context(sentence: np.ndarray, opening: list[float] | None, share: float) -> np.ndarray:
    """A sentence's vector with ``share`` of its passage's opening (``AnswerSettings.passage_context``),
    unit length: "Effective interventions include tenancy workers, park rangers…" is read as part of a
    paragraph about child sexual exploitation."""
    if opening is None:
        return sentence
    mixed = (1 - share) * sentence + share * np.asarray(opening)
    return mixed / np.linalg.norm(mixed)


def _gives_number(needs: Needs, text: str) -> bool:
    """Does ``text`` give the kind of figure a figure question asks for ("what share…?" wants a share,
    not a count or a footnote's number), or any figure when it asks for none of a kind?"""
    return needs.gives_figure(text) if needs.figure else has_figure(text)


def _passage_strengths(
    candidates: list[ScoredSentence], tune: AnswerSettings, recommended: bool = False
) -> dict[str, float]:
    """How well each passage answers: its best sentence plus some of its second best. A passage that
    answers tends to say so in more than one sentence; a single matching line is often a heading, a
    one-line recommendation or an aside (but not when ``recommended``: what inspectors recommended is asked)."""
    by_passage: dict[str, list[ScoredSentence]] = {}
    for candidate in candidates:
        by_passage.setdefault(candidate.source.label, []).append(candidate)

    def strength(sentences: list[ScoredSentence]) -> float:
        top = sentences[0]
        if recommended and is_recommendation(top.source.section):
            return top.score
        if is_summary(top.source.passage_label or top.source.label) or is_recommendation(top.source.section):
            return top.score - tune.one_sentence_penalty  # it covers many topics (a list: one per item), the others too
        second = sentences[1].score if len(sentences) > 1 else top.score - tune.one_sentence_penalty
        return (top.score + tune.second_weight * second) / (1 + tune.second_weight)

    return {label: strength(sentences) for label, sentences in by_passage.items()}


def _best_finding(candidates: list[ScoredSentence], best: ScoredSentence, floor: float) -> float:
    """The score the others are measured against: the best sentence's, or, when that is an item of
    what must improve (a heading that restates the topic), the best sentence of what inspectors
    found, so "what did inspectors say about…" quotes the finding as well as the item."""
    if not is_recommendation(best.source.section):
        return best.score
    found = next((c.score for c in candidates if not is_recommendation(c.source.section)), None)
    return found if found is not None and found >= floor else best.score


def _lead_sentence(candidates: list[ScoredSentence], strengths: dict[str, float], margin: float) -> ScoredSentence:
    """The best sentence of the strongest passage, unless it scores more than ``margin`` below the
    best sentence of all (``candidates`` come best first)."""
    lead = max(strengths, key=strengths.get)
    best = next(c for c in candidates if c.source.label == lead)
    return best if best.score >= candidates[0].score - margin else candidates[0]


def _terms_of(candidates: list[ScoredSentence], passages: set[str]) -> set[str]:
    """The terms of every sentence of these passages: what citing them can already quote
    (the lead passage's other sentences are quoted too, see _with_lead_paragraph)."""
    return {t for c in candidates if c.source.label in passages for t in c.terms}


def missing_name(needs: Needs, chosen: list[ScoredSentence]) -> str | None:
    """Why a question that asks for a name ("what is the name of…", "who is the…", "who chairs…") gets
    none: no chosen sentence names the holder of the post asked about, or anyone or anything the
    question does not already name."""
    if not (needs.name or needs.who_holds_post or (needs.who and needs.person)) or any(
        needs.names_holder(s.text) for s in chosen
    ):
        return None
    return "the retrieved passages name no one and nothing that answers it"


def missing_future(needs: Needs, chosen: list[ScoredSentence]) -> str | None:
    """Why a question about what comes next ("when is the next inspection due?") gets no answer:
    a report says what inspectors found then, and none of the chosen sentences looks ahead."""
    if not needs.ahead or any(LOOKS_AHEAD.search(s.text) for s in chosen):
        return None
    return "the retrieved passages say nothing about what comes next"


def _highlights(chosen: list[ScoredSentence]) -> dict[str, list[str]]:
    highlights: dict[str, list[str]] = {}
    for sentence in chosen:
        highlights.setdefault(sentence.source.label, []).append(sentence.text)
    return highlights
