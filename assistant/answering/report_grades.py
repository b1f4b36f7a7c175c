"""One report's own grades, asked of it (or of a few reports, each answered under its name): "what
grade did adoption get?", "which areas were judged good?", "what was the overall effectiveness?", and a
grade the question presumes that the report did not give ("why was X judged outstanding?"). Quoted
from the judgement table and cited; an area the report does not grade is said so, in its own words
where it has them."""

from __future__ import annotations

from collections.abc import Callable

from assistant.answering.declines import corrected_premise
from assistant.answering.cite import REFUSAL, cite, cited_answer
from assistant.answering.grade_quotes import Evidence, GradeQuoter
from assistant.reading.grades import GradeQuestion, area_asked, grade_evidence, is_overall, select
from assistant.reading.judgements import AREA_BY_KEY
from assistant.reading.reports import Catalogue
from assistant.retrieval.retrieve import source_of
from assistant.text import terms
from assistant.types import Answer
from ingest import Paragraph


class ReportGradeAnswerer:
    """Answers a ``GradeQuestion`` from the judgement tables of the reports in scope."""

    def __init__(self, catalogue: Catalogue, judgements: Callable[[str], list[tuple[str, str]]],
                 paragraphs: Callable[[str], list[Paragraph]], quoter: GradeQuoter, scope_names: set[str],
                 most_reports: int):
        self.catalogue = catalogue
        self.judgements = judgements
        self.paragraphs = paragraphs
        self.quoter = quoter
        self.scope_names = scope_names  # authority names: which report, not what was graded
        self.most_reports = most_reports  # more reports in scope than this are not answered report by report

    def mismatch(self, presumed: str | None, question: str, report: str) -> tuple[str, str, str] | None:
        """(area, grade given, grade presumed) when the question presumes a grade (``Query.presumed_grade``)
        that the report did not give; the area is the one whose words the question shares most."""
        judgements = self.judgements(report)
        if not presumed or not judgements:
            return None
        asked_terms = set(terms(question))
        overlap = [(len(asked_terms & set(terms(area))), area, grade) for area, grade in judgements]
        best, area, grade = max(overlap, key=lambda o: o[0])
        if best == 0:
            # "Children's services overall" (2014-18 reports) or "Overall effectiveness" (ILACS)
            overall = [j for j in judgements if j[0] in ("Children's services overall", "Overall effectiveness")]
            if not overall:
                return None
            area, grade = overall[0]
        if grade.lower().startswith(presumed):
            return None
        return area, grade, presumed

    def picks(self, asked: GradeQuestion, scope: list[str]) -> dict[str, list[tuple[str, str]]] | None:
        """The judgement rows that answer a grade question in each report in scope; None when it is not
        about the grades after all, or names too many reports to answer report by report."""
        if len(scope) > self.most_reports or not any(self.judgements(r) for r in scope):
            return None
        picks = {r: select(asked, self.judgements(r), self.scope_names) for r in scope}
        return None if any(rows is None for rows in picks.values()) else picks

    def run(self, question: str, query: str, picks: dict[str, list[tuple[str, str]]], asked: GradeQuestion) -> Answer:
        """Each report's grades that the question asks for, quoted from the report and cited. An
        overall grade asked of a report that gives none is said to be missing, with the grades it gives:
        the question as asked has no answer there."""
        parts, sources, highlights, notes, ungraded = [], [], {}, [], 0
        asked_grade = asked.grade
        for report, rows in picks.items():
            name = self.catalogue.reports[report].name
            given = self.judgements(report)
            if asked.overall and rows == given and not any(is_overall(area) for area, _ in given):
                lead = f"{name} gives no overall effectiveness grade; its judgements are: "
                notes.append(f"{name}: no overall grade among its judgements")
                ungraded += 1
            elif not rows and asked_grade:
                rows = self.judgements(report)
                lead = f"No judgement in {name} is {asked_grade}. "
            elif not rows and (said := self._not_graded(report, asked, Evidence(sources, highlights))):
                parts.append((name, said))  # the report says so itself: "adoption performance was not judged"
                continue
            elif not rows:
                graded = "; ".join(f"{area}: {grade}" for area, grade in self.judgements(report)) or "none"
                parts.append((name, f"{REFUSAL} what grade that was given: it is not among its judgements ({graded})."))
                notes.append(f"{name}: no judgement for that area")
                continue
            else:
                lead = ""
            evidence = Evidence(sources, highlights)
            parts.append((name, lead + self.quoter.quote(report, rows, evidence)))
        text = parts[0][1] if len(parts) == 1 else "\n\n".join(f"{name}: {part}" for name, part in parts)
        answer = cited_answer(question, text, sources, standalone_question=query, notes=notes, highlights=highlights)
        answer.abstained = not answer.citations or ungraded == len(picks)
        return answer

    def _not_graded(self, report: str, asked: GradeQuestion, evidence: Evidence) -> str:
        """"X gives no grade for adoption: “…was not judged.” Its judgements: …", each cited; "" when the
        report has no sentence of its own saying the area was not judged."""
        area = area_asked(asked)
        said = self.quoter.ungraded(report, area, evidence) if area else ""
        if not said:
            return ""
        name, label = self.catalogue.reports[report].name, AREA_BY_KEY[area].label
        # The grades it does give, in one line cited to its judgement table (the LSCB's is stated elsewhere).
        given = "; ".join(f"{area}: {grade}" for area, grade in self.judgements(report))
        return f"{name} gives no grade for {label}: {said}Its judgements: {given}. {evidence.cite(self.quoter.table(report))}"

    def correct_premise(self, question: str, query: str, report: str, area: str, grade: str, presumed: str) -> Answer:
        passage, line = grade_evidence(self.paragraphs(report), area, grade)
        source = source_of(passage, 1.0, self.catalogue)
        text = f"{REFUSAL} that {area.lower()} was judged {presumed}: it was judged {grade.lower()}. {cite(source.label)}"
        reason = f"the question presumes a grade of {presumed!r}; the report gives {area} {grade!r}"
        return corrected_premise(question, query, [source], text, reason, {source.label: [line] if line else []})
