"""Questions over the grades of many reports, read once into a typed ``GradeQuery``.

"Which councils were judged inadequate overall?", "how many reports rated care leavers good?",
"which reports graded leadership good but help and protection as requiring improvement?", "how has
Solihull's overall judgement changed?", "was Devon's leadership graded better than Sefton's?",
"which report gives no overall grade?", "which council was inspected in 2022?". The areas and grades
are those of ``assistant.judgements``; which reports are in scope (years, kinds, "latest", the
authorities named) is the catalogue's reading, not this module's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.judgements import AREAS, grade_key

ANY_AREA = "any"

# --- the words of grade questions: every pattern of this module --------------------------------
_AREA_NAMES = sorted(((phrase, a.key) for a in AREAS for phrase in a.asked), key=lambda pk: -len(pk[0]))
_AREA = re.compile(r"\b(" + "|".join(p for p, _ in _AREA_NAMES) + r")(?:['’]s?)?\b", re.I)
_ANY_AREA = re.compile(r"\b(?:any|every|all|each|some)\s+(?:of (?:the|its|their)\s+)?(?:areas?|judgements?|judgments?|grades?|parts?)\b", re.I)
_GRADE = re.compile(r"\b(outstanding|good|inadequate|requir\w* improvement(?: to be good)?)\b", re.I)
_GRADING = re.compile(
    r"\b(grades?|graded|grading|judgements?|judgments?|judged|rated|ratings?|found (?:to be|that)|assessed|"
    r"overall effectiveness)\b", re.I)
_GRADE_JOIN = re.compile(r"\s*(?:,|or|and|and/or|nor)?\s*(?:or\s+)?", re.I)  # "good or outstanding", "good, outstanding"
_COUNT = re.compile(r"\bhow many\b|\bnumber of\b|\bcount\b", re.I)
_WHY = re.compile(r"^\s*(?:why|what (?:led|caused|made))\b", re.I)
_ACROSS = re.compile(r"\b(which|whose|where|how many|list|number of|name the|what (?:councils?|authorit\w+|reports?))\b", re.I)
_HISTORY = re.compile(
    r"\b(chang\w*|over time|each of (?:its|their|the)|every (?:one of )?(?:its|their)|all (?:of )?(?:its|their)|"
    r"(?:each|every) (?:inspection|report|visit|time)s?|"
    r"improv\w*|declin\w*|deteriorat\w*|trend|progress\w* since|since|history|across (?:its|their))\b", re.I)
_BETTER = re.compile(r"\b(better|higher|stronger|improved on)\b", re.I)
_WORSE = re.compile(r"\b(worse|lower|weaker)\b", re.I)
_COMPARE = re.compile(r"\b(compare[ds]?|comparison|versus|vs\.?|differ\w*|than)\b", re.I)
_MISSING = re.compile(r"\b(?:does not|doesn't|did not|didn't|do not|don't|no|without|not)\s+(?:\w+\s+){0,2}"
                      r"(?:give|gave|have|has|had|include|includes|receive|received|grade|graded|an?)\b"
                      r"|\bno\s+(?:[\w'’]+\s+){0,3}(?:grades?|judgements?|judgments?|ratings?)\b"
                      r"|\bungraded\b|\bnot graded\b|\bwithout an?\b", re.I)
_METADATA = re.compile(
    r"\b(?:which|what)\s+(?:councils?|local authorit\w+|authorit\w+|reports?|inspections?)\s+(?:was|were|is|are)\s+"
    r"(?:inspected|published|carried out)\b", re.I)


@dataclass(frozen=True)
class Condition:
    """A grade a report must have in an area ("help and protection judged good"); ``area`` may be
    ANY_AREA ("judged any area inadequate")."""

    area: str
    grades: frozenset[str]


@dataclass(frozen=True)
class GradeQuery:
    """What a question over many reports' grades asks, read once."""

    intent: str  # "list" | "count" | "history" | "compare" | "missing" | "metadata"
    conditions: tuple[Condition, ...] = ()
    areas: tuple[str, ...] = ()  # areas named with no grade: what to show ("how has the overall grade changed?")
    direction: str = ""  # "better" | "worse": a comparison asked as yes or no
    negated: bool = False  # "which report does NOT give an overall grade?"

    @property
    def shown_areas(self) -> tuple[str, ...]:
        """The areas an answer shows: those named, else those of the conditions, else the overall grade."""
        named = tuple(dict.fromkeys([*self.areas, *(c.area for c in self.conditions if c.area != ANY_AREA)]))
        return named


def _spans(pattern: re.Pattern, text: str):
    return [(m.start(), m.end(), m.group(1)) for m in pattern.finditer(text)]


def _area_of(phrase: str) -> str:
    phrase = phrase.lower().replace("’", "'")
    return next(key for p, key in _AREA_NAMES if re.fullmatch(p, phrase))


def read_grade_query(topic: str, *, authorities: int, reports: int) -> GradeQuery | None:
    """The grade question ``topic`` asks across ``reports`` reports in scope (of ``authorities``
    authorities named); None when it asks something else, or asks why."""
    if _WHY.search(topic):
        return None
    areas = [(s, e, _area_of(p)) for s, e, p in _spans(_AREA, topic)]
    grades = [(s, e, grade_key(g)) for s, e, g in _spans(_GRADE, topic)]
    grading = bool(_GRADING.search(topic))
    if _METADATA.search(topic) and not grades:
        return GradeQuery("metadata", areas=tuple(dict.fromkeys(a for _, _, a in areas)))
    across = bool(_ACROSS.search(topic))
    # A grade word alone is not a grade question ("how good is the support?"): it needs a word of
    # grading, or to ask across reports ("which councils are outstanding?").
    compared = authorities > 1 and bool(_COMPARE.search(topic))  # "compare the grades of X and Y"
    if not (grading or (grades and across)) or not (grades or areas or compared or _HISTORY.search(topic)):
        return None
    conditions, paired = _pair(topic, areas, grades)
    unpaired = tuple(dict.fromkeys(a for s, e, a in areas if (s, e) not in paired))
    direction = "better" if _BETTER.search(topic) else "worse" if _WORSE.search(topic) else ""
    if _MISSING.search(topic) and (areas or grades) and across and not grades:
        return GradeQuery("missing", areas=unpaired or ("overall",), negated=True)
    if direction and (authorities > 1 or len(set(unpaired)) > 1):
        return GradeQuery("compare", areas=unpaired or ("overall",), direction=direction)
    if conditions and across:
        return GradeQuery("count" if _COUNT.search(topic) else "list", tuple(conditions), unpaired)
    if authorities > 1 or (reports > 1 and (_COMPARE.search(topic) or _HISTORY.search(topic))):
        intent = "history" if authorities <= 1 else "compare"
        return GradeQuery(intent, tuple(conditions), unpaired or (("overall",) if "overall" in topic.lower() else ()))
    if conditions and reports > 1:
        return GradeQuery("count" if _COUNT.search(topic) else "list", tuple(conditions), unpaired)
    return None


def _pair(topic: str, areas: list, grades: list) -> tuple[list[Condition], set[tuple[int, int]]]:
    """Each grade said joined to the area it is said of: the nearest area in its clause, before it
    ("leadership good") or after it ("judged inadequate overall"); none named: the overall grade,
    or any area ("judged any area inadequate")."""
    conditions: list[Condition] = []
    paired: set[tuple[int, int]] = set()
    any_area = bool(_ANY_AREA.search(topic))
    for gs, ge, said in _grade_groups(topic, grades):
        candidates = [(_distance(topic, (s, e), (gs, ge)), s, e, a) for s, e, a in areas if (s, e) not in paired]
        candidates = [c for c in candidates if c[0] is not None]
        if candidates:
            _, s, e, area = min(candidates)
            paired.add((s, e))
        else:
            area = ANY_AREA if any_area else "overall"
        conditions.append(Condition(area, said))
    # Areas joined by "and"/"or" with no grade of their own share the grade said after them
    # ("care leavers and adoption good"), unless a grade of their own follows.
    for s, e, area in areas:
        if (s, e) in paired:
            continue
        following = next(((gs, g) for gs, _, g in grades if gs > e), None)
        if following and re.fullmatch(r"\s*(?:,|and|or|&)\s*.*", topic[e:following[0]]) and len(topic[e:following[0]]) < 60:
            conditions.append(Condition(area, frozenset({following[1]})))
            paired.add((s, e))
    return conditions, paired


def _grade_groups(topic: str, grades: list) -> list[tuple[int, int, frozenset[str]]]:
    """Grades said together of one area ("outstanding or good") as one set, with its span."""
    groups: list[tuple[int, int, frozenset[str]]] = []
    for s, e, grade in grades:
        if groups and _GRADE_JOIN.fullmatch(topic[groups[-1][1]:s]):
            start, _, said = groups.pop()
            groups.append((start, e, said | {grade}))
        else:
            groups.append((s, e, frozenset({grade})))
    return groups


def _distance(text: str, area: tuple[int, int], grade: tuple[int, int]) -> int | None:
    """Characters between an area and a grade; None when a clause break ("but", ";") lies between."""
    lo, hi = (area[1], grade[0]) if area[1] <= grade[0] else (grade[1], area[0])
    between = text[lo:hi]
    if re.search(r"\bbut\b|\bwhile\b|\bwhereas\b|;", between, re.I):
        return None
    return len(between) + (0 if area[1] <= grade[0] else 5)  # an area before its grade is the usual order
