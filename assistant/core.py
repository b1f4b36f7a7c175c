"""The Python API: ``Assistant().ask(question)`` → an Answer whose every claim cites the report."""

from __future__ import annotations

import copy
import hashlib
import logging
import threading
import time
from itertools import zip_longest
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from chromadb.errors import InternalError as ChromaInternalError
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableLambda

from assistant.answer import ExtractiveAnswerer, abstention, no_such_report
from assistant.authorities import other_authorities
from assistant.cite import REFUSAL, cite, citations_in
from assistant.conversation import Conversation
from assistant.embeddings import load_embeddings
from assistant.errors import IndexUnavailable, InvalidQuestion, ReportFormatError
from assistant.generate import AnswerStream, GenerativeAnswerer
from assistant.grade_answers import GradeQuoter, GradeTableAnswerer
from assistant.grade_scope import grade_table_query
from assistant.grade_queries import grade_words
from assistant.judgements import GradeRow, grade_table
from assistant.grades import GradeQuestion, grade_question
from assistant.report_dates import InspectionDates
from assistant.report_grades import ReportGradeAnswerer
from assistant.identity import place, renamed, replacement_record, text_digest
from assistant.index import ReportIndex, open_here
from assistant.integrity import IndexCheck, rebuild_advice
from assistant.keyword import KeywordIndex
from assistant.llm import build_chat_model, describe
from assistant.question import (
    NOT_TOPIC,
    asks_for_advice,
    asks_when_inspected,
    clean_question,
    malformed_paragraph_number,
    requested_paragraphs,
    unknown_names,
    with_acronyms_spelled_out,
    with_report_words,
    without_instructions,
    without_scope,
)
from assistant.reports import Catalogue, ReportInfo, Scope, ScopeReading, asks_only_what_changed
from assistant.plain_words import with_plain_words_explained
from assistant.retrieve import PassageRetriever, source_of
from assistant.text import embeddable
from assistant.settings import Settings
from assistant.types import Answer, Source
from assistant.vocabulary import ReportWords
from ingest import PARSER_VERSION, Paragraph, iter_report_files
from ingest.sandbox import parse_isolated

log = logging.getLogger(__name__)

# Above this many reports in scope, "paragraph 38" is ambiguous: the user is asked to name one.
MAX_LOOKUP_REPORTS = 3
MAX_COMPARED_REPORTS = 6


def file_digest(path: str | Path) -> str:
    """sha256 of a report file and the parser version: a changed report, or a report an improved
    parser would read differently, is re-indexed on the next ingest (or on first use)."""
    if not Path(path).is_file():
        return ""
    return hashlib.sha256(Path(path).read_bytes() + f"|parser {PARSER_VERSION}".encode()).hexdigest()


@dataclass(frozen=True)
class IngestResult:
    report: str
    passages: int
    numbered: int
    windows: int
    seconds: float
    outcome: str = "indexed"  # "indexed", "replaced" (an earlier version, logged) or "unchanged"
    note: str = ""  # what was replaced, or which indexed report it is the same as


@dataclass
class IngestSummary:
    """What a run over many files did: indexed, skipped as unchanged, refused (with the reason)."""

    indexed: list[IngestResult] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)


class Assistant:
    """Answers questions about the indexed reports; safe to share between threads for asking."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        retrieval: str | None = None,
        k: int | None = None,
        embeddings: Embeddings | None = None,
        ensure_reports: bool = True,
        chat_model: BaseChatModel | None = None,
    ):
        overrides = {key: value for key, value in {"retrieval": retrieval, "k": k}.items() if value is not None}
        if embeddings is not None:  # the collection is named after the encoder that really made the vectors
            overrides["encoder"] = embeddings.name
        base = settings or Settings()
        self.settings = base.model_copy(update=overrides) if overrides else base
        Settings.model_validate(self.settings.model_dump())  # bad overrides fail here, naming the value
        # A chat model object given here wins over ASSISTANT_CHAT_MODEL; a bad setting fails before the index loads.
        self.chat_model = chat_model if chat_model is not None else build_chat_model(self.settings)
        self.chat_model_name = (
            describe(chat_model) if chat_model is not None else (self.settings.chat_model or "").strip()
        )
        # The index's integrity check runs in a child process while the model loads.
        started_check = None if self.settings.chroma_host or open_here(self.settings.index_dir) else IndexCheck(
            self.settings.index_dir
        )
        self.embeddings = embeddings or load_embeddings(self.settings)
        self.index = ReportIndex(
            self.settings.index_dir,
            self.settings.collection_name,
            self.embeddings,
            host=self.settings.chroma_host,
            port=self.settings.chroma_port,
            integrity_timeout=self.settings.integrity_timeout,
            started_check=started_check,
        )
        self._reload_lock = threading.Lock()
        self._checked_at = time.monotonic()
        if ensure_reports:
            for path in self.settings.reports:
                if not self.index.has_file(file_digest(path)):
                    self.ingest(path)
        self._load_passages()

    # --- ingest ------------------------------------------------------------------------
    def ingest(self, path: str | Path, *, replace: bool = False) -> IngestResult:
        """Parse and index one report; ReportFormatError when it cannot, or when it would take the place
        of a different report (or of another copy of the same one with other text) without ``replace``.
        The same report already indexed, under any file name, is left as it is ("unchanged")."""
        result = self._index_file(Path(path), replace=replace)
        self._load_passages()
        return result

    def ingest_many(
        self,
        paths,
        *,
        force: bool = False,
        replace: bool = False,
        on_file: Callable[[Path, str], None] | None = None,
    ) -> IngestSummary:
        """Index every report file named or inside the folders named.

        A report already indexed with the same contents is skipped (so an interrupted run resumes where
        it stopped, and a second run changes nothing); a file that cannot be parsed, or that would take
        another report's place without ``replace``, is refused with its reason and the rest go on.
        ``on_file(path, outcome)`` reports each file as it is done.
        """
        summary = IngestSummary()
        for path in iter_report_files(paths):
            try:
                if not force and self.index.has_file(file_digest(path)):
                    outcome = "unchanged"
                else:
                    result = self._index_file(path, force=force, replace=replace)
                    outcome = result.outcome
            except ReportFormatError as refusal:
                summary.refused.append((path, str(refusal)))
                outcome = "refused"
            if outcome == "unchanged":
                summary.skipped.append(path)
            elif outcome != "refused":
                summary.indexed.append(result)
            if on_file:
                on_file(path, outcome)
        self._load_passages()
        return summary

    def _index_file(self, path: Path, *, force: bool = False, replace: bool = False) -> IngestResult:
        """Parse, then under the index's one-writer lock decide which report this is (``identity.place``)
        and write it: the decision and the write see the same index."""
        started, source = time.perf_counter(), str(path.resolve())  # the same file, from wherever it is named
        parsed = parse_isolated(path, **self.settings.report_limits, **self.settings.parse_limits)
        digest, text_sha = parsed.sha256, text_digest(parsed)  # of the bytes that were parsed
        with self.index.writing(self.settings.writer_wait_seconds):
            placement = place(parsed, source, digest, text_sha, self.index.reports(), replace=replace)
            if placement.action == "refuse":
                raise ReportFormatError(f"{path.name} was not indexed: {placement.reason}")
            parsed = renamed(parsed, placement.report)
            counts = (parsed.report, len(parsed.paragraphs), len(parsed.numbered))
            if placement.action == "unchanged" and not force:
                return IngestResult(*counts, 0, time.perf_counter() - started, "unchanged", placement.reason)
            old = placement.replaces
            history = [*old.get("replaced", []), replacement_record(old, digest, source)] if old else []
            windows = self.index.add_report(
                parsed, source=source, digest=digest, text_sha256=text_sha, replaced=history
            )
        note = ""
        if old:
            note = f"replaced the version indexed from {old.get('source')} (sha256 {old.get('sha256', '')[:12]} → {digest[:12]})"
            log.info("%s: %s", parsed.report, note)
        return IngestResult(
            *counts, windows, time.perf_counter() - started, "replaced" if old else "indexed", note
        )

    def refresh(self, *, force: bool = False) -> bool:
        """Pick up what other processes wrote to the index (checked at most every
        ``Settings.index_check_seconds``): the new version is loaded beside the one in use and swapped
        in whole, so no answer reads a half-loaded one. True when it reloaded."""
        now = time.monotonic()
        if not force and now - self._checked_at < self.settings.index_check_seconds:
            return False
        with self._reload_lock:
            self._checked_at = now
            if not force and self.index.version() == self._version:
                return False
            self._load_passages(self.index.reopened())
        log.info("reloaded the index at %s: another process changed it", self.index.location)
        return True

    def _load_passages(self, index: ReportIndex | None = None) -> None:
        """Load the index's reports into a copy of this assistant and take that copy's state whole: an
        answer under way keeps the version it started with (its chain is bound to the older copy)."""
        loaded = copy.copy(self)
        loaded.index = index or self.index
        loaded._load()
        loaded.chain = RunnableLambda(loaded._retrieve_step) | RunnableLambda(loaded._answer_step)
        self.__dict__.update(loaded.__dict__)

    def _load(self) -> None:
        self._version = self.index.version()  # read first: a write during the load is picked up next time
        self._reports = self.index.reports()
        self._paragraphs = self.index.paragraphs()
        if empty := sorted(set(self._reports) - {p.report for p in self._paragraphs}):
            raise IndexUnavailable(
                f"the index at {self.index.location} is damaged: {', '.join(empty[:5])} listed but without passages; "
                "run `python -m assistant ingest --force PATH` for those reports, or " + rebuild_advice(self.index.path)
            )
        self._by_report: dict[str, list[Paragraph]] = {}
        for p in self._paragraphs:
            self._by_report.setdefault(p.report, []).append(p)
        self.catalogue = Catalogue(self._reports)
        self.grade_quoter = GradeQuoter(self.paragraphs, self.catalogue)
        self.grade_table = GradeTableAnswerer(self.grade_quoter, self.catalogue)
        self.inspection_dates = InspectionDates(self.grade_quoter, self.catalogue)
        self.scope_names = self.catalogue.authority_words()
        self.report_grades = ReportGradeAnswerer(self.catalogue, self.judgements, self.paragraphs, self.grade_quoter,
                                                 self.scope_names, MAX_COMPARED_REPORTS)
        self.keyword = KeywordIndex(self._paragraphs)
        # Ingest stores each report's words; an index built before words were kept gets them now, once.
        self.index.add_words(embeddable(self.keyword.vocabulary_words))
        self.report_words = ReportWords(self.index, self.keyword)
        self.retriever = PassageRetriever(
            index=self.index,
            keyword=self.keyword,
            mode=self.settings.retrieval,
            k=self.settings.k,
            dense_candidates=self.settings.dense_candidates,
            exact_search_windows=self.settings.exact_search_windows,
            catalogue=self.catalogue,
        )
        self.extractive = ExtractiveAnswerer(
            self.index, self.keyword, self.settings.abstain_below, self.settings.max_answer_sentences
        )
        # With a chat model, the extractive answerer still decides abstentions and is the fallback.
        self.answerer: ExtractiveAnswerer | GenerativeAnswerer = (
            GenerativeAnswerer(self.chat_model, self.extractive, [p.label for p in self._paragraphs])
            if self.chat_model is not None
            else self.extractive
        )

    # --- asking ------------------------------------------------------------------------
    def clean_question(self, question: str) -> str:
        """The question as it is read: checked, and without instructions to the assistant, which change
        nothing that is retrieved or cited."""
        return without_instructions(clean_question(question, self.settings.max_question_chars))

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        authority: str | None = None,
        year: int | str | None = None,
        report: str | None = None,
    ) -> Answer:
        """Answer one question on its own, within one authority's reports, one year's, or one report when given."""
        question = self.clean_question(question)
        return self.answer(question, question, k=k, limit=Scope(authority, year, report))

    def chat(
        self,
        k: int | None = None,
        use_chat_model: bool | None = None,
        authority: str | None = None,
        year: int | str | None = None,
        report: str | None = None,
    ) -> Conversation:
        """Start a conversation whose follow-ups are read in the light of earlier turns."""
        return Conversation(self, k=k, use_chat_model=use_chat_model, limit=Scope(authority, year, report))

    def retrieve(
        self,
        question: str,
        k: int = 10,
        *,
        authority: str | None = None,
        year: int | str | None = None,
        report: str | None = None,
        reports: tuple[str, ...] = (),
    ) -> list[Source]:
        """The top ``k`` passages for a question, best first, within the reports it (or the caller) names."""
        question = self.clean_question(question)
        self.refresh()
        reading = self.read_scope(question, Scope(authority, year, report, tuple(reports)))
        scope = list(reading.reports)
        ranked = self._rank(question, k, reading)
        # A question about grades is answered from the judgements: their passages come first.
        first: list[Source] = []
        if table := grade_table_query(self.catalogue, question, reading, Scope(authority, year, report, tuple(reports))):
            first = self.grade_table.run(question, question, *table).sources
        elif (asked := grade_question(self._topic(question, reading))) and (picks := self.report_grades.picks(asked, scope)):
            first = self.grade_quoter.sources(picks)
        ranked = first + [s for s in ranked if s.label not in {f.label for f in first}]
        return ranked[:k]

    def read_scope(
        self, question: str, limit: Scope = Scope(), own: str | None = None, previous: tuple[str, ...] = ()
    ) -> ScopeReading:
        """Which loaded reports a question is about (``Catalogue.read``), knowing the words each report uses."""
        return self.catalogue.read(
            question, limit, own=own, previous=previous, mentions=lambda w, reports: self.report_words.knows(w, reports)
        )

    def _topic(self, question: str, reading: ScopeReading) -> str:
        """The question without the words that name its reports (authority, year, kind, "the latest")."""
        return without_scope(question, self.scope_names | {p.lower() for p in reading.phrases})

    def _search_query(self, question: str, reading: ScopeReading | None = None) -> str:
        """What is searched for: the question without the names that set its scope, acronyms spelled
        out, and words the reports in scope do not use followed by their words nearest them."""
        reading = reading or self.read_scope(question)
        lookups = self.settings.max_word_lookups
        query = with_acronyms_spelled_out(self._topic(question, reading), self.keyword.spelled_out, lookups)
        scope = None if self._every(reading) else reading.reports
        return with_report_words(
            query, lambda w: self.report_words.knows(w, scope), lambda w: self.report_words.nearest(w, scope), lookups
        )

    def _every(self, reading: ScopeReading) -> bool:
        # No filter at all is far faster than "$in" every report.
        return len(reading.reports) == len(self._reports)

    def _rank(self, question: str, k: int, reading: ScopeReading) -> list[Source]:
        query = with_plain_words_explained(self._search_query(question, reading))
        if reading.mode != "each":
            return self.retriever.rank(query, k, reports=None if self._every(reading) else (list(reading.reports) or ["-"]))
        # Reports answered each in turn are searched each in turn, as their answer is.
        vector = self.embeddings.embed_query(query)
        rankings = [self.retriever.rank(query, k, vector, [r]) for r in reading.reports[:MAX_COMPARED_REPORTS]]
        return [s for turn in zip_longest(*rankings) for s in turn if s is not None][:k]

    def _answerer(self, use_chat_model: bool | None) -> ExtractiveAnswerer | GenerativeAnswerer:
        """The configured answerer, or the extractive one when the caller asks for it."""
        return self.extractive if use_chat_model is False else self.answerer

    def answer(
        self,
        question: str,
        query: str,
        *,
        k: int | None = None,
        use_chat_model: bool | None = None,
        limit: Scope = Scope(),
        previous: tuple[str, ...] = (),
    ) -> Answer:
        """Answer ``question``, retrieving with ``query`` (the question made standalone), within ``limit``;
        ``previous`` holds the reports of the answer before, for "last time" and "before that"."""
        self.refresh()
        if not self._paragraphs:
            raise ReportFormatError("no report is indexed: run `python -m assistant ingest PATH` first")
        state = {
            "question": question, "query": query, "k": k or self.settings.k, "use_chat_model": use_chat_model,
            "limit": limit, "previous": previous,
        }
        return self._after_reload_if_stale(lambda: self.chain.invoke(state))

    def _after_reload_if_stale(self, step: Callable):
        """Run ``step``; when another process rewrote the index under it (Chroma: "Error finding id"),
        reload and run it once more on the new version."""
        try:
            return step()
        except ChromaInternalError:
            self.refresh(force=True)
            return step()

    def stream(
        self,
        question: str,
        query: str,
        *,
        k: int | None = None,
        use_chat_model: bool | None = None,
        limit: Scope = Scope(),
        previous: tuple[str, ...] = (),
    ) -> AnswerStream:
        """Like ``answer``, but the chat model's checked text arrives as it is written; ``.answer`` at the end."""
        self.refresh()
        answerer = self._answerer(use_chat_model)
        if not self._paragraphs or not isinstance(answerer, GenerativeAnswerer):
            return AnswerStream.whole(
                self.answer(question, query, k=k, use_chat_model=use_chat_model, limit=limit, previous=previous)
            )
        state = self._after_reload_if_stale(lambda: self._retrieve_step(
            {"question": question, "query": query, "k": k or self.settings.k, "limit": limit, "previous": previous}
        ))
        if state["route"] != "extract":
            return AnswerStream.whole(self._answer_step(state))
        sources = state["sources"]
        return answerer.stream(question, state["scoped_query"], state["vector"], sources, standalone=query)

    def _retrieve_step(self, state: dict) -> dict:
        """Decide how the question is answered, and retrieve for it."""
        limit: Scope = state["limit"]
        reading = self.read_scope(state["query"], limit, own=state["question"], previous=state.get("previous", ()))
        scope = list(reading.reports)
        state = {**state, "reading": reading, "scope": scope}
        if reading.missing:
            return {**state, "route": "missing"}
        if malformed := malformed_paragraph_number(state["question"]):
            reason = f"“{malformed}” is not a paragraph number: paragraph numbers are whole positive numbers, like 38"
            return {**state, "route": "decline", "reason": reason}
        if numbers := requested_paragraphs(state["question"]):
            return {**state, "route": "lookup", "numbers": numbers}
        if asks_for_advice(state["question"]):
            return {**state, "route": "decline", "reason": "it asks for advice or an opinion; the reports say only what inspectors found"}
        topic = self._topic(state["query"], reading)  # what it asks about, not which report
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
        if (len(scope) <= MAX_COMPARED_REPORTS and reading.mode != "best" and asks_when_inspected(topic)
                and (dated := self.inspection_dates.run(state["question"], state["query"], scope))):
            return {**state, "route": "dates", "dated": dated}
        if len(scope) == 1 and (mismatch := self.report_grades.mismatch(state["query"], scope[0])):
            return {**state, "route": "premise", "mismatch": mismatch}
        query = self._search_query(state["query"], reading)
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

    def _answer_step(self, state: dict) -> Answer:
        answer = self._route_answer(state)
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

    def _unnamed_single(self, reading: ScopeReading, answer: Answer) -> bool:
        many = len({i.authority_key for i in self.catalogue.infos()}) > 1
        return (many and not reading.authorities and len(set(answer.reports)) == 1 and not answer.abstained
                and not answer.answer.startswith(self.catalogue.reports[answer.reports[0]].name))

    def _route_answer(self, state: dict) -> Answer:
        question, query = state["question"], state["query"]
        route = state["route"]
        in_scope = set(state["scope"])  # a set: at corpus scale the passages number 40,000 and the reports 425
        passages = (p for p in self._paragraphs if p.report in in_scope)  # read only by the look-ups
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
        answerer = self._answerer(state.get("use_chat_model"))
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
        citations = citations_in(text, sources)
        return Answer(
            question=question,
            answer=text,
            citations=citations,
            sources=sources,
            abstained=not citations,
            standalone_question=query,
            notes=notes,
            highlights=highlights,
            reports=used or list(per_report),
        )

    def _look_up(self, question: str, query: str, found: list[Paragraph], numbers: list[int]) -> Answer:
        """Quote whole passages the question (made standalone as ``query``) names."""
        reports = list(dict.fromkeys(p.report for p in found))
        if len(reports) > MAX_LOOKUP_REPORTS:
            names = ", ".join(self.catalogue.reports[r].name for r in reports[:5])
            reason = f"{len(reports)} reports have that paragraph ({names}, …): name the authority and year"
            return abstention(question, query, [], reason)
        if not found:
            known = [p.number for p in self._paragraphs if p.number is not None]
            span = f"{min(known)} to {max(known)}" if known else "none"
            return abstention(question, query, [], f"no paragraph {', '.join(map(str, numbers))}; they run {span}")
        sources = [source_of(p, 1.0, self.catalogue) for p in found]
        text = " ".join(f"{p.text} {cite(s.label)}" for p, s in zip(found, sources))
        missing = [n for n in numbers if n not in {p.number for p in found}]
        return Answer(
            question=question,
            answer=text,
            citations=citations_in(text, sources),
            sources=sources,
            standalone_question=query,
            notes=[f"no paragraph {', '.join(map(str, missing))}"] if missing else [],
            highlights={s.label: [p.text] for p, s in zip(found, sources)},
        )

    # --- reading -----------------------------------------------------------------------
    def paragraphs(self, report: str | None = None) -> list[Paragraph]:
        """Every passage in document order."""
        return list(self._paragraphs) if report is None else list(self._by_report.get(report, []))

    def passage(self, label: str, report: str | None = None) -> Paragraph:
        """One passage by its label ("¶38", a section name, or "Ealing 2016 ¶38"); KeyError when there is none."""
        named, label = self.catalogue.resolve(label)
        for p in self.paragraphs(report or named):
            if p.label == label:
                return p
        raise KeyError(label)

    def reports(self) -> list[ReportInfo]:
        """Every loaded report, as it describes itself: authority, kind, dates, judgements, size, file."""
        self.refresh()
        return self.catalogue.infos()

    def grades(self, authority: str | None = None, year: str | int | None = None) -> list[GradeRow]:
        """Every loaded report's grades, one row per report and area (``assistant.judgements``),
        limited to one authority's reports and one year's when given; AssistantError when none match."""
        infos = self.reports()
        if authority:
            keys = self.catalogue.named_authorities(authority)
            if not keys:
                raise InvalidQuestion(f"no report on {authority} is loaded")
            infos = [i for i in infos if i.authority_key in keys]
        if year is not None:
            infos = [i for i in infos if str(year) in {i.year, *i.inspection_years}]
        return grade_table(infos)

    def judgements(self, report: str | None = None) -> list[tuple[str, str]]:
        """The grades the report gives, as read from the report itself."""
        report = report or next(iter(self._reports), None)
        return [tuple(j) for j in self._reports.get(report, {}).get("judgements", [])]

    def info(self) -> dict:
        """What is loaded: reports, index, models and modes."""
        return {
            "reports": list(self._reports),
            "report_names": {r: i.name for r, i in self.catalogue.reports.items()},
            "index_path": self.index.location,
            "collection": self.index.collection_name,
            "passages": len(self._paragraphs),
            "windows": self.index.count(),
            "embedding_model": Path(self.settings.embedding_model).name,
            "retrieval": self.settings.retrieval,
            "answerer": f"chat:{self.chat_model_name}" if self.chat_model is not None else "extractive",
            "k": self.settings.k,
        }

