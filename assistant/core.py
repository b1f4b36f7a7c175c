"""The Python API: ``Assistant().ask(question)`` → an Answer whose every claim cites the report."""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from chromadb.errors import InternalError as ChromaInternalError
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

import assistant.retrieval.ingesting as ingesting
from assistant.conversation import Conversation
from assistant.retrieval.embeddings import load_embeddings
from assistant.errors import IndexUnavailable, InvalidQuestion, ReportFormatError
from assistant.answering.generate import AnswerStream, GenerativeAnswerer
from assistant.reading.judgements import GradeRow, grade_table
from assistant.retrieval.index import ReportIndex, open_here
from assistant.retrieval.ingesting import IngestResult, IngestSummary, file_digest
from assistant.retrieval.integrity import IndexCheck, rebuild_advice
from assistant.answering.llm import build_chat_model, describe
from assistant.pipeline import Router
from assistant.reading.query import Ask
from assistant.reading.question import clean_question, without_instructions
from assistant.reading.reports import ReportInfo, Scope, ScopeReading
from assistant.answering.routes import Extract
from assistant.settings import Settings
from assistant.types import Answer, Source
from ingest import Paragraph

log = logging.getLogger(__name__)


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
        result = ingesting.index_file(self, Path(path), replace=replace)
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
        summary = ingesting.ingest_many(self, paths, force=force, replace=replace, on_file=on_file)
        self._load_passages()
        return summary

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
        answer under way keeps the version it started with (its chain is bound to the older copy's Router)."""
        loaded = copy.copy(self)
        loaded.index = index or self.index
        loaded._load()
        loaded.chain = loaded.router.chain()
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
        # The routing reads this version only: a reload builds a new Router, and answers under way keep theirs.
        self.router = Router.build(self.settings, self.embeddings, self.index, self.chat_model, self._reports,
                                   self._paragraphs)

    # The parts of the loaded version that callers read (the app's citations, tests of the parts).
    catalogue = property(lambda self: self.router.catalogue)
    retriever = property(lambda self: self.router.retriever)
    extractive = property(lambda self: self.router.extractive)
    report_words = property(lambda self: self.router.report_words)
    scope_names = property(lambda self: self.router.scope_names)

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
        return self.router.sources(question, k, Scope(authority, year, report, tuple(reports)))

    def read_scope(
        self, question: str, limit: Scope = Scope(), own: str | None = None, previous: tuple[str, ...] = ()
    ) -> ScopeReading:
        """Which loaded reports a question is about (``Catalogue.read``), knowing the words each report uses."""
        return self.router.read_scope(question, limit, own, previous)

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
        ask = Ask(question, query, k or self.settings.k, limit, previous, use_chat_model)
        return self._after_reload_if_stale(lambda: self.chain.invoke(ask))

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
        answerer = self.router.answerer_for(use_chat_model)
        if not self._paragraphs or not isinstance(answerer, GenerativeAnswerer):
            return AnswerStream.whole(
                self.answer(question, query, k=k, use_chat_model=use_chat_model, limit=limit, previous=previous)
            )
        ask = Ask(question, query, k or self.settings.k, limit, previous, use_chat_model)
        planned = self._after_reload_if_stale(lambda: self.router.decide(self.router.read(ask)))
        if not isinstance(plan := planned.plan, Extract):
            return AnswerStream.whole(self.router.run(planned))
        return answerer.stream(question, planned.query.needs, plan.vector, plan.sources, standalone=query)

    # --- reading -----------------------------------------------------------------------
    def paragraphs(self, report: str | None = None) -> list[Paragraph]:
        """Every passage in document order."""
        return self.router.passages_of(report)

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
        """Every loaded report's grades, one row per report and area (``assistant.reading.judgements``),
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
        return self.router.judgements(report)

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
