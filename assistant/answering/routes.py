"""The ways a question is answered, one small component each with a typed ``run(query, plan)``.

The router (``pipeline``) reads the question into a ``Query``, decides a plan (one of the records
below) and hands both to the route registered for that plan's type."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from assistant.answering.answer import ExtractiveAnswerer
from assistant.answering.declines import abstention, no_such_report
from assistant.answering.cite import REFUSAL, cite, cited_answer
from assistant.answering.generate import GenerativeAnswerer
from assistant.answering.grade_answers import GradeTableAnswerer
from assistant.answering.grade_scope import GradeQuery
from assistant.reading.grades import GradeQuestion
from assistant.reading.query import Query
from assistant.answering.report_grades import ReportGradeAnswerer
from assistant.reading.reports import Catalogue
from assistant.retrieval.retrieve import source_of
from assistant.types import Answer, Source
from ingest import Paragraph

# Above this many reports in scope, "paragraph 38" is ambiguous: the user is asked to name one.
MAX_LOOKUP_REPORTS = 3


# --- plans: what the router decided, with what it found deciding ---------------------------------
@dataclass(frozen=True)
class Decline:
    """Say the reports cannot answer, and why (``no_report``: the question names a report not loaded)."""

    reason: str
    no_report: bool = False


@dataclass(frozen=True)
class Ready:
    """An answer made while deciding (the inspection dates, which are looked for before anything else)."""

    answer: Answer


@dataclass(frozen=True)
class LookUp:
    """Quote whole passages: the paragraphs named by number, or the recommendation sections asked for."""

    numbers: tuple[int, ...] = ()
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class GradeTable:
    """Answer from the judgement tables of several reports."""

    asked: GradeQuery
    scope: list[str]
    dated: list[str]  # the reports of scope its dates pick (which were inspected in 2021?)


@dataclass(frozen=True)
class Grades:
    """Quote the judgements picked from the reports in scope."""

    asked: GradeQuestion
    picks: dict[str, list[tuple[str, str]]]


@dataclass(frozen=True)
class Premise:
    """The question presumes a grade the report did not give: (area, grade given, grade presumed)."""

    mismatch: tuple[str, str, str]


@dataclass(frozen=True)
class Extract:
    """Answer from the best passages of the reports in scope, taken together."""

    vector: list[float]
    sources: list[Source]


@dataclass(frozen=True)
class ReportByReport:
    """Answer each report from its own best passages, under its name: ``every`` report compared (each
    says, or says it does not), or only the best-matching ones when no authority is named."""

    vector: list[float]
    per_report: dict[str, list[Source]]
    every: bool
    searched: int  # how many reports the question covered


Plan = Decline | Ready | LookUp | GradeTable | Grades | Premise | Extract | ReportByReport
PlanT = TypeVar("PlanT", contravariant=True)


class Route(Protocol, Generic[PlanT]):
    def run(self, query: Query, plan: PlanT) -> Answer: ...


# --- routes --------------------------------------------------------------------------------------
class DeclineRoute:
    def run(self, query: Query, plan: Decline) -> Answer:
        if plan.no_report:
            return no_such_report(query.question, query.standalone, plan.reason)
        return abstention(query.question, query.standalone, [], plan.reason)


class ReadyRoute:
    def run(self, query: Query, plan: Ready) -> Answer:
        return plan.answer


@dataclass(frozen=True)
class LookUpRoute:
    """Quotes whole passages of the reports in scope."""

    paragraphs: list[Paragraph]
    catalogue: Catalogue

    def run(self, query: Query, plan: LookUp) -> Answer:
        in_scope = set(query.scope)  # a set: at corpus scale the passages number 40,000 and the reports 425
        found = [p for p in self.paragraphs if p.report in in_scope
                 and (p.number in plan.numbers or p.section in plan.sections)]
        reports = list(dict.fromkeys(p.report for p in found))
        if len(reports) > MAX_LOOKUP_REPORTS:
            names = ", ".join(self.catalogue.reports[r].name for r in reports[:5])
            reason = f"{len(reports)} reports have that paragraph ({names}, …): name the authority and year"
            return abstention(query.question, query.standalone, [], reason)
        if not found:
            known = [p.number for p in self.paragraphs if p.number is not None]
            span = f"{min(known)} to {max(known)}" if known else "none"
            return abstention(query.question, query.standalone, [],
                              f"no paragraph {', '.join(map(str, plan.numbers))}; they run {span}")
        sources = [source_of(p, 1.0, self.catalogue) for p in found]
        text = " ".join(f"{p.text} {cite(s.label)}" for p, s in zip(found, sources))
        missing = [n for n in plan.numbers if n not in {p.number for p in found}]
        return cited_answer(query.question, text, sources, standalone_question=query.standalone,
                            notes=[f"no paragraph {', '.join(map(str, missing))}"] if missing else [],
                            highlights={s.label: [p.text] for p, s in zip(found, sources)})


def labelled(answer: Answer, query: Query) -> Answer:
    """``answer`` under the question as asked and its standalone form: the routes that answer from
    records (a grade table) never see the text."""
    answer.question, answer.standalone_question = query.question, query.standalone
    return answer


@dataclass(frozen=True)
class GradeTableRoute:
    answerer: GradeTableAnswerer

    def run(self, query: Query, plan: GradeTable) -> Answer:
        return labelled(self.answerer.run(plan.asked, plan.scope, plan.dated), query)


@dataclass(frozen=True)
class GradesRoute:
    answerer: ReportGradeAnswerer

    def run(self, query: Query, plan: Grades) -> Answer:
        return self.answerer.run(query.question, query.standalone, plan.picks, plan.asked)


@dataclass(frozen=True)
class PremiseRoute:
    answerer: ReportGradeAnswerer

    def run(self, query: Query, plan: Premise) -> Answer:
        return self.answerer.correct_premise(query.question, query.standalone, query.scope[0], *plan.mismatch)


@dataclass(frozen=True)
class ExtractRoute:
    """The configured answerer (the chat model, when there is one) on the best passages."""

    extractive: ExtractiveAnswerer
    answerer: ExtractiveAnswerer | GenerativeAnswerer

    def answerer_for(self, use_chat_model: bool | None) -> ExtractiveAnswerer | GenerativeAnswerer:
        """The configured answerer, or the extractive one when the caller asks for it."""
        return self.extractive if use_chat_model is False else self.answerer

    def run(self, query: Query, plan: Extract) -> Answer:
        # The chat model reads the follow-up in context; the extractive answerer scores against the scoped text.
        answerer = self.answerer_for(query.ask.use_chat_model)
        context = {"standalone": query.standalone} if isinstance(answerer, GenerativeAnswerer) else {}
        answer = answerer.answer(query.question, query.needs, plan.vector, plan.sources, **context)
        answer.standalone_question = query.standalone
        return answer


@dataclass(frozen=True)
class ReportByReportRoute:
    """Each report's own extractive answer under its name, in order, each claim cited to its report."""

    extractive: ExtractiveAnswerer
    catalogue: Catalogue

    def run(self, query: Query, plan: ReportByReport) -> Answer:
        parts, sources, notes, highlights, used = [], [], [], {}, []
        for report, found in plan.per_report.items():
            answer = self.extractive.answer(query.question, query.needs, plan.vector, found)
            if answer.abstained and not plan.every:
                continue
            name = self.catalogue.reports[report].name
            parts.append(f"{name}: {answer.answer}")
            sources += found
            notes += [f"{name}: {note}" for note in answer.notes]
            highlights.update(answer.highlights)
            used.append(report)
        notes[:0] = self._scope_note(plan, used)
        text = "\n\n".join(parts) or f"{REFUSAL} anything that answers this question."
        answer = cited_answer(query.question, text, sources, standalone_question=query.standalone, notes=notes,
                              highlights=highlights, reports=used or list(plan.per_report))
        answer.abstained = not answer.citations
        return answer

    def _scope_note(self, plan: ReportByReport, used: list[str]) -> list[str]:
        if not plan.every:
            named = ", ".join(self.catalogue.reports[r].name for r in used) or "none of them"
            return [f"The question names no authority: {plan.searched} loaded reports were searched, and the "
                    f"answer quotes those whose passages answer it best ({named}), each under its name. "
                    "Name an authority or a year to ask about one report."]
        if len(plan.per_report) < plan.searched:
            return [f"Answered from {len(plan.per_report)} of the {plan.searched} reports the question names."]
        return []


@dataclass
class Routes:
    """Each plan type's route."""

    by_plan: dict[type, Route] = field(default_factory=dict)

    def run(self, query: Query, plan: Plan) -> Answer:
        return self.by_plan[type(plan)].run(query, plan)

