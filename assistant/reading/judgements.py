"""The grades of every loaded report as one table: one row per report and judgement area, the areas
named in plain words across frameworks (the SIF of 2014–18, ILACS from 2018, the split of "children in
care" and "care leavers" from 2023–24, and the framework from 2025, which gives no overall grade).

This module holds the one table of areas and grades: every other module asks it what an area or a
grade printed in a report means.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache

from assistant.reading.reports import ReportInfo


@dataclass(frozen=True)
class Area:
    """A judgement area as staff name it, with the words that name it in questions and in reports."""

    key: str
    label: str  # plain words: "help and protection"
    asked: tuple[str, ...]  # phrases that name it in a question (regex fragments, lower case)
    printed: tuple[str, ...]  # phrases that name it in a report's judgement table (lower case)


# Order matters only for display: the overall grade first, then the areas as the reports list them.
AREAS: tuple[Area, ...] = (
    Area("overall", "overall effectiveness",
         (r"overall(?: effectiveness| judgements?| grades?)?", r"children'?s services overall", r"overall effectiveness"),
         ("overall effectiveness", "children's services overall")),
    Area("leaders", "leadership",
         (r"leadership,? management,? and governance", r"impact of leaders(?: on social work practice)?", r"leadership",
          r"leaders", r"management", r"governance"),
         ("impact of leaders", "leadership, management and governance", "leadership")),
    Area("help_protection", "help and protection",
         (r"help and protection", r"need(?:ing)? help", r"child protection", r"protection"),
         ("help and protection",)),
    Area("children_in_care", "children in care",
         (r"children in care", r"child(?:ren)? looked after", r"looked[- ]after children", r"looked after",
          r"in care", r"permanence", r"children looked after and achieving permanence", r"cla", r"lac", r"cic"),
         ("children in care", "children looked after", "looked after", "achieving permanence")),
    Area("adoption", "adoption", (r"adoptions?", r"adopt\w*"), ("adoption",)),
    Area("care_leavers", "care leavers", (r"care leavers?", r"leaving care", r"leavers?"), ("care leavers",)),
    Area("lscb", "the LSCB",
         (r"lscbs?", r"local safeguarding children boards?", r"safeguarding (?:children )?boards?", r"boards?"),
         ("local safeguarding children board", "lscb")),
)
AREA_BY_KEY = {a.key: a for a in AREAS}

# The four grades, best first, and how each is printed in reports and said in questions.
GRADES: tuple[str, ...] = ("outstanding", "good", "requires improvement", "inadequate")
# Plain words for the top and bottom grades ("top-rated councils", "who is failing care leavers?").
GRADE_WORDS = {
    "outstanding": ("top-rated", "top rated", "top mark", "top grade", "highest grade", "highest rating", "best possible"),
    "inadequate": ("failing", "lowest grade", "lowest rating", "lowest possible rating", "lowest possible grade",
                   "worst rating"),
}
GRADE_RANK = {g: len(GRADES) - i for i, g in enumerate(GRADES)}  # outstanding 4 … inadequate 1
# A grade as said in a question or printed in a report ("requiring improvement", "requires improvement
# to be good"): the one pattern every module reads grades with.
GRADE_SAID = r"outstanding|good|inadequate|requir\w* improvement(?: to be good)?"
# Words that ask for a grade, and grading asked as a verb ("how did Ofsted rate adoption?", "how would
# inspectors judge the front door?"): read by both the one-report and the many-report grade questions.
GRADING = (r"\b(?:grades?|graded|grading|judgements?|judgments?|judged|rated|ratings?|overall effectiveness)\b"
           r"|\b(?:did|does|do|would|will)\s+(?:the\s+)?(?:ofsted|inspectors?|inspection|report|they|it|ofsted['’]?s?\s+inspectors)"
           r"\s+(?:rate|judge|grade)\b")
ASKS_GRADE = re.compile(GRADING, re.I)  # a question asks for a grade
# ...unless it asks why: "why was adoption judged inadequate?" takes the grade as given and asks the reasons.
ASKS_WHY = re.compile(r"^\s*(why|what (?:led|caused|made))\b", re.I)
_REQUIRING = re.compile(r"\brequir\w* improvement", re.I)  # "require", "requiring"


def grades_said_plainly(text: str) -> str:
    """``text`` in lower case with "requiring improvement" and "require improvement" said as the grade is."""
    return _REQUIRING.sub("requires improvement", text.lower())


_GRADE_SAID = re.compile(rf"\b({GRADE_SAID}|ri|need(?:s|ed|ing)? improvement)\b", re.I)
_PRINTED_GRADE = re.compile(rf"\b({GRADE_SAID})\b", re.I)


def grade_key(text: str) -> str | None:
    """"Requires improvement to be good" → "requires improvement"; None when no grade is said."""
    m = _GRADE_SAID.search(text)
    if not m:
        return None
    said = m.group(1).lower()
    return "requires improvement" if said.startswith(("requir", "need")) or said == "ri" else said


@lru_cache(maxsize=4096)  # a section's areas, read for every passage a search ranks
def area_keys(printed: str) -> tuple[str, ...]:
    """The areas a judgement table's row names: "The experiences and progress of children in care and
    care leavers" is both children in care and care leavers (ILACS before the split)."""
    text = printed.lower().replace("’", "'")
    # A row glued to the one before it by the PDF's text layer keeps only its own area.
    parts = _PRINTED_GRADE.split(text)
    text = parts[-1] if parts[-1].strip() else text
    found = [a.key for a in AREAS if any(p in text for p in a.printed)]
    return ("overall",) if "overall" in found else tuple(found)


@dataclass(frozen=True)
class GradeRow:
    """One report's grade in one area, as its judgement table gives it."""

    report: str
    name: str  # "Leeds 2022"
    authority: str
    authority_key: str
    kind: str
    published_on: str
    inspection_start: str
    inspection_end: str
    area: str  # an Area key
    area_printed: str  # as the report prints it
    grade: str  # one of GRADES
    grade_printed: str

    @property
    def year(self) -> str:
        return self.published_on[:4]

    def to_dict(self) -> dict:
        return {**asdict(self), "area_label": AREA_BY_KEY[self.area].label, "year": self.year}


def report_rows(info: ReportInfo) -> list[GradeRow]:
    """A report's grades, one row per area (a row graded for two areas gives two)."""
    rows: list[GradeRow] = []
    seen: set[str] = set()
    for printed, grade_printed in info.judgements.items():
        grade = grade_key(grade_printed)
        if not grade:
            continue
        for key in area_keys(printed):
            if key in seen:
                continue
            seen.add(key)
            rows.append(GradeRow(
                report=info.id, name=info.name, authority=info.authority, authority_key=info.authority_key,
                kind=info.kind, published_on=info.published_on, inspection_start=info.inspection_start,
                inspection_end=info.inspection_end, area=key, area_printed=printed, grade=grade,
                grade_printed=grade_printed,
            ))
    return sorted(rows, key=lambda r: [a.key for a in AREAS].index(r.area))


def grade_table(infos: Iterable[ReportInfo]) -> list[GradeRow]:
    """Every loaded report's grades, one row per report and area, in the catalogue's order."""
    return [row for info in infos for row in report_rows(info)]


def graded_areas(info: ReportInfo) -> set[str]:
    """The areas a report grades (the LSCB only in the SIF; no overall grade from 2025)."""
    return {row.area for row in report_rows(info)}


CSV_COLUMNS = ("report", "name", "authority", "kind", "inspection_start", "inspection_end", "published_on",
               "area", "area_label", "area_printed", "grade", "grade_printed")


def to_csv(rows: Iterable[GradeRow]) -> str:
    """The rows as CSV, one line per report and area, with a header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.to_dict())
    return out.getvalue()
