"""How a question is answered: its route (look-up, grades, dates, search…) decided, and then taken.

A ``Router`` holds one loaded version of the index; the ``Assistant`` builds a new one on each reload,
so an answer under way keeps the version it started with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest

from langchain_core.embeddings import Embeddings

from assistant.answer import ExtractiveAnswerer, abstention, no_such_report
from assistant.answer_kinds import BROAD, QUANTITY
from assistant.authorities import other_authorities
from assistant.cite import REFUSAL, cite, cited_answer, citations_in
from assistant.generate import GenerativeAnswerer
from assistant.grade_answers import GradeTableAnswerer
from assistant.grade_quotes import Evidence, GradeQuoter
from assistant.grade_queries import area_summarised, grade_words
from assistant.grade_scope import grade_table_query
from assistant.grades import GradeQuestion, grade_question
from assistant.keyword import KeywordIndex
from assistant.plain_words import with_plain_words_explained
from assistant.question import (
    NOT_TOPIC,
    asks_for_advice,
    asks_when_inspected,
    malformed_paragraph_number,
    requested_paragraphs,
    unknown_names,
    with_acronyms_spelled_out,
    with_report_words,
    without_before,
    without_scope,
)
from assistant.report_dates import InspectionDates
from assistant.report_grades import ReportGradeAnswerer
from assistant.reports import Catalogue, Scope, ScopeReading, asks_only_what_changed
from assistant.retrieve import PassageRetriever, source_of
from assistant.settings import Settings
from assistant.types import Answer, Source
from assistant.vocabulary import ReportWords
from ingest import Paragraph

# Above this many reports in scope, "paragraph 38" is ambiguous: the user is asked to name one.
MAX_LOOKUP_REPORTS = 3
MAX_COMPARED_REPORTS = 6


@dataclass(frozen=True, eq=False)
class Router:
    """Decides how a question is answered, retrieves for it and answers it, from one loaded version."""

    settings: Settings
    embeddings: Embeddings
    catalogue: Catalogue
    keyword: KeywordIndex
    report_words: ReportWords
    retriever: PassageRetriever
    extractive: ExtractiveAnswerer
    answerer: ExtractiveAnswerer | GenerativeAnswerer
    grade_quoter: GradeQuoter
    grade_table: GradeTableAnswerer
    report_grades: ReportGradeAnswerer
    inspection_dates: InspectionDates
    scope_names: set[str]
    paragraphs: list[Paragraph]
    reports: dict[str, dict]
    judgements: Callable[[str | None], list[tuple[str, str]]]

    def read_scope(
        self, question: str, limit: Scope = Scope(), own: str | None = None, previous: tuple[str, ...] = ()
    ) -> ScopeReading:
        """Which loaded reports a question is about (``Catalogue.read``), knowing the words each report uses."""
        return self.catalogue.read(
            question, limit, own=own, previous=previous, mentions=lambda w, reports: self.report_words.knows(w, reports)
        )

    def topic(self, question: str, reading: ScopeReading) -> str:
        """The question without the words that name its reports (authority, year, kind, "the latest")."""
        return without_scope(question, self.scope_names | {p.lower() for p in reading.phrases})

    def search_query(self, question: str, reading: ScopeReading | None = None) -> str:
        """What is searched for: the question without the names that set its scope, acronyms spelled
        out, and words the reports in scope do not use followed by their words nearest them."""
        reading = reading or self.read_scope(question)
        lookups = self.settings.max_word_lookups
        query = with_acronyms_spelled_out(self.topic(question, reading), self.keyword.spelled_out, lookups)
        scope = None if self._every(reading) else reading.reports
        return with_report_words(
            query, lambda w: self.report_words.knows(w, scope), lambda w: self.report_words.nearest(w, scope), lookups
        )

    def _every(self, reading: ScopeReading) -> bool:
        # No filter at all is far faster than "$in" every report.
        return len(reading.reports) == len(self.reports)

    def sources(self, question: str, k: int, limit: Scope) -> list[Source]:
        """The top ``k`` passages for a question within ``limit``, a grade question's judgements first."""
        reading = self.read_scope(question, limit)
        scope = list(reading.reports)
        ranked = self._rank(question, k, reading)
        # A question about grades is answered from the judgements: their passages come first.
        first: list[Source] = []
        if table := grade_table_query(self.catalogue, question, reading, limit):
            first = self.grade_table.run(question, question, *table).sources
        elif (asked := grade_question(self.topic(question, reading))) and (picks := self.report_grades.picks(asked, scope)):
            first = self.grade_quoter.sources(picks)
        ranked = first + [s for s in ranked if s.label not in {f.label for f in first}]
        return ranked[:k]

    def _rank(self, question: str, k: int, reading: ScopeReading) -> list[Source]:
        query = with_plain_words_explained(self.search_query(question, reading))
        if reading.mode != "each":
            return self.retriever.rank(query, k, reports=None if self._every(reading) else (list(reading.reports) or ["-"]))
        # Reports answered each in turn are searched each in turn, as their answer is.
        vector = self.embeddings.embed_query(query)
        rankings = [self.retriever.rank(query, k, vector, [r]) for r in reading.reports[:MAX_COMPARED_REPORTS]]
        return [s for turn in zip_longest(*rankings) for s in turn if s is not None][:k]

    def answerer_for(self, use_chat_model: bool | None) -> ExtractiveAnswerer | GenerativeAnswerer:
        """The configured answerer, or the extractive one when the caller asks for it."""
        return self.extractive if use_chat_model is False else self.answerer

    def retrieve_step(self, state: dict) -> dict:
        """Decide how the question is answered, and retrieve for it."""
        limit: Scope = state["limit"]
        reading = self.read_scope(state["query"], limit, own=state["question"], previous=state.get("previous", ()))
        scope = list(reading.reports)
        state = {**state, "reading": reading, "scope": scope}
        if reading.missing:
            # "When was the previous inspection?" with no earlier report loaded: the latest one says when.
            if asks_when_inspected(state["query"]) == "before" and (dated := self._before_latest(state, limit)):
                return {**state, "route": "dates", "dated": dated}
            return {**state, "route": "missing"}
        if malformed := malformed_paragraph_number(state["question"]):
            reason = f"“{malformed}” is not a paragraph number: paragraph numbers are whole positive numbers, like 38"
            return {**state, "route": "decline", "reason": reason}
        if numbers := requested_paragraphs(state["question"]):
            return {**state, "route": "lookup", "numbers": numbers}
        if asks_for_advice(state["question"]):
            return {**state, "route": "decline", "reason": "it asks for advice or an opinion; the reports say only what inspectors found"}
        topic = self.topic(state["query"], reading)  # what it asks about, not which report
        state = {**state, "topic": topic}
        known = grade_words(topic)
        if unknown := [w for w in unknown_names(topic, self.keyword.vocabulary_words, self.keyword.spelled_out,
                                                  self.settings.max_word_lookups, self.keyword.idf.keys())
                       if w.lower() not in known]:
            return {**state, "route": "unknown", "unknown": unknown}
        if not limit.authority and (others := other_authorities(state["query"], self.catalogue.authorities())):
            return {**state, "route": "decline", "reason": f"no report on {' or '.join(others)} is loaded"}
        if table := grade_table_query(self.catalogue, state["query"], reading, limit):
            return {**state, "route": "grade_table", "grade_query": table[0], "scope": table[1]}
        asked = grade_question(topic)
        if asked and (picks := self.report_grades.picks(asked, scope)):
            return {**state, "route": "grades", "asked": asked, "picks": picks}
        if reading.mode == "each" and asks_only_what_changed(topic, NOT_TOPIC) and any(self.judgements(r) for r in scope):
            # "How has X changed since 2016?" names no topic: each report's judgements, in date order.
            picks = {r: self.judgements(r) for r in scope[:MAX_COMPARED_REPORTS]}
            return {**state, "route": "grades", "asked": GradeQuestion(frozenset(), False, None), "picks": picks}
        # A follow-up ("when were the inspectors on site?") asks it in its own words, the topic carried aside.
        own_topic = topic if state["question"] == state["query"] else self.topic(state["question"], reading)
        when = asks_when_inspected(own_topic) or (own_topic != topic and asks_when_inspected(topic))
        if when and len(scope) <= MAX_COMPARED_REPORTS and reading.mode != "best":
            dates = self.inspection_dates
            if dated := (dates.run(state["question"], state["query"], scope) if when == "this" else
                         dates.before(state["question"], state["query"], scope[0]) if len(scope) == 1 else None):
                return {**state, "route": "dates", "dated": dated}
        if len(scope) == 1 and (mismatch := self.report_grades.mismatch(state["query"], scope[0])):
            return {**state, "route": "premise", "mismatch": mismatch}
        return self._searched(state, reading, scope)

    def _before_latest(self, state: dict, limit: Scope) -> Answer | None:
        """The sentence dating the inspection before the one report the question is asked of, if one."""
        reports = self.read_scope(without_before(state["query"]), limit).reports
        return self.inspection_dates.before(state["question"], state["query"], reports[0]) if len(reports) == 1 else None

    def _searched(self, state: dict, reading: ScopeReading, scope: list[str]) -> dict:
        """The routes that search the passages: a report's recommendations, or its best passages."""
        query = self.search_query(state["query"], reading)
        if len(scope) == 1 and (sections := self.retriever.recommendation_sections(query)):
            return {**state, "route": "recommendations", "sections": sections}
        # Searched with the reports' terms for its everyday words; the answerer reads the question as asked.
        searched = with_plain_words_explained(query)
        vector = self.embeddings.embed_query(searched)
        if reading.mode == "each":
            per_report = {r: self.retriever.rank(searched, state["k"], vector, [r]) for r in scope[:MAX_COMPARED_REPORTS]}
            return {**state, "route": "each", "scoped_query": query, "vector": vector, "per_report": per_report}
        sources = self.retriever.rank(searched, state["k"], vector=vector, reports=None if self._every(reading) else scope)
        if reading.mode == "best":
            # No authority named: the reports whose passages answer best, each answered under its name.
            best = list(dict.fromkeys(s.report for s in sources))[: self.settings.best_reports]
            per_report = {r: self.retriever.rank(searched, state["k"], vector, [r]) for r in best}
            return {**state, "route": "best", "scoped_query": query, "vector": vector, "per_report": per_report}
        return {**state, "route": "extract", "scoped_query": query, "vector": vector, "sources": sources}

    def answer_step(self, state: dict) -> Answer:
        answer = self.route_answer(state)
        if state["route"] in ("extract", "each", "best") and not answer.abstained:
            answer = self._with_area_grade(state, answer)
        answer.reports = answer.reports or list(state["scope"])
        reading: ScopeReading = state["reading"]
        if state["route"] == "grade_table":
            return answer  # the answer names every report it draws on, and the scope is its own
        if reading.note and not answer.abstained:
            # One authority's latest report, chosen for the user: the answer says which, and that others exist.
            answer.notes.insert(0, reading.note)
            answer.answer = f"From {self.catalogue.reports[reading.reports[0]].name}: {answer.answer}"
        elif self._unnamed_single(reading, answer):
            # No authority named, several loaded, one report answers: the answer says which.
            answer.answer = f"From {self.catalogue.reports[answer.reports[0]].name}: {answer.answer}"
        return answer

    def _with_area_grade(self, state: dict, answer: Answer) -> Answer:
        """"What did inspectors say about care leavers?", "compare Leeds and Durham on adoption": a
        summary of one judgement area starts with the grade each quoted report gave it, cited."""
        reading: ScopeReading = state["reading"]
        if not (BROAD.search(state["query"]) or reading.mode == "each") or QUANTITY.search(state["query"]):
            return answer  # a figure asked for ("how did the number in care compare?") is no summary
        if not (area := area_summarised(state["topic"], NOT_TOPIC)):
            return answer
        # every passage already cited keeps its quoted lines; the table is added once, if new
        evidence = Evidence(list(answer.sources), {s.label: list(answer.highlights.get(s.label, [])) for s in answer.sources})
        lines = []
        quoted = list(dict.fromkeys(c.report for c in answer.citations))
        for report in quoted:
            rows = [r for r in self.grade_table.rows(self.catalogue.reports[report]) if r.area == area]
            if rows:
                said = self.grade_quoter.quote(report, [(rows[0].area_printed, rows[0].grade_printed)], evidence)
                lines.append(f"{self.catalogue.reports[report].name}: {said}" if len(quoted) > 1 else said)
        if not lines:
            return answer
        graded = "\n\n".join(lines)
        answer.answer = f"{graded}\n\n{answer.answer}"
        answer.lead = f"{graded}\n\n{answer.lead}" if answer.lead else ""
        answer.sources, answer.highlights = evidence.sources, evidence.highlights
        answer.citations = citations_in(answer.answer, answer.sources)
        return answer

    def _unnamed_single(self, reading: ScopeReading, answer: Answer) -> bool:
        many = len({i.authority_key for i in self.catalogue.infos()}) > 1
        return (many and not reading.authorities and len(set(answer.reports)) == 1 and not answer.abstained
                and not answer.answer.startswith(self.catalogue.reports[answer.reports[0]].name))

    def route_answer(self, state: dict) -> Answer:
        question, query = state["question"], state["query"]
        route = state["route"]
        in_scope = set(state["scope"])  # a set: at corpus scale the passages number 40,000 and the reports 425
        passages = (p for p in self.paragraphs if p.report in in_scope)  # read only by the look-ups
        if route == "missing":
            return no_such_report(question, query, state["reading"].missing)
        if route == "lookup":
            return self._look_up(question, query, [p for p in passages if p.number in state["numbers"]], state["numbers"])
        if route == "recommendations":
            return self._look_up(question, query, [p for p in passages if p.section in state["sections"]], [])
        if route in ("each", "best"):
            return self._report_by_report(
                question, query, state["scoped_query"], state["vector"], state["per_report"],
                every=route == "each", searched=len(state["scope"]),
            )
        if route == "decline":
            return abstention(question, query, [], state["reason"])
        if route == "unknown":
            return abstention(question, query, [], f"the report does not mention {', '.join(state['unknown'])}")
        if route == "premise":
            return self.report_grades.correct_premise(question, query, state["scope"][0], *state["mismatch"])
        if route == "grades":
            return self.report_grades.run(question, query, state["picks"], state["asked"])
        if route == "dates":
            return state["dated"]
        if route == "grade_table":
            return self.grade_table.run(question, query, state["grade_query"], state["scope"])
        # The chat model reads the follow-up in context; the extractive answerer scores against the scoped query.
        answerer = self.answerer_for(state.get("use_chat_model"))
        context = {"standalone": query} if isinstance(answerer, GenerativeAnswerer) else {}
        answer = answerer.answer(question, state["scoped_query"], state["vector"], state["sources"], **context)
        answer.standalone_question = query
        return answer

    def _report_by_report(
        self, question: str, query: str, scoped: str, vector: list[float], per_report: dict, *, every: bool,
        searched: int,
    ) -> Answer:
        """Each report's own answer under its name, in order, each claim cited to its report. With
        ``every`` (reports compared, or one authority over time) a report that does not say is said
        so; otherwise (no authority named) only the reports that answer are quoted."""
        parts, sources, notes, highlights, used = [], [], [], {}, []
        for report, found in per_report.items():
            answer = self.extractive.answer(question, scoped, vector, found)
            if answer.abstained and not every:
                continue
            name = self.catalogue.reports[report].name
            parts.append(f"{name}: {answer.answer}")
            sources += found
            notes += [f"{name}: {note}" for note in answer.notes]
            highlights.update(answer.highlights)
            used.append(report)
        if not every:
            named = ", ".join(self.catalogue.reports[r].name for r in used) or "none of them"
            notes.insert(0, f"The question names no authority: {searched} loaded reports were searched, and the "
                            f"answer quotes those whose passages answer it best ({named}), each under its name. "
                            "Name an authority or a year to ask about one report.")
        elif len(per_report) < searched:
            notes.insert(0, f"Answered from {len(per_report)} of the {searched} reports the question names.")
        text = "\n\n".join(parts) or f"{REFUSAL} anything that answers this question."
        answer = cited_answer(question, text, sources, standalone_question=query, notes=notes, highlights=highlights,
                              reports=used or list(per_report))
        answer.abstained = not answer.citations
        return answer

    def _look_up(self, question: str, query: str, found: list[Paragraph], numbers: list[int]) -> Answer:
        """Quote whole passages the question (made standalone as ``query``) names."""
        reports = list(dict.fromkeys(p.report for p in found))
        if len(reports) > MAX_LOOKUP_REPORTS:
            names = ", ".join(self.catalogue.reports[r].name for r in reports[:5])
            reason = f"{len(reports)} reports have that paragraph ({names}, …): name the authority and year"
            return abstention(question, query, [], reason)
        if not found:
            known = [p.number for p in self.paragraphs if p.number is not None]
            span = f"{min(known)} to {max(known)}" if known else "none"
            return abstention(question, query, [], f"no paragraph {', '.join(map(str, numbers))}; they run {span}")
        sources = [source_of(p, 1.0, self.catalogue) for p in found]
        text = " ".join(f"{p.text} {cite(s.label)}" for p, s in zip(found, sources))
        missing = [n for n in numbers if n not in {p.number for p in found}]
        return cited_answer(question, text, sources, standalone_question=query,
                            notes=[f"no paragraph {', '.join(map(str, missing))}"] if missing else [],
                            highlights={s.label: [p.text] for p, s in zip(found, sources)})
