"""A question read once: what the caller asked (``Ask``) and what the router read from it (``Query``).

Every step after the reading takes the ``Query``; none of them reads the question's text again for
what is recorded here."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.reading.answer_kinds import Needs
from assistant.reading.grades import GradeQuestion
from assistant.reading.reports import Scope, ScopeReading


@dataclass(frozen=True)
class Ask:
    """One question as the caller puts it: checked text, its standalone form, and the limits given."""

    question: str  # as asked, checked and without instructions to the assistant
    standalone: str  # the same, or a follow-up with the earlier topic carried ("and how many? (care leavers)")
    k: int
    limit: Scope = Scope()
    previous: tuple[str, ...] = ()  # the reports of the answer before, for "last time" and "before that"
    use_chat_model: bool | None = None  # None: the configured answerer; False: the extractive one


@dataclass(frozen=True)
class Query:
    """A question read once against the loaded reports; passed to the router and to each route."""

    ask: Ask
    reading: ScopeReading  # which reports it is about, and how they are answered ("one", "each", "best")
    topic: str  # the standalone text without the words that name its reports
    own_topic: str  # the question's own words without them (a follow-up's, not the carried topic)
    scoped_text: str  # the topic with acronyms spelled out and the reports' words for words they lack
    search_text: str  # the scoped text with the reports' terms for its everyday words: what is searched
    paragraphs: tuple[int, ...]  # paragraph numbers it names ("what does paragraph 38 say?")
    malformed_paragraph: str | None  # "paragraph -3", "paragraph 1.5": named, but no paragraph number
    asks_advice: bool  # "what should Leeds do?": an opinion, not what inspectors found
    when: str  # it asks only when "this" inspection, or the one "before" it, took place; else ""
    grades: GradeQuestion | None  # the grades it asks for, when it asks for grades
    presumed_grade: str | None  # the grade it takes as given ("why was X judged inadequate?")
    expects: str  # the kind of answer it wants (``answer_kinds.expected_kind``)
    needs: Needs  # what its answer must hold, read from the scoped text: what the answerers check sentences against
    area: str | None  # the one judgement area it asks about and nothing else ("what did inspectors say about care leavers?")
    areas: frozenset[str]  # the judgement areas whose sections answer it: those it names, when it asks for a description
    names: tuple[str, ...]  # what its topic calls by name ("Staying Close"): a report in scope must mention them

    @property
    def question(self) -> str:
        return self.ask.question

    @property
    def standalone(self) -> str:
        return self.ask.standalone

    @property
    def scope(self) -> list[str]:
        return list(self.reading.reports)
