"""Each grade as a report states it, cited to the passage that states it, and the passages and lines
an answer quotes, gathered as it is written."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.answering.cite import cite, cited_answer
from assistant.reading.grades import grade_evidence
from assistant.reading.judgements import AREA_BY_KEY
from assistant.reading.reports import Catalogue
from assistant.retrieval.retrieve import source_of
from assistant.types import Answer, Source
from ingest import JUDGEMENTS, Paragraph

_NOT_JUDGED = re.compile(r"\bnot (?:been )?(?:judged|graded)\b(?! (?:to be|as)\b)|\bno (?:judgement|grade) (?:was|has been) (?:made|given)\b", re.I)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n")  # where a passage's sentences part


@dataclass
class Evidence:
    """The passages an answer cites and the lines it quotes from each, gathered as it is written."""

    sources: list[Source] = field(default_factory=list)
    highlights: dict[str, list[str]] = field(default_factory=dict)

    def cite(self, source: Source, *lines: str) -> str:
        """Add a passage (once) and the lines quoted from it; its citation."""
        if source.label not in self.highlights:
            self.sources.append(source)
        self.highlights.setdefault(source.label, []).extend(lines)
        return cite(source.label)

    def answer(self, lines: list[str], reports: list[str]) -> Answer:
        """The lines, a paragraph each, as an answer citing these passages."""
        return cited_answer("", "\n\n".join(lines), self.sources, highlights=self.highlights, reports=reports)


class GradeQuoter:
    """Each grade as the report states it, cited to the passage that states it."""

    def __init__(self, paragraphs: Callable[[str], list[Paragraph]], catalogue: Catalogue):
        self._paragraphs = paragraphs
        self._catalogue = catalogue

    def quotes(self, report: str, rows: list[tuple[str, str]]) -> list[tuple[Source, str, bool]]:
        """(passage, line, quoted word for word?) for each (area, grade) as printed: the report's own
        line, or our words where its text states the grade only as a heading or graphic."""
        out = []
        for area, grade in rows:
            passage, line = grade_evidence(self._paragraphs(report), area, grade)
            said = line or f"{area} was judged {grade.lower()}."
            out.append((source_of(passage, 1.0, self._catalogue), said, line is not None))
        return out

    def quote(self, report: str, rows: list[tuple[str, str]], evidence: Evidence, new_only: bool = False) -> str:
        """The rows' grades as the report states them, each cited; their passages and quoted lines
        are added to ``evidence``. ``new_only``: a line ``evidence`` already quotes from its passage is
        not said again ("The Local Safeguarding Children Board requires improvement.", quoted as the
        best sentence of its summary)."""
        said = []
        for source, line, verbatim in self.quotes(report, rows):
            if new_only and verbatim and line.strip() in evidence.highlights.get(source.label, []):
                continue
            said.append(f"{line} {evidence.cite(source, *([line] if verbatim else []))}")
        return " ".join(said)

    def table(self, report: str) -> Source:
        """The passage holding the report's front page: its title, dates and judgement table."""
        passages = self._paragraphs(report)
        return source_of(next((p for p in passages if p.label == JUDGEMENTS), passages[0]), 1.0, self._catalogue)

    def ungraded(self, report: str, area: str, evidence: Evidence) -> str:
        """The report's own sentence saying an area was not judged ("This area has not been judged"),
        quoted and cited; "" when it has none."""
        names = AREA_BY_KEY[area].printed
        for p in self._paragraphs(report):
            # under the area's heading, or naming the area itself ("adoption performance was not judged")
            heading = any(n in f"{p.section} {p.label}".lower() for n in names)
            said = [s for s in SENTENCE.split(p.text) if _NOT_JUDGED.search(s) and (heading or any(n in s.lower() for n in names))]
            if sentence := next(iter(said), None):
                cited = evidence.cite(source_of(p, 1.0, self._catalogue), sentence.strip())
                return f"“{sentence.strip()}” {cited} "
        return ""

    def sources(self, picks: dict[str, list[tuple[str, str]]]) -> list[Source]:
        """The passages that state the grades picked, once each."""
        by_label: dict[str, Source] = {}
        for report, rows in picks.items():
            for source, _, _ in self.quotes(report, rows):
                by_label.setdefault(source.label, source)
        return list(by_label.values())
