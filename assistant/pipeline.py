"""How a question is answered: its route (look-up, grades, dates, search…) decided, and then taken.

A ``Router`` holds one loaded version of the index; the ``Assistant`` builds a new one on each reload,
so an answer under way keeps the version it started with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answering.answer import ExtractiveAnswerer
from assistant.reading.answer_kinds import FIGURE_KINDS, expected_kind, read_needs
from assistant.reading.authorities import other_authorities
from assistant.answering.cite import citations_in
from assistant.answering.generate import GenerativeAnswerer
from assistant.answering.grade_answers import GradeTableAnswerer
from assistant.answering.grade_quotes import Evidence, GradeQuoter
from assistant.reading.grade_queries import area_summarised, areas_named, grade_words
from assistant.answering.grade_scope import grade_table_query
from assistant.reading.grades import GradeQuestion, grade_question
from assistant.retrieval.index import ReportIndex
from assistant.retrieval.keyword import KeywordIndex
from assistant.reading.follow_ups import own_words
from assistant.reading.plain_words import with_plain_words_explained
from assistant.reading.question import (
    NOT_TOPIC,
    asked_grade,
    asks_for_advice,
    asks_when_inspected,
    malformed_paragraph_number,
    names_given,
    requested_paragraphs,
    unknown_names,
    with_acronyms_spelled_out,
    with_report_words,
    without_before,
    without_scope,
)
from assistant.answering.report_dates import InspectionDates
from assistant.answering.report_grades import ReportGradeAnswerer
from assistant.reading.reports import Catalogue, Scope, ScopeReading, asks_only_what_changed
from assistant.reading.query import Ask, Query
from assistant.retrieval.retrieve import PassageRetriever
from assistant.answering.routes import (
    Decline, DeclineRoute, Extract, ExtractRoute, GradeTable, GradeTableRoute, Grades, GradesRoute, LookUp,
    LookUpRoute, Plan, Premise, PremiseRoute, Ready, ReadyRoute, ReportByReport, ReportByReportRoute, Routes,
)
from assistant.settings import Settings
from assistant.text import embeddable
from assistant.types import Answer, Source
from assistant.retrieval.vocabulary import ReportWords
from ingest import INSPECTION_DETAILS, JUDGEMENTS, Paragraph

MAX_COMPARED_REPORTS = 6  # reports answered each in turn, at most


@dataclass(frozen=True)
class Planned:
    """A question read, and the plan decided for it."""

    query: Query
    plan: Plan


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
    passages_of: Callable[[str | None], list[Paragraph]]  # every passage, or one report's, in document order
    routes: Routes  # each plan type's route

    @classmethod
    def build(cls, settings: Settings, embeddings: Embeddings, index: ReportIndex, chat_model: BaseChatModel | None,
              reports: dict[str, dict], paragraphs: list[Paragraph]) -> Router:
        """Every part that answers, built over one loaded version of the index (``reports``: its manifest)."""
        by_report: dict[str, list[Paragraph]] = {}
        for p in paragraphs:
            by_report.setdefault(p.report, []).append(p)

        def passages_of(report: str | None = None) -> list[Paragraph]:
            return list(paragraphs) if report is None else list(by_report.get(report, []))

        def judgements(report: str | None = None) -> list[tuple[str, str]]:
            report = report or next(iter(reports), None)
            return [tuple(j) for j in reports.get(report, {}).get("judgements", [])]

        catalogue = Catalogue(reports)
        quoter = GradeQuoter(passages_of, catalogue)
        scope_names = catalogue.authority_words()
        keyword = KeywordIndex(paragraphs)
        index.words.add(embeddable(keyword.vocabulary_words))  # an index built before words were kept
        tune = settings.answer
        extractive = ExtractiveAnswerer(index, keyword, settings.abstain_below, settings.max_answer_sentences, tune)
        # With a chat model, the extractive answerer still decides abstentions and is the fallback.
        answerer = (GenerativeAnswerer(chat_model, extractive, [p.label for p in paragraphs])
                    if chat_model is not None else extractive)
        grade_table, report_grades = GradeTableAnswerer(quoter, catalogue, settings.grade_rest_shown), ReportGradeAnswerer(
            catalogue, judgements, passages_of, quoter, scope_names, MAX_COMPARED_REPORTS)
        routes = Routes({
            Decline: DeclineRoute(), Ready: ReadyRoute(), LookUp: LookUpRoute(paragraphs, catalogue),
            GradeTable: GradeTableRoute(grade_table), Grades: GradesRoute(report_grades),
            Premise: PremiseRoute(report_grades), Extract: ExtractRoute(extractive, answerer),
            ReportByReport: ReportByReportRoute(extractive, catalogue),
        })
        return cls(
            settings=settings, embeddings=embeddings, catalogue=catalogue, keyword=keyword,
            report_words=ReportWords(index, keyword, tune),
            retriever=PassageRetriever(
                index=index, keyword=keyword, mode=settings.retrieval, k=settings.k,
                dense_candidates=settings.dense_candidates, exact_search_windows=settings.exact_search_windows,
                catalogue=catalogue, tuning=tune,
            ),
            extractive=extractive, answerer=answerer, grade_quoter=quoter, grade_table=grade_table,
            report_grades=report_grades, inspection_dates=InspectionDates(quoter, catalogue, passages_of),
            scope_names=scope_names, paragraphs=paragraphs, reports=reports, judgements=judgements,
            passages_of=passages_of, routes=routes,
        )

    def chain(self) -> Runnable[Ask, Answer]:
        """The question read, a plan decided, and its route taken: ``chain().invoke(ask)``."""
        return RunnableLambda(self.read) | RunnableLambda(self.decide) | RunnableLambda(self.run)

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

    def _in_scope(self, reading: ScopeReading) -> list[str] | None:
        return None if self._every(reading) else (list(reading.reports) or ["-"])

    # --- reading -----------------------------------------------------------------------
    def read(self, ask: Ask) -> Query:
        """The question read once: its scope, its topic, what is searched, and what it asks for."""
        reading = self.read_scope(ask.standalone, ask.limit, own=ask.question, previous=ask.previous)
        topic = self.topic(ask.standalone, reading)  # what it asks about, not which report
        # A follow-up ("when were the inspectors on site?") asks it in its own words, the topic carried aside.
        own_topic = topic if ask.question == ask.standalone else self.topic(ask.question, reading)
        scoped = self.search_query(ask.standalone, reading) if reading.reports else topic
        needs = read_needs(scoped, ask.standalone)
        return Query(
            ask=ask, reading=reading, topic=topic, own_topic=own_topic, scoped_text=scoped,
            search_text=with_plain_words_explained(scoped),
            paragraphs=tuple(requested_paragraphs(ask.question)),
            malformed_paragraph=malformed_paragraph_number(ask.question),
            asks_advice=asks_for_advice(ask.question),
            when=self._asks_when(ask, reading, topic, own_topic),
            grades=grade_question(topic), presumed_grade=asked_grade(ask.standalone), expects=expected_kind(ask.standalone),
            needs=needs, area=area_summarised(topic, NOT_TOPIC),
            # A figure is in the facts about the area, a grade in the judgement table: not in the area's section.
            areas=frozenset() if needs.states_judgements else areas_named(topic),
            names=tuple(names_given(topic)),
        )

    @staticmethod
    def _asks_when(ask: Ask, reading: ScopeReading, topic: str, own_topic: str) -> str:
        """Whether it asks only when "this" inspection or the one "before" took place. With its report
        missing ("the previous inspection" of the only one loaded) the words that named it count too."""
        if reading.missing:
            return asks_when_inspected(ask.standalone)
        return asks_when_inspected(own_topic) or (own_topic != topic and asks_when_inspected(topic)) or ""

    def sources(self, question: str, k: int, limit: Scope) -> list[Source]:
        """The top ``k`` passages for a question within ``limit``, a grade question's judgements first."""
        query = self.read(Ask(own_words(question), question, k, limit))
        ranked = self._rank(query, k)
        # A question about grades is answered from the judgements: their passages come first.
        first: list[Source] = []
        if table := grade_table_query(self.catalogue, question, query.reading, limit):
            first = self.grade_table.run(*table).sources
        elif query.grades and (picks := self.report_grades.picks(query.grades, query.scope)):
            first = self.grade_quoter.sources(picks)
        ranked = first + [s for s in ranked if s.label not in {f.label for f in first}]
        return ranked[:k]

    def _rank(self, query: Query, k: int) -> list[Source]:
        named = _limits(query, self._sections(query))
        if query.reading.mode != "each":
            return self.retriever.rank(query.search_text, k, reports=self._in_scope(query.reading), **named)
        # Reports answered each in turn are searched each in turn, as their answer is.
        vector = self.embeddings.embed_query(query.search_text)
        rankings = [self.retriever.rank(query.search_text, k, vector, [r], **named) for r in query.scope[:MAX_COMPARED_REPORTS]]
        return [s for turn in zip_longest(*rankings) for s in turn if s is not None][:k]

    def _sections(self, query: Query) -> list[str]:
        """The recommendation sections the question asks to list."""
        return self.retriever.recommendation_sections(query.scoped_text, own=query.own_topic, reports=query.scope)

    def answerer_for(self, use_chat_model: bool | None) -> ExtractiveAnswerer | GenerativeAnswerer:
        """The configured answerer, or the extractive one when the caller asks for it."""
        return self.routes.by_plan[Extract].answerer_for(use_chat_model)

    # --- deciding ----------------------------------------------------------------------
    def decide(self, query: Query) -> Planned:
        """How the question is answered: the first plan whose condition holds, in order."""
        return Planned(query, self._plan(query))

    def _plan(self, query: Query) -> Plan:
        reading, scope, limit = query.reading, query.scope, query.ask.limit
        if reading.missing:
            # "When was the previous inspection?" with no earlier report loaded: the latest one says when.
            if query.when == "before" and (dated := self._before_latest(query)):
                return Ready(dated)
            return Decline(reading.missing, no_report=True)
        if query.malformed_paragraph:
            return Decline(f"“{query.malformed_paragraph}” is not a paragraph number: paragraph numbers are whole "
                           "positive numbers, like 38")
        if query.paragraphs:
            return LookUp(numbers=query.paragraphs)
        if query.asks_advice:
            return Decline("it asks for advice or an opinion; the reports say only what inspectors found")
        known = grade_words(query.topic)
        if unknown := [w for w in unknown_names(query.topic, self.keyword.vocabulary_words, self.keyword.spelled_out,
                                                  self.settings.max_word_lookups, self.keyword.idf.keys())
                       if w.lower() not in known]:
            return Decline(_not_mentioned(", ".join(unknown)))
        if not limit.authority and (others := other_authorities(query.standalone, self.catalogue.authorities())):
            return Decline(f"no report on {' or '.join(others)} is loaded")
        if table := grade_table_query(self.catalogue, query.standalone, reading, limit):
            return GradeTable(*table)
        if query.grades and (picks := self.report_grades.picks(query.grades, scope)):
            return Grades(query.grades, picks)
        if reading.mode == "each" and asks_only_what_changed(query.topic, NOT_TOPIC) and any(self.judgements(r) for r in scope):
            # "How has X changed since 2016?" names no topic: each report's judgements, in date order.
            picks = {r: self.judgements(r) for r in scope[:MAX_COMPARED_REPORTS]}
            return Grades(GradeQuestion(frozenset(), False, None), picks)
        if query.when and len(scope) <= MAX_COMPARED_REPORTS and reading.mode != "best" and (dated := self._dated(query)):
            return Ready(dated)
        # "What year was it last judged inadequate?" asks when, of an earlier inspection: no premise about this one.
        if len(scope) == 1 and not query.needs.date and (
            mismatch := self.report_grades.mismatch(query.presumed_grade, query.standalone, scope[0])
        ):
            return Premise(mismatch)
        if len(scope) <= MAX_COMPARED_REPORTS and not self._every(reading) and (
            phrase := self.report_words.unmentioned_name(query.names, tuple(scope), ignore=known)
            or self.report_words.unmentioned_phrase(query.topic, tuple(scope), ignore=known)
        ):
            return Decline(_not_mentioned(f"“{phrase}”", len(scope)))
        return self._searched(query)

    def _dated(self, query: Query) -> Answer | None:
        dates, scope = self.inspection_dates, query.scope
        if query.when == "this":
            return dates.run(query.question, query.standalone, scope)
        return dates.before(query.question, query.standalone, scope[0]) if len(scope) == 1 else None

    def _before_latest(self, query: Query) -> Answer | None:
        """The sentence dating the inspection before the one report the question is asked of, if one."""
        reports = self.read_scope(without_before(query.standalone), query.ask.limit).reports
        return self.inspection_dates.before(query.question, query.standalone, reports[0]) if len(reports) == 1 else None

    def _searched(self, query: Query) -> Plan:
        """The plans that search the passages: a report's recommendations, or its best passages."""
        scope, k = query.scope, query.ask.k
        sections = self._sections(query)
        if len(scope) == 1 and sections:
            return LookUp(sections=tuple(sections))
        # Searched with the reports' terms for its everyday words; the answerer reads the question as asked.
        vector = self.embeddings.embed_query(query.search_text)
        named = _limits(query, sections)
        if query.reading.mode == "each":
            per_report = {r: self.retriever.rank(query.search_text, k, vector, [r], **named) for r in scope[:MAX_COMPARED_REPORTS]}
            return ReportByReport(vector, per_report, every=True, searched=len(scope))
        sources = self.retriever.rank(query.search_text, k, vector=vector, reports=None if self._every(query.reading) else scope, **named)
        if query.reading.mode == "best":
            # No authority named: the reports whose passages answer best, each answered under its name.
            best = list(dict.fromkeys(s.report for s in sources))[: self.settings.best_reports]
            per_report = {r: self.retriever.rank(query.search_text, k, vector, [r], **named) for r in best}
            return ReportByReport(vector, per_report, every=False, searched=len(scope))
        return Extract(vector, sources)

    # --- answering ---------------------------------------------------------------------
    def run(self, planned: Planned) -> Answer:
        """Take the plan's route, then say which reports the answer is from."""
        query, plan = planned.query, planned.plan
        answer = self.routes.run(query, plan)
        if isinstance(plan, Extract | ReportByReport) and not answer.abstained:
            answer = self._with_area_grade(query, plan, answer)
        if isinstance(plan, GradeTable):
            answer.reports = answer.reports or list(plan.scope)
            return answer  # the answer names every report it draws on, and the scope is its own
        answer.reports = answer.reports or query.scope
        reading = query.reading
        if reading.note and not answer.abstained:
            # One authority's latest report, chosen for the user: the answer says which, and that others exist.
            answer.notes.insert(0, reading.note)
            answer.answer = f"From {self.catalogue.reports[reading.reports[0]].name}: {answer.answer}"
        elif self._unnamed_single(reading, answer):
            # No authority named, several loaded, one report answers: the answer says which.
            answer.answer = f"From {self.catalogue.reports[answer.reports[0]].name}: {answer.answer}"
        return answer

    def _with_area_grade(self, query: Query, plan: Plan, answer: Answer) -> Answer:
        """"What did inspectors say about care leavers?", "compare Leeds and Durham on adoption": a
        summary of one judgement area starts with the grade each quoted report gave it, cited."""
        if not (query.needs.broad or query.reading.mode == "each") or query.expects in FIGURE_KINDS:
            return answer  # a figure asked for ("how did the number in care compare?") is no summary
        if not (area := query.area):
            return answer
        # every passage already cited keeps its quoted lines; the table is added once, if new
        evidence = Evidence(list(answer.sources), {s.label: list(answer.highlights.get(s.label, [])) for s in answer.sources})
        lines = []
        quoted = list(dict.fromkeys(c.report for c in answer.citations))
        for report in quoted:
            rows = [r for r in self.grade_table.rows(self.catalogue.reports[report]) if r.area == area]
            graded = [(rows[0].area_printed, rows[0].grade_printed)] if rows else []
            if graded and (said := self.grade_quoter.quote(report, graded, evidence, new_only=True)):
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


def _limits(query: Query, sections: list[str]) -> dict:
    """What a search of the passages is told besides the question: the paragraphs and recommendation
    sections it names, what it leaves out, and the judgement areas it weights up."""
    return {"paragraphs": query.paragraphs, "sections": sections, "skipped": _skipped(query), "areas": query.areas,
            "recommended": query.needs.recommended, "area": query.area if query.areas else None}


def _skipped(query: Query) -> tuple[str, ...]:
    """The passages a search leaves out, for a question they cannot answer: the judgement table (it
    states grades, the inspection's dates and its lead inspector, nothing else; a summary of one
    judgement area starts with that area's grade) and the inspection's particulars (who inspected,
    when, under which Act: their stock wording, "how well it is doing", meets questions on any topic)."""
    if query.needs.states_judgements:
        return ()
    return (INSPECTION_DETAILS,) if query.area else (JUDGEMENTS, INSPECTION_DETAILS)


def _not_mentioned(what: str, reports: int = 1) -> str:
    """Why a question about something the reports in scope never name is declined."""
    return f"the {'report does' if reports == 1 else 'reports do'} not mention {what}"
