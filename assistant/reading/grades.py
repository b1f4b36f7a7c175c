"""Questions about Ofsted's grades, answered from the judgements each report gives.

"What was the overall judgement?", "how were adoption and care leavers graded?", "which areas
require improvement?", "what grade did the LSCB get?": the answer is a row of the report's own
judgement table, quoted and cited, never a sentence that merely mentions a grade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.reading.judgements import AREA_BY_KEY, ASKS_GRADE, ASKS_WHY, area_keys, grades_said_plainly
from assistant.reading.report_names import YEAR
from assistant.text import any_of, says_phrase, squashed, terms
from ingest import JUDGEMENTS, Paragraph

# Questions about Ofsted's grades (shared with the answerer, which favours sentences giving one).
_ASKS_WHICH = re.compile(r"\b(which|what|how many|whose|who)\b", re.I)
_ACROSS = re.compile(r"\b(which|how many|whose)\b", re.I)  # a question across reports
# Words that frame a grade question rather than name what was graded.
_FRAME = frozenset(
    terms(
        """grade grades graded grading judge judgement judgements judgment judged rate rated rating ratings overall get got
        given receive received award awarded inspection inspections reinspection re-inspection report reports
        area areas part parts aspect aspects review reviewed each every all which what latest last most recent previous first
        children's services service local authority council requires improvement good outstanding inadequate
        to be compare compared comparison change changed between differ difference since improve improved
        declined better worse"""
    )
)
# Other words for an area's terms: the frameworks name the same areas differently ("leadership,
# management and governance", "the impact of leaders"; "looked after", "in care").
_SYNONYMS = {
    "lscb": "local safeguarding board",
    "leader": "leadership",
    "leadership": "leader",
    "looked": "care",
    "permanence": "care",
    "protect": "protection",
    "board": "lscb",
    "overall": "effectiveness",
    "effectiveness": "overall",
}
# Terms every area shares: they do not tell one area from another.
_COMMON = frozenset(terms("children child services experiences progress the impact of and who need families"))
_OVERALL = frozenset(terms("overall effectiveness children's services overall"))


# Looked for in this order: "requires improvement to be good" is the first, not good.
_GRADES_FIRST = ("requires improvement", "outstanding", "inadequate", "good")


@dataclass(frozen=True)
class GradeQuestion:
    """What a grade question asks for: some areas, the overall grade, or the areas with one grade."""

    area_terms: frozenset[str]
    overall: bool
    grade: str | None  # "which areas were judged inadequate?"


def grade_question(question: str) -> GradeQuestion | None:
    """The grade question ``question`` asks, or None when it asks something else (or asks why)."""
    lowered = grades_said_plainly(question)
    grade = next((g for g in _GRADES_FIRST if says_phrase(g, lowered)), None)
    # "Which reports found that care leavers require improvement?" asks for a grade in other words.
    across = bool(grade) and bool(_ACROSS.search(question))
    if not (ASKS_GRADE.search(question) or across) or ASKS_WHY.search(question):
        return None
    asked_terms = _expanded(terms(YEAR.sub(" ", question)))
    overall = bool(asked_terms & {"overall", "effectiveness"})
    topic = asked_terms - _FRAME
    if grade and not _ASKS_WHICH.search(question):
        return None  # "was Ealing judged inadequate?" presumes a grade: the premise check answers it
    return GradeQuestion(frozenset(topic), overall, grade)


def _expanded(found: list[str]) -> frozenset[str]:
    return frozenset(found).union(*(terms(_SYNONYMS[t]) for t in found if t in _SYNONYMS))


def _area_terms(area: str) -> frozenset[str]:
    return _expanded(terms(area)) - _COMMON


def is_overall(area: str) -> bool:
    return bool(set(terms(area)) & {"overall"}) or area.lower().startswith("overall")


def select(asked: GradeQuestion, judgements: list[tuple[str, str]], scope_names: set[str]) -> list[tuple[str, str]] | None:
    """The judgement rows that answer ``asked``; [] when it names an area the report does not grade;
    None when the question is about something other than grades (a topic no area covers).
    ``scope_names`` (authority names) say which report, not what was graded."""
    matched = [(len(asked.area_terms & _area_terms(area)), area, grade) for area, grade in judgements]
    best = max((m[0] for m in matched), default=0)
    rows = [(area, grade) for score, area, grade in matched if best and score == best]
    covered = set().union(*(_area_terms(a) for a, _ in rows)) if rows else set()
    leftover = asked.area_terms - covered - set(terms(" ".join(scope_names))) - _COMMON - _OVERALL
    if asked.grade:
        if leftover and not rows:
            return None
        pool = rows or [j for j in judgements if is_overall(j[0]) == (asked.overall and not leftover)]
        return [(a, g) for a, g in pool if g.lower().startswith(asked.grade)]
    if rows and not leftover:
        return rows
    if leftover & _area_vocabulary():
        return []  # an area Ofsted grades (the LSCB, say), but not in this report
    if leftover:
        return None
    overall = [j for j in judgements if is_overall(j[0])]
    # No overall row (the framework from 2025 gives none): the grades the report does give.
    return overall if asked.overall and overall else list(judgements)


def _area_vocabulary() -> frozenset[str]:
    """Terms that name an area Ofsted has graded in some framework: to tell "not graded here" from "not
    a grade" (the words areas share with everyday topics, "care", "help", are left out)."""
    return frozenset(terms("safeguarding board lscb adoption care leavers leadership leaders management "
                           "governance protection permanence")) - _COMMON - {"care"}


def area_asked(asked: GradeQuestion) -> str | None:
    """The key of the judgement area a grade question names, by the terms of its printed names."""
    overlap = [(len(asked.area_terms & _area_terms(" ".join(a.printed))), a.key) for a in AREA_BY_KEY.values()]
    best, key = max(overlap)
    return key if best else None


def grade_line(area: str, grade: str, lines: list[str]) -> str | None:
    """The report's own line for an area's grade; None when no line states it."""
    wanted = _normal(area)
    for line in lines:
        if _normal(line).startswith(wanted):
            return line
    if is_overall(area):
        for line in lines:
            # "Children's services in X are good", "The overall judgement is requires improvement".
            if re.search(r"\bservices in\b|\boverall judgement\b", line, re.I) and grade.lower()[:6] in line.lower():
                return line
    # The line that gives this grade and shares most of the area's words ("children care leavers").
    wanted_terms = set(terms(area)) - _COMMON
    scored = [(len(wanted_terms & set(terms(line))), line) for line in lines if grade.lower() in line.lower()]
    best, line = max(scored, default=(0, ""))
    if wanted_terms and best >= max(1, len(wanted_terms) - 1):
        return line
    return None


def _states_grade(area: str, grade: str) -> re.Pattern:
    """A sentence that states an area's grade: the area, by any of its names ("the LSCB", "the Local
    Safeguarding Children Board"), then the grade ("The effectiveness of the LSCB requires improvement")."""
    names = [area.lower(), *(name for key in area_keys(area) for name in AREA_BY_KEY[key].printed)]
    said = re.escape(grade.lower()).replace("requires", "requires?")
    joined = any_of(names)
    return re.compile(rf"(?:{joined})(?:\s*\([a-z]+\))?\s+(?:(?:is|are|was|were)\s+)?(?:judged\s+(?:to\s+be\s+)?)?{said}\b", re.I)


def _normal(text: str) -> str:
    return squashed(text.replace("’", "'")).lower()


def grade_evidence(passages: list[Paragraph], area: str, grade: str) -> tuple[Paragraph, str | None]:
    """The passage and the report's own line that give an area's grade: the judgement table's line,
    else a line that states it elsewhere. Where no line of the text states it (the grade is printed
    only as a heading or a graphic) the line is None, and the passage is the first of the section on
    that area, else the table: cited, but nothing is quoted from it."""
    table = next((p for p in passages if p.label == JUDGEMENTS), passages[0])
    line = grade_line(area, grade, table.text.splitlines())
    if line and line in table.text:
        return table, line
    stated = _states_grade(area, grade)
    for p in passages:
        for sentence in p.text.splitlines():
            if stated.search(sentence):
                return p, sentence
    return next((p for p in passages if p.section.lower().startswith(area.lower())), table), None
