"""A conversation: follow-ups are read in the light of earlier turns."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from assistant.question import standalone
from assistant.types import Answer

if TYPE_CHECKING:
    from assistant.core import Assistant

_SENTENCE_WITH_CITATION = re.compile(r".+?\]\s*(?=\S|$)|.+$", re.S)


class Conversation:
    """Turns of one user's chat with the assistant; not shared between users."""

    def __init__(self, assistant: Assistant, k: int | None = None):
        self.assistant = assistant
        self.k = k
        self.turns: list[Answer] = []

    @property
    def last(self) -> Answer | None:
        return self.turns[-1] if self.turns else None

    def ask(self, question: str) -> Answer:
        """Answer a question, reading it in the light of the earlier ones."""
        question = self.assistant.clean_question(question)
        earlier = [turn.standalone_question or turn.question for turn in self.turns]
        answer = self.assistant.answer(question, standalone(question, earlier), k=self.k)
        self.turns.append(answer)
        return answer

    def stream(self, question: str) -> Iterator[str]:
        """Yield the answer a cited sentence at a time; ``last`` holds the whole Answer afterwards."""
        answer = self.ask(question)
        for piece in _SENTENCE_WITH_CITATION.findall(answer.answer):
            yield piece

    def to_markdown(self) -> str:
        """The conversation as Markdown, each answer followed by the passages it cites."""
        lines = ["# Conversation with the Ofsted report assistant", ""]
        for turn in self.turns:
            lines += [f"**Question:** {turn.question}", "", f"**Answer:** {turn.answer}", ""]
            by_label = {s.label: s for s in turn.sources}
            for citation in turn.citations:
                source = by_label.get(citation.label)
                excerpt = source.text if source else ""
                lines.append(f"- [{citation.label}] {citation.section}: {excerpt}")
            lines.append("")
        return "\n".join(lines)
