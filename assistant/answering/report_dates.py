"""When an inspection took place, as its report's front page prints it ("Inspection dates: 6 to 10
July 2026."), and when the one before it did, as the report says ("Since the last inspection in
2018, …"): questions about the report itself, whose words match no passage's topic, so each is
answered from the sentence that states it, cited, rather than from whatever passage shares a word."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answering.grade_quotes import SENTENCE, Evidence, GradeQuoter
from assistant.reading.reports import Catalogue
from assistant.retrieval.retrieve import source_of
from assistant.types import Answer
from ingest import Paragraph

# The line of a front page that dates the inspection (SIF: "Inspection date: …"; ILACS: "Inspection dates: …").
_DATES_LINE = re.compile(r"^\s*(?:inspection dates?|dates? of (?:the )?inspection)\s*:\s*\S.*$", re.I | re.M)
# A sentence dating the inspection before: "The previous inspection … was in March 2012" says it
# outright, "Since the last inspection in 2018, …" in passing; a visit between inspections is not one.
_PREVIOUS = re.compile(r"\b(?:last|previous|prior)\s+(?:[\w’'-]+\s+){0,3}inspect(?:ion|ed)\b[^.]*?\b(?:19|20)\d\d\b", re.I)
_STATED = re.compile(r"\b(?:was|were)\s+(?:\w+\s+){0,2}(?:in|on)\s+(?:\w+\s+)?(?:19|20)\d\d\b", re.I)
_VISIT = re.compile(r"\b(?:focused|monitoring)\s+visit", re.I)


class InspectionDates:
    """Answers "when did the inspection take place?" from each report's own dates line, and "when was
    the one before?" from the report's own sentence saying so."""

    def __init__(self, quoter: GradeQuoter, catalogue: Catalogue, paragraphs: Callable[[str], list[Paragraph]]):
        self._quoter = quoter
        self._catalogue = catalogue
        self._paragraphs = paragraphs

    def before(self, question: str, query: str, report: str) -> Answer | None:
        """The report's own sentence dating the inspection before it, cited: the one that says so
        outright first, else the first that says it in passing; None when it says neither."""
        found = [(p, s.strip().lstrip("-• ")) for p in self._paragraphs(report) for s in SENTENCE.split(p.text)
                 if _PREVIOUS.search(s) and not _VISIT.search(s)]
        if not found:
            return None
        passage, sentence = max(found, key=lambda ps: bool(_STATED.search(ps[1])))
        evidence = Evidence()
        answer = evidence.answer([f"{sentence} {evidence.cite(source_of(passage, 1.0, self._catalogue), sentence)}"], [report])
        answer.question, answer.standalone_question = question, query
        return answer

    def run(self, question: str, query: str, scope: list[str]) -> Answer | None:
        """The dates line of each report in scope, cited; None when a report prints none (the question
        is then answered as any other)."""
        evidence, lines = Evidence(), []
        for report in scope:
            table = self._quoter.table(report)
            if not (found := _DATES_LINE.search(table.text)):
                return None
            line = found.group(0).strip()
            named = f"{self._catalogue.reports[report].name}: " if len(scope) > 1 else ""
            lines.append(f"{named}{line} {evidence.cite(table, line)}")
        answer = evidence.answer(lines, list(scope))
        answer.question, answer.standalone_question = question, query
        return answer
