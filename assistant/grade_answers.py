"""Answers over the grades of many reports, exact from their judgement tables and each report cited
to the passage that states its grade: which reports have a grade, how many, one authority's grades
over time, comparisons, the reports that do not grade an area, and which reports were inspected when.

An empty result says so plainly, never naming a report that does not meet the condition; the
reports searched go in the notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.cite import citations_in, cite
from assistant.grade_queries import ANY_AREA, Condition, GradeQuery, read_grade_query
from assistant.grades import grade_evidence
from assistant.judgements import AREA_BY_KEY, GRADE_RANK, GradeRow, report_rows
from assistant.reports import Catalogue, ReportInfo, Scope, ScopeReading
from assistant.retrieve import source_of
from assistant.types import Answer, Source
from ingest import Paragraph

_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")  # the first year of a change over time
_INSPECTED = re.compile(r"\binspect\w*|\bcarried out\b", re.I)


@dataclass
class Evidence:
    """The passages an answer cites and the lines it quotes from each, gathered as it is written."""

    sources: list[Source] = field(default_factory=list)
    highlights: dict[str, list[str]] = field(default_factory=dict)


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

    def quote(self, report: str, rows: list[tuple[str, str]], evidence: Evidence) -> str:
        """The rows' grades as the report states them, each cited; their passages and quoted lines
        are added to ``evidence``."""
        said = []
        for source, line, verbatim in self.quotes(report, rows):
            if source.label not in evidence.highlights:
                evidence.sources.append(source)
            evidence.highlights.setdefault(source.label, []).extend([line] if verbatim else [])
            said.append(f"{line} {cite(source.label)}")
        return " ".join(said)

    def sources(self, picks: dict[str, list[tuple[str, str]]]) -> list[Source]:
        """The passages that state the grades picked, once each."""
        by_label: dict[str, Source] = {}
        for report, rows in picks.items():
            for source, _, _ in self.quotes(report, rows):
                by_label.setdefault(source.label, source)
        return list(by_label.values())


class GradeTableAnswerer:
    """Answers a ``GradeQuery`` over the reports in scope from their judgement tables."""

    def __init__(self, quoter: GradeQuoter, catalogue: Catalogue):
        self.quoter = quoter
        self.catalogue = catalogue
        self._rows = {i.id: report_rows(i) for i in catalogue.infos()}  # read once per load, not per question

    def rows(self, info: ReportInfo) -> list[GradeRow]:
        return self._rows.get(info.id) or report_rows(info)

    def run(self, question: str, query: str, asked: GradeQuery, scope: list[str]) -> Answer:
        infos = [self.catalogue.reports[r] for r in scope if r in self.catalogue.reports]
        route = {
            "list": self._matching, "count": self._matching, "missing": self._missing,
            "history": self._side_by_side, "compare": self._side_by_side, "metadata": self._metadata,
        }[asked.intent]
        answer = route(asked, infos, query)
        answer.question, answer.standalone_question = question, query
        answer.notes.append(f"Searched the judgement tables of {_reports(len(infos))}: "
                            f"{', '.join(i.name for i in infos)}.")
        return answer

    # --- which reports have a grade, how many ----------------------------------------------------
    def _matching(self, asked: GradeQuery, infos: list[ReportInfo], query: str) -> Answer:
        matches = [(i, rows) for i in infos if (rows := _meets(self.rows(i), asked.conditions))]
        condition = _said(asked.conditions)
        if not matches:
            return _none(f"None of the {_reports(len(infos))} in scope judged {condition}.")
        evidence = Evidence()
        lines = [f"{i.name}: {self._quote(i, rows, evidence)}" for i, rows in matches]
        lead = f"{len(matches)} of the {_reports(len(infos))} in scope judged {condition}:"
        return _answer([lead, *lines], evidence, [i.id for i, _ in matches])

    def _missing(self, asked: GradeQuery, infos: list[ReportInfo], query: str) -> Answer:
        """The reports that give no grade in an area ("which report gives no overall grade?")."""
        area = asked.shown_areas[0] if asked.shown_areas else "overall"
        label = AREA_BY_KEY[area].label
        lacking = [i for i in infos if area not in {r.area for r in self.rows(i)} and self.rows(i)]
        if not lacking:
            return _none(f"Every one of the {_reports(len(infos))} in scope gives a grade for {label}.")
        evidence = Evidence()
        lines = [f"{i.name} ({i.kind_label}) gives no grade for {label}; its judgements: "
                 f"{self._quote(i, self.rows(i), evidence)}" for i in lacking]
        verb = "gives" if len(lacking) == 1 else "give"
        lead = f"{len(lacking)} of the {_reports(len(infos))} in scope {verb} no grade for {label}:"
        return _answer([lead, *lines], evidence, [i.id for i in lacking])

    # --- one authority over time, or several side by side ----------------------------------------
    def _side_by_side(self, asked: GradeQuery, infos: list[ReportInfo], query: str) -> Answer:
        areas = asked.shown_areas or _common_areas(infos)
        evidence = Evidence()
        lines = []
        for info in infos:
            rows = [r for r in self.rows(info) if r.area in areas]
            if rows:
                lines.append(f"{info.name}: {self._quote(info, rows, evidence)}")
            else:
                given = self.rows(info)
                missing = " and ".join(AREA_BY_KEY[a].label for a in areas)
                lines.append(f"{info.name} gives no grade for {missing}"
                             + (f"; its judgements: {self._quote(info, given, evidence)}" if given else "."))
        verdict = _verdict(asked, infos, areas)
        return _answer([verdict, *lines] if verdict else lines, evidence, [i.id for i in infos])

    # --- which reports were inspected or published when ------------------------------------------
    def _metadata(self, asked: GradeQuery, infos: list[ReportInfo], query: str) -> Answer:
        chosen_ids, when = self.catalogue.dated([i.id for i in infos], query)
        chosen = [self.catalogue.reports[r] for r in chosen_ids]
        verb = "inspected" if _INSPECTED.search(query) else "published"
        if not chosen:
            return _none(f"None of the {_reports(len(infos))} in scope was {verb} {_in(when)}.")
        evidence = Evidence()
        lines = []
        for info in chosen:
            rows = [r for r in self.rows(info) if r.area in (asked.areas or ("overall",))]
            grades = self._quote(info, rows, evidence) if rows else self._cite_table(info, evidence)
            lines.append(f"{info.name}: {info.describe()}. {grades}")
        were = "was" if len(chosen) == 1 else "were"
        lead = f"{len(chosen)} of the {_reports(len(infos))} in scope {were} {verb}" + (f" {_in(when)}:" if when else ":")
        return _answer([lead, *lines], evidence, [i.id for i in chosen])

    def _quote(self, info: ReportInfo, rows: list[GradeRow], evidence: Evidence) -> str:
        """The grades in plain words first ("leadership good; adoption requires improvement"), then
        as the report states them, cited."""
        plain = "; ".join(f"{AREA_BY_KEY[r.area].label}: {r.grade}" for r in rows)
        printed = list(dict.fromkeys((r.area_printed, r.grade_printed) for r in rows))
        return f"{plain}. {self.quoter.quote(info.id, printed, evidence)}"

    def _cite_table(self, info: ReportInfo, evidence: Evidence) -> str:
        """The report's judgements passage, cited for its dates when no grade is asked for."""
        source, _, _ = self.quoter.quotes(info.id, list(info.judgements.items())[:1] or [("Judgements", "")])[0]
        if source.label not in evidence.highlights:
            evidence.sources.append(source)
            evidence.highlights[source.label] = []
        return cite(source.label)


def grade_table_query(catalogue: Catalogue, query: str, reading: ScopeReading, limit: Scope) -> tuple[GradeQuery, list[str]] | None:
    """A question over the grades of several reports (or comparing two areas of one), and the
    reports it is answered from; None when the judgement tables do not answer it as a whole."""
    scope = list(reading.reports)
    if reading.missing or not scope:
        return None
    own = catalogue.named_authorities(query)
    history = [i.id for i in catalogue.infos() if own and len(own) == 1 and i.authority_key == own[0]]
    topic = catalogue.without_authorities(query)
    asked = read_grade_query(topic, authorities=len(reading.authorities),
                             reports=max(len(scope), len(history) if len(reading.authorities) == 1 else 0))
    if asked is None:
        return None
    if asked.intent == "history":
        # One authority over time: its reports in date order, from the earliest year named.
        since = min(_YEAR.findall(query), default="")
        scope = [r for r in history if max({catalogue.reports[r].year,
                                             *catalogue.reports[r].inspection_years}) >= since]
        scope = sorted(scope, key=lambda r: catalogue.reports[r].published_on) or scope
    elif asked.intent == "metadata" and not (limit.report or limit.reports or limit.year):
        # "Which council was inspected in 2021?" asks which reports have that date: all are searched.
        scope = [i.id for i in catalogue.infos() if not own or i.authority_key in own]
    elif asked.intent == "compare" and len(reading.authorities) > 1:
        order = {key: n for n, key in enumerate(reading.authorities)}  # as the question names them
        scope = sorted(scope, key=lambda r: order.get(catalogue.reports[r].authority_key, len(order)))
    single_pair = asked.intent == "compare" and asked.direction and len(asked.areas) >= 2
    if len(scope) < 2 and not (single_pair or asked.intent == "metadata"):
        return None  # one report: its own grade routes answer it
    if not any(catalogue.reports[r].judgements for r in scope):
        return None
    return asked, scope


def _meets(rows: list[GradeRow], conditions: tuple[Condition, ...]) -> list[GradeRow]:
    """The rows that show a report meets every condition; [] when it does not."""
    shown: list[GradeRow] = []
    for condition in conditions:
        hits = [r for r in rows if (condition.area in (ANY_AREA, r.area)) and r.grade in condition.grades]
        if not hits:
            return []
        shown += [r for r in hits if r not in shown]
    return shown


def _said(conditions: tuple[Condition, ...]) -> str:
    """"help and protection good and leadership inadequate", "any area inadequate"."""
    parts = []
    for c in conditions:
        area = "any area" if c.area == ANY_AREA else AREA_BY_KEY[c.area].label
        parts.append(f"{area}: {' or '.join(sorted(c.grades))}")
    return "; and ".join(parts)


def _common_areas(infos: list[ReportInfo]) -> tuple[str, ...]:
    """Every area any of the reports grades, in the table's order."""
    seen = {r.area for i in infos for r in report_rows(i)}
    return tuple(a for a in AREA_BY_KEY if a in seen)


def _verdict(asked: GradeQuery, infos: list[ReportInfo], areas: tuple[str, ...]) -> str:
    """One line that answers before the evidence: better or worse, or how a grade moved over time."""
    if asked.intent == "compare" and asked.direction and (pair := _pair_compared(infos, areas)):
        (first, a), (second, b) = pair
        higher = GRADE_RANK[a.grade] > GRADE_RANK[b.grade]
        lower = GRADE_RANK[a.grade] < GRADE_RANK[b.grade]
        yes = higher if asked.direction == "better" else lower
        what = "the same grade" if a.grade == b.grade else f"{a.grade} against {b.grade}"
        return f"{'Yes' if yes else 'No'}: {first} was judged {a.grade} and {second} {b.grade} ({what})."
    if asked.intent == "history" and len(areas) == 1:
        path = [(i, r) for i in infos for r in report_rows(i) if r.area == areas[0]]
        if len(path) > 1:
            steps = ", then ".join(f"{r.grade} ({i.name})" for i, r in path)
            first, last = GRADE_RANK[path[0][1].grade], GRADE_RANK[path[-1][1].grade]
            trend = "improved" if last > first else "declined" if last < first else "stayed the same"
            return f"{AREA_BY_KEY[areas[0]].label.capitalize()} {trend}: {steps}."
    return ""


def _pair_compared(infos: list[ReportInfo], areas: tuple[str, ...]):
    """The two things compared: two reports in one area, or two areas of one report."""
    if len(infos) >= 2 and areas:
        found = [(i.name, next((r for r in report_rows(i) if r.area == areas[0]), None)) for i in infos[:2]]
    elif len(infos) == 1 and len(areas) >= 2:
        rows = {r.area: r for r in report_rows(infos[0])}
        found = [(AREA_BY_KEY[a].label, rows.get(a)) for a in areas[:2]]
    else:
        return None
    return found if all(r for _, r in found) else None


def _in(when: str) -> str:
    """"in March 2019", "since 2020", "between 2015 and 2018"."""
    return when if when.startswith(("since", "between")) else f"in {when}"


def _reports(n: int) -> str:
    return f"{n} loaded report{'s' if n != 1 else ''}"


def _none(text: str) -> Answer:
    """A plain empty result: the question has no report that answers it (an abstention by design)."""
    return Answer(question="", answer=text, abstained=True)


def _answer(lines: list[str], evidence: Evidence, reports: list[str]) -> Answer:
    text = "\n\n".join(lines)
    return Answer(question="", answer=text, citations=citations_in(text, evidence.sources), sources=evidence.sources,
                  highlights=evidence.highlights, reports=reports)
