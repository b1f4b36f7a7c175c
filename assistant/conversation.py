"""A conversation: follow-ups are read in the light of earlier turns."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Protocol

from assistant.answering.generate import AnswerStream, rewrite_question
from assistant.reading.follow_ups import standalone
from assistant.reading.question import without_instructions
from assistant.reading.report_names import YEAR
from assistant.reading.reports import Scope
from assistant.settings import Settings
from assistant.text import words
from assistant.types import Answer

# What could make exported text act rather than read: raw HTML and autolinks (<…>, &…;), links and
# images ([…](…), ![…](…)), and a backslash that would undo the escape after it.
_MARKDOWN_ACTIVE = re.compile(r"[\\<>&\[\]!()`]")


def literal(text: str) -> str:
    """``text`` as Markdown that shows it as written: a question's or an answer's ``<img onerror=…>``,
    ``[link](javascript:…)`` or remote ``![image](https://…)`` is shown, never rendered or fetched."""
    return _MARKDOWN_ACTIVE.sub(lambda m: "\\" + m.group(0), text)


class Answering(Protocol):
    """What a conversation asks of the assistant (``core.Assistant``)."""

    settings: Settings
    scope_names: set[str]
    chat_model: Any  # a LangChain chat model, or None

    def clean_question(self, question: str) -> str: ...

    def answer(self, question: str, query: str, **limits: Any) -> Answer: ...

    def stream(self, question: str, query: str, **limits: Any) -> AnswerStream: ...


class Conversation:
    """Turns of one user's chat with the assistant; not shared between users."""

    def __init__(
        self,
        assistant: Answering,
        k: int | None = None,
        use_chat_model: bool | None = None,
        limit: Scope = Scope(),
    ):
        self.assistant = assistant
        self.k = k
        self.limit = limit
        self.use_chat_model = use_chat_model  # None: the configured answerer; False: always extractive
        self.turns: list[Answer] = []

    @property
    def last(self) -> Answer | None:
        return self.turns[-1] if self.turns else None

    def ask(self, question: str) -> Answer:
        """Answer a question, reading it in the light of the earlier ones."""
        question = self.assistant.clean_question(question)
        answer = self._answered(question)
        self.turns.append(answer)
        return answer

    def stream(self, question: str) -> Iterator[str]:
        """Yield the answer as it is written (a cited sentence at a time when quoting); ``last`` holds it afterwards."""
        question = self.assistant.clean_question(question)
        if not self._model_writes():
            stream = AnswerStream.whole(self._answered(question))  # quoted: whole before it is shown
        else:
            stream = self.assistant.stream(
                question, self.standalone(question), k=self.k, use_chat_model=self.use_chat_model, limit=self.limit,
                previous=self.previous_reports(),
            )
        yield from stream
        self.turns.append(stream.answer)

    def _answered(self, question: str) -> Answer:
        """The answer to the question as read; if the reports do not answer that, the answer to it read
        as a follow-up of the turn before, when that one does answer. In a chat, "What caused the
        pressure?" after a question about caseloads asks about the caseloads, though no word says so."""
        asked = self.standalone(question)
        answer = self._answer(question, asked)
        if answer.abstained and (carried := self._as_follow_up(question, asked)):
            again = self._answer(question, carried)
            return answer if again.abstained else again
        return answer

    def _answer(self, question: str, asked: str) -> Answer:
        return self.assistant.answer(question, asked, k=self.k, use_chat_model=self.use_chat_model, limit=self.limit,
                                     previous=self.previous_reports())

    def _as_follow_up(self, question: str, asked: str) -> str | None:
        """The question with the earlier topic carried, when it was read on its own words and names no
        report or authority of its own (a new subject: nothing of the old one is carried)."""
        question = without_instructions(question)
        if not self.turns or asked != question or self._model_rewrites() or YEAR.search(question):
            return None
        if set(words(question)) & set(self.assistant.scope_names):
            return None
        carried = self._by_rule(question, carry=True)
        return carried if carried != question else None

    def _model_writes(self) -> bool:
        """Does a chat model write the answers?"""
        return getattr(self.assistant, "chat_model", None) is not None and self.use_chat_model is not False

    def _model_rewrites(self) -> bool:
        """Does the chat model make follow-ups standalone?"""
        return self._model_writes() and bool(self.turns)

    def previous_reports(self) -> tuple[str, ...]:
        """The reports the last answer that found any was about: "and before that?" counts back from them."""
        return next((tuple(turn.reports) for turn in reversed(self.turns) if turn.reports), ())

    def standalone(self, question: str) -> str:
        """The question made retrievable on its own: by the chat model when one is configured, else by rule."""
        question = without_instructions(question)
        by_rule = self._by_rule(question)
        if not self._model_rewrites():
            return by_rule
        # An empty or absurd rewrite (or a failed call) leaves the deterministic one.
        return rewrite_question(self.assistant.chat_model, question, self.turns,
                                self.assistant.settings.max_question_chars) or by_rule

    def _by_rule(self, question: str, carry: bool = False) -> str:
        """``follow_ups.standalone`` over the earlier turns (``carry``: read as a follow-up whatever its words)."""
        earlier = [turn.standalone_question or turn.question for turn in self.turns]
        return standalone(question, earlier, frozenset(self.assistant.scope_names), carry=carry)

    def to_markdown(self, about: str = "") -> str:
        """The conversation as Markdown, each answer followed by the passages it cites; all their text
        is shown literally (``literal``). ``about`` names what was loaded ("Ealing 2016", "3 reports")."""
        title = "Conversation with the Ofsted report assistant" + (f" — {about}" if about else "")
        lines = [f"# {literal(title)}", ""]
        for turn in self.turns:
            lines += [f"**Question:** {literal(turn.question)}", "", f"**Answer:** {literal(turn.answer)}", ""]
            by_label = {s.label: s for s in turn.sources}
            for citation in turn.citations:
                source = by_label.get(citation.label)
                excerpt = source.text if source else ""
                lines.append(
                    "- " + literal(f"[{citation.label}] ({citation.report}) {citation.section}: {excerpt}")
                )
            lines.append("")
        return "\n".join(lines)
