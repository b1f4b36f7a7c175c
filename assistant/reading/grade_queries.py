"""Questions over the grades of many reports, read once into a typed ``GradeQuery``.

"Which councils were judged inadequate overall?", "how many reports rated care leavers good?",
"which reports graded leadership good but help and protection as requiring improvement?", "which
reports graded every area good?", "which councils were good or better at both inspections?", "how has
Solihull's overall judgement changed?", "was Devon's leadership graded better than Sefton's?",
"which report gives no overall grade?", "which council was inspected in 2022?". The areas and grades
are those of ``assistant.reading.judgements``; which reports are in scope (years, kinds, "latest", the
authorities named) is the catalogue's reading, not this module's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.reading.judgements import AREAS, ASKS_WHY, GRADING, GRADE_RANK, GRADE_SAID, GRADE_WORDS, GRADES, grade_key
from assistant.reading.report_names import ABOUT_MANY, VISITED  # VISITED: not "published"
from assistant.text import words

ANY_AREA = "any"

# --- the words of grade questions: every pattern of this module --------------------------------
_AREA_NAMES = sorted(((phrase, a.key) for a in AREAS for phrase in a.asked), key=lambda pk: -len(pk[0]))
_AREA = re.compile(r"\b(" + "|".join(p for p, _ in _AREA_NAMES) + r")(?:['’]s?)?\b", re.I)
_AREAS_SAID = r"(?:of (?:the|its|their)\s+)?(?:areas?|judgements?|judgments?|grades?|parts?)\b"  # "any of the areas"
_ANY_AREA = re.compile(
    rf"\b(?:any|some|one|an?)\s+{_AREAS_SAID}"
    rf"|\b(?:an?|any)\s+(?:{GRADE_SAID})\s+(?:grades?|judgements?|judgments?|ratings?)\b"
    r"|\b(?:a|any)\s+(?:grade|judgement|judgment|rating) of\b"
    r"|\b(?:which|what)\s+(?:judgement\s+)?(?:areas?|parts?|judgements?|judgments?|aspects?)\b|\banything\b", re.I)
_EVERY_AREA = re.compile(rf"\b(?:every|all|each)\s+(?:(?:of\s+)?(?:the|its|their)\s+)?(?:graded\s+|judged\s+|single\s+)?"
                         rf"{_AREAS_SAID}|\bacross the board\b", re.I)
_GRADE = re.compile(rf"\b({GRADE_SAID}|(?-i:RI)|need(?:s|ed|ing)? improvement)\b", re.I)  # "RI" in capitals: requires improvement
_GRADE_WORD = re.compile(r"\b(" + "|".join(re.escape(w) for ws in GRADE_WORDS.values() for w in ws) + r")s?\b", re.I)
_GRADE_OF_WORD = {w: g for g, ws in GRADE_WORDS.items() for w in ws}

# A grade said as a bound: "good or better", "at least good", "below good", "worse than good".
_AT_LEAST = re.compile(r"\bat least\b|\bor (?:better|above|higher)\b", re.I)
_BELOW = re.compile(r"\b(?:below|worse than|lower than|less than|under)\s+(?=(?:good|outstanding|requir|inadequate))", re.I)
_NOT = re.compile(r"\b(?:no|nothing|none|not|never|without|avoid\w*|escap\w*)\s+(?:\w+\s+){0,5}$", re.I)  # before a grade: excluded
_NEVER = re.compile(r"\bnever\b", re.I)
_RESTATED = re.compile(r"\s*[(,;–—-]?\s*(?:but|and|yet)?\s*(?:not|never)\s*", re.I)  # "good (not outstanding)"
# One authority "ever", "at any of its inspections": all its reports, not its latest.
_EVER = re.compile(r"\bever\b|\bat any (?:of (?:its|their) )?inspections?\b|\ball (?:of )?(?:the|its|their) (?:reports|inspections)\b",
                   re.I)
# "from inadequate to good", "from inadequate at their first inspection to outstanding at their latest"
_TRANSITION = re.compile(rf"\bfrom ({GRADE_SAID})(?:\s+(?!to\b)[\w'’]+){{0,6}}?\s+to ({GRADE_SAID})\b", re.I)
# "lost an outstanding rating", "dropped from good": from that grade to any lower one
_LOST = re.compile(rf"\b(?:lost|lose|loses|losing|dropped from|fell from|slipped from)\s+(?:(?:an?|its|their|the)\s+)?"
                   rf"(?:\w+\s+)?({GRADE_SAID})\b", re.I)
# Which two of an authority's reports a trend compares: each report with the next, or the latest with the one before
# (first with latest otherwise).
_NEXT = re.compile(r"\b(?:next|following|subsequent|later) (?:inspection|report|visit)s?\b|\bin a row\b", re.I)
_LAST_PAIR = re.compile(
    r"\b(?:the|their|its) (?:one|inspection|report|visit) before\b|\b(?:the|their|its) (?:previous|prior|preceding) "
    r"(?:one|inspection|report|visit)\b|\blast two (?:inspections|reports|visits)\b", re.I)
_NOW = re.compile(r"\b(?:now|at present|these days|today|nowadays|(?<!but )(?<!yet )still(?! only\b))\b", re.I)  # each authority's latest
_STILL = re.compile(r"\bstill\b(?! only\b)|\bno longer\b|\bany (?:more|longer)\b|\banymore\b", re.I)  # now, against before
_MONTH_OR_YEAR = re.compile(r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+)?(?:19|20)\d\d\b", re.I)
# Across reports, also "found to be", "assessed", "came out": "which councils came out inadequate?"
_GRADING = re.compile(rf"{GRADING}|\b(?:found (?:to be|that)|assessed|c[ao]me out|comes out|coming out)\b", re.I)
_GRADE_JOIN = re.compile(r"\s*(?:,|or|and|and/or|nor)?\s*(?:or\s+)?", re.I)  # "good or outstanding", "good, outstanding"
_SHARE = re.compile(r"\bproportion\b|\bpercentage\b|\bper ?cent\b|\bshare of\b", re.I)  # a count as a share of all
_COUNT = re.compile(rf"\bhow many\b|\bnumber of\b|\bno\.\s+of\b|\bcount\b|{_SHARE.pattern}", re.I)
# "which councils improved their overall grade?": each authority's first and latest report in scope.
_RISE = r"ris(?:e|es|en|ing)|rose|(?:go|goes|going|gone|went) up"  # a grade moving, in any tense
_FALL = r"drop(?:s|ped|ping)?|f[ae]ll(?:s|en|ing)?|slip(?:s|ped|ping)?|(?:go|goes|going|gone|went) down"
_TREND_UP = re.compile(rf"\b(improv\w*|got better|{_RISE}|raised|moved up|"
                       r"(?:get|got|gets|receive[ds]?|had|have) an? (?:better|higher) (?:\w+ )?(?:grade|judgement|rating))\b", re.I)
_TREND_DOWN = re.compile(rf"\b(declin\w*|deteriorat\w*|got worse|{_FALL}|moved down|"
                         r"(?:get|got|gets|receive[ds]?|had|have) an? (?:worse|lower) (?:\w+ )?(?:grade|judgement|rating))\b", re.I)
_QUESTION_START = re.compile(
    r"^\W*(?:what|how|why|when|who|whose|which|where|is|are|was|were|did|do|does|has|have|had|can|could|should|"
    r"would|will|tell|show|give|list|describe|explain|summari[sz]e|compare)\b", re.I)
_ACROSS = re.compile(
    r"\b(which|whose|where|who|who['’]s|anyone|anybody|how many|list|number of|name the|what (?:councils?|authorit\w+|reports?)|"
    r"what (?:proportion|percentage|share|fraction)|"
    r"any (?:of the )?(?:reports?|councils?|authorit\w+|inspections?|lscbs?|boards?)|"
    r"(?:is|was|are|were) there (?:any|a)|(?:have|has|did|were|was) any)\b", re.I)
# Words of "summarise what the report says about…" that ask for a summary rather than name a topic.
_SUMMARY_FRAME = frozenset("""summarise summarize summary say says said find found finds describe described describes
    think thought inspectors inspector inspection inspections report reports ofsted picture doing done services service
    experiences experience progress""".split())
_YES_NO = re.compile(r"(?:^|[,:;]\s*)(?:is|was|are|were|has|have|had|did|do|does|can|could)\b", re.I)
# Words that ask how grades moved over an authority's inspections ("changed", "at each inspection");
# "improved"/"declined" only where no one report is named ("what needed to improve in the 2014 SIF?").
_CHANGE = re.compile(
    r"\b(chang\w*|moved|movement|over time|each of (?:its|their|the)|every (?:one of )?(?:its|their)|all (?:of )?(?:its|their)|"
    r"(?:each|every) (?:inspection|report|visit|time)s?|between (?:its|their|the) (?:two |\w+ )?(?:inspections|reports)|"
    r"trend|history|track\w*|across (?:its|their)|from (?:its|the) (?:\d{4} )?(?:report|inspection)s? to|"
    r"over (?:its|their|the) (?:\w+ ){0,2}(?:inspections|reports)|"
    r"(?:compared|as against) (?:with|to) (?:its|their) (?:\w+ ){0,2}(?:inspection|report|visit)s?)\b", re.I)
_HISTORY = re.compile(rf"{_CHANGE.pattern}|\b(improv\w*|declin\w*|deteriorat\w*|progress\w* since|since|{_RISE}|{_FALL})\b", re.I)
# "at both of their inspections", "in all their reports": every report of an authority must meet the condition.
_EVERY_REPORT = re.compile(
    r"\b(?:both|all|each|every)\s+(?:of\s+)?(?:their|its)\s+(?:two\s+)?(?:inspections|reports)\b"
    r"|\bboth (?:of )?(?:the )?(?:inspections|reports)\b|\bat (?:both|every|each) inspections?\b"
    r"|\bboth times\b|\bevery time\b|\beach time\b", re.I)
_BETTER = re.compile(r"\b(better|higher|stronger|improved on|came out (?:ahead|on top))\b", re.I)
_WORSE = re.compile(r"\b(worse|lower|weaker)\b", re.I)
_COMPARE = re.compile(r"\b(compare[ds]?|comparison|versus|vs\.?|v\.?|differ\w*|than)(?!\w)", re.I)
# "unchanged between first and latest inspection": each authority's first and latest grade the same
_SAME = re.compile(r"\b(unchanged|stayed the same|no change|remained the same|same (?:overall )?(?:grade|judgement|rating))\b", re.I)
# "lower now than at their first inspection": a direction said across two points in time
_TWO_TIMES = re.compile(r"\b(?:first|earliest|previous|last|since)\b.*\b(?:now|latest|most recent|currently|today)\b"
                        r"|\b(?:now|latest|most recent|currently)\b.*\b(?:first|earliest|previous|before)\b", re.I)
_MISSING = re.compile(r"\b(?:does not|doesn't|did not|didn't|do not|don't|no|without|not)\s+(?:\w+\s+){0,2}"
                      r"(?:give|gave|have|has|had|include|includes|receive|received|grade|graded|an?)\b"
                      r"|\bno\s+(?:[\w'’]+\s+){0,3}(?:grades?|judgements?|judgments?|ratings?)\b"
                      r"|\bungraded\b|\bnot (?:graded|judged)\b|\bwithout an?\b", re.I)
_METADATA = re.compile(
    r"\b(?:which|what|how many)\s+(?:of (?:the|these|those) )?(?:inspection )?"
    r"(?:councils?|local authorit\w+|authorit\w+|reports?|inspections?)\b.*?"
    r"\b(?:inspected|inspections?|published|carried out|visited|inspectors?|on site|came out|out in|dated)\b", re.I)
_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b(?:last|this) year\b", re.I)


@dataclass(frozen=True)
class Condition:
    """What a report's grades must be: some area (``area``, or any area) at one of ``grades``;
    with ``every``, every area it grades; with ``excluded``, no area."""

    area: str
    grades: frozenset[str]
    every: bool = False
    excluded: bool = False
    alternatives: frozenset[str] = frozenset()  # "children in care or care leavers": either area will do
    than: str = ""  # "leadership graded higher than overall": ``area`` graded ``direction`` than this area
    direction: str = ""  # "better" | "worse", with ``than``


@dataclass(frozen=True)
class GradeQuery:
    """What a question over many reports' grades asks, read once."""

    intent: str  # "list" | "count" | "history" | "compare" | "trend" | "distribution" | "missing" | "metadata"
    conditions: tuple[Condition, ...] = ()
    areas: tuple[str, ...] = ()  # areas named with no grade: what to show ("how has the overall grade changed?")
    direction: str = ""  # "better" | "worse": a comparison
    yes_no: bool = False  # "have any reports…?", "was X better than Y?": the answer starts Yes or No
    every_report: bool = False  # "at both of their inspections": an authority counts when all its reports do
    ever: bool = False  # "was X ever rated…?": all of one authority's reports, not its latest
    transition: tuple[str, str] = ()  # "from inadequate to good": its first and latest grades ("" after: any lower)
    pairs: str = "first-latest"  # which reports a trend compares: "first-latest", "consecutive", "last-two"
    now: bool = False  # "which councils are now rated good?": each authority's latest report
    inspected: bool = False  # dates are of the inspection, not of publication
    when: str = ""  # the dates the reports were filtered to, as said: "since 2023", "in March 2017"
    whole: bool = False  # the answer accounts for every report in scope: the authorities named, or a share's whole

    @property
    def shown_areas(self) -> tuple[str, ...]:
        """The areas an answer shows: those named, and those of the conditions."""
        return tuple(dict.fromkeys([*self.areas, *(c.area for c in self.conditions if c.area != ANY_AREA)]))


def _spans(pattern: re.Pattern, text: str):
    return [(m.start(), m.end(), m.group(1)) for m in pattern.finditer(text)]


def _grade_of_word(said: str) -> str:
    said = said.lower()
    return _GRADE_OF_WORD.get(said) or _GRADE_OF_WORD[said[:-1]]  # "top marks": "top mark"


def _area_of(phrase: str) -> str:
    phrase = phrase.lower().replace("’", "'")
    return next(key for p, key in _AREA_NAMES if re.fullmatch(p, phrase))


def read_grade_query(topic: str, *, authorities: int, reports: int) -> GradeQuery | None:
    """The grade question ``topic`` asks across ``reports`` reports in scope (of ``authorities``
    authorities named); None when it asks something else, or asks why."""
    asked = _read(topic, authorities, reports)
    if asked is None:
        return None
    now = bool(_NOW.search(topic)) and not _DATE.search(topic)
    whole = authorities > 1 or bool(_SHARE.search(topic))  # "of A, B and C, whose…?", "what percentage…?"
    return replace(asked, now=now, inspected=bool(VISITED.search(topic)), whole=whole)


def _read(topic: str, authorities: int, reports: int) -> GradeQuery | None:
    if ASKS_WHY.search(topic):
        return None
    # "across the board" says every area, not the safeguarding board (blanked, so offsets hold)
    named = re.sub(r"across the board", lambda m: " " * len(m.group(0)), topic, flags=re.I)
    areas = [(s, e, _area_of(p)) for s, e, p in _spans(_AREA, named)]
    grades = sorted([(s, e, grade_key(g)) for s, e, g in _spans(_GRADE, topic)]
                    + [(s, e, _grade_of_word(w)) for s, e, w in _spans(_GRADE_WORD, topic)])
    grading = bool(_GRADING.search(topic))
    # "inadequate adoption performance", "councils rated RI 2019-2022": a search-box query for a grade
    across = bool(_ACROSS.search(topic)) or bool(grades and not _QUESTION_START.search(topic))
    yes_no = bool(_YES_NO.search(topic))
    if _METADATA.search(topic) and _DATE.search(topic) and not grades:
        return GradeQuery("metadata", areas=tuple(dict.fromkeys(a for _, _, a in areas)))
    # Without the grades said ("requires improvement" is no improvement) and their bounds ("good or better").
    bare = _GRADE.sub(" ", _AT_LEAST.sub(" ", _BELOW.sub(" ", topic)))
    direction = "better" if _BETTER.search(bare) else "worse" if _WORSE.search(bare) else ""
    over_time = bool(_HISTORY.search(bare))
    distinct = list(dict.fromkeys(a for _, _, a in areas))
    # A grade word alone is not a grade question ("how good is the support?"): it needs a word of
    # grading, to ask across reports ("which councils are outstanding?"), or to compare grades.
    compared = direction and (authorities > 1 or len(distinct) > 1 or (authorities == 1 and over_time))
    ever_graded = grades and authorities == 1 and (_EVER.search(topic) or _STILL.search(topic))  # "is X still good?"
    trend = ("better" if _TREND_UP.search(bare) else "worse" if _TREND_DOWN.search(bare)
             else "same" if _SAME.search(bare) else direction if _TWO_TIMES.search(bare) else "")
    trend_said = areas and across and authorities == 0 and trend
    # "adoption 2015 vs 2022", "the overall grade at the first inspection and now": one authority's reports side by side
    two_reports = areas and authorities == 1 and reports > 1 and (
        _COMPARE.search(topic) or (_TWO_TIMES.search(bare) and (grading or grades)))
    if not (grading or (grades and across) or compared or ever_graded or trend_said or two_reports
            or (authorities > 1 and _COMPARE.search(topic) and grading)):
        return None
    if not (grades or areas or (authorities > 1 and _COMPARE.search(topic)) or over_time):
        return None
    conditions, paired = _conditions(topic, areas, grades)
    unpaired = tuple(dict.fromkeys(a for s, e, a in areas if (s, e) not in paired))
    if _MISSING.search(topic) and across and not grades:
        return GradeQuery("missing", areas=unpaired or ("overall",))
    pairs = "consecutive" if _NEXT.search(topic) else "last-two" if _LAST_PAIR.search(topic) else "first-latest"
    if (moved := _TRANSITION.search(topic) or _LOST.search(topic)) and authorities == 0:
        start = grade_key(moved.group(1))
        end = grade_key(moved.group(2)) if moved.re is _TRANSITION else ""
        return GradeQuery("trend", (), unpaired or tuple(dict.fromkeys(c.area for c in conditions)) or ("overall",),
                          direction="better" if end and GRADE_RANK[end] > GRADE_RANK[start] else "worse",
                          yes_no=yes_no, transition=(start, end), pairs=pairs)
    if trend and ((authorities == 0 and across) or (authorities > 1 and over_time)):  # "X v Y: which got better since…"
        return GradeQuery("trend", tuple(conditions), unpaired or (("overall",) if not conditions else ()),
                          direction=trend, yes_no=yes_no, pairs=pairs)
    if direction and authorities == 0 and across and (related := _area_against_area(topic, areas, direction)):
        # "which reports graded leadership higher than overall?", "CiC outstanding but care leavers lower"
        kept = tuple(c for c in conditions if c.area != related.area)
        return GradeQuery("count" if _COUNT.search(topic) else "list", (*kept, related), yes_no=yes_no)
    if direction and (authorities > 1 or len(set(unpaired)) > 1) and not across_reports(topic, authorities):
        return GradeQuery("compare", areas=unpaired or ("overall",), direction=direction, yes_no=yes_no)
    never = bool(_NEVER.search(topic)) and any(c.excluded for c in conditions)
    every_report = (bool(_EVERY_REPORT.search(topic)) or never) and authorities != 1
    ever = authorities == 1 and bool(_EVER.search(topic) or never)
    if conditions and (across or every_report or ever or ABOUT_MANY.search(topic)):
        return GradeQuery("count" if _COUNT.search(topic) else "list", tuple(conditions), unpaired,
                          yes_no=yes_no, every_report=every_report, ever=ever)
    if authorities == 1 and reports > 1 and (over_time or direction or _STILL.search(topic) or two_reports):
        return GradeQuery("history", tuple(conditions), unpaired or (("overall",) if not conditions else ()),
                          direction=direction)
    if authorities > 1 or (len(set(unpaired)) > 1 and _COMPARE.search(topic) and not conditions):
        return GradeQuery("compare", tuple(conditions), unpaired, direction=direction, yes_no=yes_no and bool(direction))
    if grading and areas and not conditions and reports > 1 and authorities == 0 and ABOUT_MANY.search(topic):
        return GradeQuery("distribution", areas=unpaired)  # "what overall grades did the short inspections give?"
    if conditions and reports > 1:
        return GradeQuery("count" if _COUNT.search(topic) else "list", tuple(conditions), unpaired, yes_no=yes_no)
    return None


def _area_against_area(topic: str, areas: list, direction: str) -> Condition | None:
    """One area graded better or worse than another in the same report: the area said just before the
    comparative word, against the one after "than" (or the other one named). None for a bound on a
    grade ("good or better", "lower than good") or when fewer than two areas are named."""
    said = _BETTER if direction == "better" else _WORSE
    for m in said.finditer(topic):
        if re.search(r"\bor\s+$", topic[:m.start()]) or re.match(rf"\s+than\s+(?:{GRADE_SAID})", topic[m.end():], re.I):
            continue
        before = [a for s, e, a in areas if e <= m.start()]
        after = [a for s, e, a in areas if s >= m.end()]
        if not before:
            continue
        subject = before[-1]
        against = next((a for a in after if a != subject), None) if re.match(r"\s+than\b", topic[m.end():]) else None
        against = against or next((a for a in reversed(before[:-1]) if a != subject), None)
        if against:
            return Condition(subject, frozenset(GRADES), than=against, direction=direction)
    return None


def without_dates(text: str) -> str:
    """The text without its years and months: what names the reports besides their dates."""
    return _MONTH_OR_YEAR.sub(" ", text)


def asks_change(topic: str) -> bool:
    """Does the question ask, in so many words, how grades changed over inspections ("first … now")?"""
    return bool(_CHANGE.search(topic) or _TWO_TIMES.search(topic))


def across_reports(topic: str, authorities: int) -> bool:
    """"Which councils were rated better than…" with no authority named lists; a comparison names two."""
    return authorities == 0 and bool(_ACROSS.search(topic))


def _conditions(topic: str, areas: list, grades: list) -> tuple[list[Condition], set[tuple[int, int]]]:
    """Each grade said joined to the area it is said of: the nearest area in its clause, before it
    ("leadership good") or after it ("judged inadequate overall"); none named: the overall grade, or
    any area ("judged any area inadequate"), or every area ("good in every area"). A grade after
    "no"/"nothing" is excluded; "good or better" and "below good" are ranges."""
    conditions: list[Condition] = []
    paired: set[tuple[int, int]] = set()
    every_area = bool(_EVERY_AREA.search(topic))
    any_area = bool(_ANY_AREA.search(topic)) or every_area
    last_end = None
    for gs, ge, said in _grade_groups(topic, grades):
        said = _bounded(topic, gs, ge, said)
        excluded = bool(_NOT.search(topic[max(0, gs - 40):gs]))
        if excluded and conditions and last_end is not None and _RESTATED.fullmatch(topic[last_end:gs]):
            # "good (not outstanding)", "good but not outstanding": the same area, said again
            kept = conditions[-1].grades - said
            conditions[-1] = replace(conditions[-1], grades=kept or conditions[-1].grades)
            last_end = ge
            continue
        last_end = ge
        candidates = [(_distance(topic, (s, e), (gs, ge)), s, e, a) for s, e, a in areas if (s, e) not in paired]
        candidates = [c for c in candidates if c[0] is not None]
        if candidates:
            _, s, e, area = min(candidates)
            paired.add((s, e))
        else:
            area = ANY_AREA if any_area or excluded else "overall"
        conditions.append(Condition(area, said, every=every_area and area == ANY_AREA and not excluded,
                                    excluded=excluded))
    # Areas joined by "and" with no grade of their own share the grade said after them ("care leavers
    # and adoption good"); joined by "or", either will do ("care leavers or adoption good").
    for s, e, area in areas:
        if (s, e) in paired:
            continue
        following = next((n for n, c in enumerate(conditions) if c.area != ANY_AREA and _after(topic, e, c.area, areas)), None)
        join = re.match(r"\s*(,|and|or|&)\s", topic[e:])
        if following is None or not join:
            continue
        shared = conditions[following]
        if join.group(1) == "or":
            conditions[following] = replace(shared, alternatives=shared.alternatives | {area})
        else:
            conditions.append(Condition(area, shared.grades))
        paired.add((s, e))
    # "every area good, nothing outstanding": the exclusions say again what "every area good" says.
    if any(c.every for c in conditions):
        conditions = [c for c in conditions if not (c.excluded and c.area == ANY_AREA)]
    return list(dict.fromkeys(conditions)), paired


def _after(topic: str, end: int, area: str, areas: list) -> bool:
    """Is ``area`` named within a few words after ``end``, with no grade between?"""
    return any(s > end and a == area and len(topic[end:s]) < 40 and not _GRADE.search(topic[end:s]) for s, _, a in areas)


def _bounded(topic: str, start: int, end: int, said: frozenset[str]) -> frozenset[str]:
    """"good or better"/"at least good": that grade and the better ones; "below good": the worse ones."""
    if len(said) != 1:
        return said
    grade = next(iter(said))
    before, after = topic[max(0, start - 16):start], topic[end:end + 14]
    if re.search(r"\bat least\s+$", before, re.I) or re.match(r"\s+or (?:better|above|higher)\b", after, re.I):
        return frozenset(g for g in GRADES if GRADE_RANK[g] >= GRADE_RANK[grade])
    if re.search(r"\b(?:below|worse than|lower than|less than|under)\s+$", before, re.I):
        return frozenset(g for g in GRADES if GRADE_RANK[g] < GRADE_RANK[grade])
    return said


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
    """Characters between an area and a grade; None when a clause break ("but", ";", "-") lies between."""
    lo, hi = (area[1], grade[0]) if area[1] <= grade[0] else (grade[1], area[0])
    between = text[lo:hi]
    if re.search(r"\bbut\b|\bwhile\b|\bwhereas\b|\byet\b|\balthough\b|\bthough\b|;|\s[-–—]\s", between, re.I):
        return None
    if between.count("(") != between.count(")"):  # one inside an aside in brackets, one outside it
        return None
    return len(between) + (0 if area[1] <= grade[0] else 5)  # an area before its grade is the usual order


def area_summarised(topic: str, not_topic: frozenset[str]) -> str | None:
    """The one judgement area ``topic`` asks about and nothing else ("what did inspectors say about care
    leavers?"), or None. ``not_topic`` holds the words that frame a question rather than name its topic."""
    if len(named := areas_named(topic)) != 1:
        return None
    if any(w not in not_topic and w not in _SUMMARY_FRAME and not w.isdigit() for w in words(_AREA.sub(" ", topic))):
        return None
    return next(iter(named))


def areas_named(text: str) -> frozenset[str]:
    """The judgement areas ``text`` names ("care leavers", "the LSCB", "children looked after")."""
    return frozenset(_area_of(p) for _, _, p in _spans(_AREA, text))


def grade_words(text: str) -> set[str]:
    """The words of ``text`` that name a judgement area or a grade ("CiC", "RI"): known to the grade
    table whatever the reports' own words are, so never an unknown name."""
    spans = _spans(_AREA, text) + _spans(_GRADE, text) + _spans(_GRADE_WORD, text)
    return {w.lower() for s, e, _ in spans for w in re.findall(r"[\w'’]+", text[s:e])}
