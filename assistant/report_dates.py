"""When an inspection took place, as its report's front page prints it ("Inspection dates: 6 to 10
July 2026."): a question about the report itself, whose words match no passage's topic, so it is
answered from the one line that states it, cited, rather than from whatever passage shares a word."""

from __future__ import annotations

import re

from assistant.grade_quotes import Evidence, GradeQuoter
from assistant.reports import Catalogue
from assistant.types import Answer

# The line of a front page that dates the inspection (SIF: "Inspection date: …"; ILACS: "Inspection dates: …").
_DATES_LINE = re.compile(r"^\s*(?:inspection dates?|dates? of (?:the )?inspection)\s*:\s*\S.*$", re.I | re.M)


class InspectionDates:
    """Answers "when did the inspection take place?" from each report's own dates line."""

    def __init__(self, quoter: GradeQuoter, catalogue: Catalogue):
        self._quoter = quoter
        self._catalogue = catalogue

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
