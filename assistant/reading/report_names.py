"""How people name reports in a question: years, months, spans of years, kinds of report and their
order ("the 2023 report", "the 2022 inspection", "the SIF", "the latest", "last time"), and the
words that spell one authority in several ways."""

from __future__ import annotations

import re

from assistant.text import squashed

# --- how people name reports: every pattern and word list of this module ------------------------
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH = r"(?:" + "|".join(m for m in MONTHS) + r"|" + "|".join(m[:3] for m in MONTHS) + r")"
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# "31 March 2016" dates a figure, not a report; "November 2025" (no day) can name an inspection.
_DATED_FIGURE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\w*\s+((?:19|20)\d\d)\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\w*\s+((?:19|20)\d\d)\b", re.I)
# "inspected in October and November 2018", "carried out in November–December 2022": all of it names the report.
MONTH_SPAN = re.compile(
    rf"\b(?:(?:inspected|carried out|published)\s+(?:in\s+)?)?{_MONTH}\w*(?:\s*(?:,|and|to|-|–)\s*{_MONTH}\w*)*\s+(?:19|20)\d\d\b",
    re.I,
)
_SINCE = re.compile(r"\bsince (?:its |the |their )?(?:(?:start|beginning) of |early )?((?:19|20)\d\d)\b", re.I)
# Bounds read only where dates filter reports strictly (``Catalogue.dated``): elsewhere "before 2020"
# may date an event that a later report tells of.
_ONWARDS = re.compile(r"\b((?:19|20)\d\d) (?:on(?:wards)?|or (?:later|after)|and (?:later|after))\b", re.I)
_AFTER = re.compile(r"\b(?:after|later than) ((?:19|20)\d\d)\b", re.I)  # "published after 2020": from 2021
_BEFORE = re.compile(r"\b(?:before|prior to|earlier than|pre-?) ?((?:19|20)\d\d)\b", re.I)  # "before 2020": to 2019
_RANGE = re.compile(r"\b(?:between|from) ((?:19|20)\d\d) (?:and|to|until) ((?:19|20)\d\d)\b", re.I)
_BARE_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|–|—|to|until)\s*((?:19|20)\d\d)\b", re.I)  # "2018 to 2024", "2021-2023"
# "2014-17": a span of years; "2015-16", one year apart, is a financial year, which dates a figure.
_SHORT_RANGE = re.compile(r"\b((?:19|20)(\d\d))\s*[-–—]\s*(\d\d)\b(?![-–—/]?\d)")
LATEST = re.compile(
    r"\b(?:latest|most recent|newest|current|currently)\b|\blast\s+(?:\w+\s+)?(?:inspection|report|visit|judgement)s?\b", re.I
)
PREVIOUS = re.compile(
    r"\b(?:previous|prior|preceding|earlier)\s+(?:\w+\s+)?(?:inspection|report|visit|one)s?\b"
    r"|\blast time\b|\bbefore that\b|\bthe one before\b|\btime before\b|\bthe time before\b",
    re.I,
)
FIRST = re.compile(
    r"\b(?:first|earliest|oldest)\s+(?:(?:of\s+)?[\w'’]+\s+){0,3}(?:inspection|report|visit|one)s?\b|\b(?:earliest|oldest)\b", re.I
)
# Words that ask to set reports side by side, or one authority's reports over time.
COMPARING = re.compile(
    r"\b(compare[ds]?|comparison|versus|vs\.?|changed?|changes|since|over time|improved|improvements? since|"
    r"declined?|deteriorated?|(?:better|worse) than|got (?:better|worse)|differ(?:ed|ence|ences)?|between|each say|"
    r"trends?)\b",
    re.I,
)
# "the 2020 report", "Leeds's 2020 inspection", "inspected in 2020": a year that names a report.
REPORT_YEAR = re.compile(
    r"(?:['’]s?|\bthe)\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d\s+(?:\w+\s+)?(?:reports?|inspections?|ofsted|sif|ilacs|visits?)\b"
    r"|\b(?:inspected|published|inspection|report)\s+(?:in\s+)?(?:\w+\s+)?(?:19|20)\d\d\b",
    re.I,
)
PUBLISHED = re.compile(r"\bpublish\w*", re.I)
VISITED = re.compile(r"\binspected\b|\bcarried out\b|\bon site\b|\bvisited\b", re.I)
THIS_YEAR = re.compile(r"\b(last|this) year\b", re.I)  # in a question over many reports' dates
ON_SITE = re.compile(r"\b(?:inspectors?|on site|visited)\b", re.I)  # the inspection's dates, not publication's
INSPECTION_WORDS = re.compile(r"\binspect(?:ed|ion|ions)?\b", re.I)
# The kinds of report, as people name them; a key matches a report's kind or its family ("ilacs").
KIND_NAMES = {
    "sif-reinspection": ("re-inspection", "reinspection", "re inspection"),
    "sif": ("single inspection framework", "single inspection", "sif"),
    "ilacs-short": ("short inspection", "short ilacs"),
    "ilacs-standard": ("standard inspection", "standard ilacs"),
    "ilacs": ("ilacs",),
    "focused-visit": ("focused visit",),
    "monitoring-visit": ("monitoring visit",),
    "jtai": ("joint targeted area inspection", "jtai"),
    "lscb-review": ("lscb review", "review of the lscb"),
}
# What a pasted citation calls a report of each kind ("Ofsted, Harrow children's services focused visit, …").
CITATION_KINDS = {"focused-visit": "focused visit", "monitoring-visit": "monitoring visit",
                  "jtai": "joint targeted area inspection", "lscb-review": "LSCB review"}
KIND_LABELS = {
    "sif": "SIF",
    "sif-reinspection": "SIF re-inspection",
    "ilacs-standard": "standard ILACS inspection",
    "ilacs-short": "short ILACS inspection",
    "ilacs": "ILACS inspection",
    "focused-visit": "focused visit",
    "monitoring-visit": "monitoring visit",
    "jtai": "joint targeted area inspection",
    "lscb-review": "LSCB review",
}
_KIND_PHRASES = sorted(((p, k) for k, ps in KIND_NAMES.items() for p in ps), key=lambda pk: -len(pk[0]))
KIND = re.compile(r"\b(" + "|".join(re.escape(p) for p, _ in _KIND_PHRASES) + r")s?\b", re.I)
KIND_OF_PHRASE = dict(_KIND_PHRASES)
# "the 2019 monitoring visit", "the focused visit to Newham in 2024": a kind near a year names the
# report; "the focused visit before its 2020 inspection" names the inspection, and the visit is topic.
_BETWEEN = r"(?:(?!(?:reports?|inspections?|according|before|after|since)\b)[\w'’]+\s+)"
KIND_OF_YEAR = re.compile(
    rf"\b(?:19|20)\d\d\s+{_BETWEEN}{{0,2}}{KIND.pattern}|{KIND.pattern}\s+{_BETWEEN}{{0,3}}(?:19|20)\d\d\b", re.I
)
# Spellings of one authority that differ only in these words ("Leeds City", "Bedford Borough").
AUTHORITY_FILLER = re.compile(r"^(?:the)\s+|,?\s+(?:city|borough|district|city of)$", re.I)
# A name that is also a common word in questions about England is matched only in full.
GENERIC_ALIASES = frozenset({"london", "england"})


def without_report_names(text: str) -> str:
    """The text without the words that name a report: years, months, kinds, "latest", "before that"."""
    for pattern in (MONTH_SPAN, YEAR, KIND, PREVIOUS, FIRST, LATEST):
        text = pattern.sub(" ", text)
    return squashed(text)


def span_said(span: tuple[str, str]) -> str:
    """"between 2015 and 2018", or "before 2020" for a span with no start."""
    return f"before {int(span[1]) + 1}" if span[0] == "1900" else f"between {span[0]} and {span[1]}"


def relative_named(text: str) -> str | None:
    """The report a text names by its order ("last time", "the earliest", "the latest"), if any."""
    if PREVIOUS.search(text):
        return "previous"
    if FIRST.search(text):
        return "first"
    if LATEST.search(text):
        return "latest"
    return None


def years_named(text: str, bounds: bool = False) -> tuple[set[str], set[str], str, tuple[str, str] | None, set[tuple[int, str]]]:
    """(years that may name a report, years that date a figure ("at 31 March 2014"), "since" year,
    (from, to) span, (month, year) pairs) in a text."""
    dated = {m.start(1) for m in _DATED_FIGURE.finditer(text)}
    years = {m.group(1) for m in YEAR.finditer(text) if m.start(1) not in dated}
    figure_years = {m.group(1) for m in YEAR.finditer(text) if m.start(1) in dated}
    since = m.group(1) if (m := _SINCE.search(text)) else ""
    span = (min(m.groups()), max(m.groups())) if (m := _RANGE.search(text)) else None
    if bounds:  # "2023 onwards", "after 2020" (from 2021), "before 2020" (to 2019)
        since = since or (m.group(1) if (m := _ONWARDS.search(text)) else "")
        since = since or (str(int(m.group(1)) + 1) if (m := _AFTER.search(text)) else "")
        span = span or (("1900", str(int(m.group(1)) - 1)) if (m := _BEFORE.search(text)) else None)
        span = span or ((min(m.groups()), max(m.groups())) if (m := _BARE_RANGE.search(text)) else None)
        span = span or next(((m.group(1), m.group(1)[:2] + m.group(3)) for m in _SHORT_RANGE.finditer(text)
                             if int(m.group(3)) > int(m.group(2)) + 1), None)
    months = {(_month_number(m.group(1)), m.group(2)) for m in _MONTH_YEAR.finditer(text) if m.start(2) not in dated}
    return years, figure_years, since, span, months


def _month_number(name: str) -> int:
    return next(n for n, m in enumerate(MONTHS, 1) if m.startswith(name.lower()[:3]))


# A question about many reports ("which councils…", "in all the reports"), not about one authority's.
ABOUT_MANY = re.compile(r"\b(?:each|every|all)\s+(?:the\s+)?(?:councils?|authorit\w+|reports?|inspections?)\b"
                        r"|\b(?:councils|authorities|reports|inspections)\b", re.I)


def is_kind(kind: str, key: str) -> bool:
    # a SIF report holds the review of the LSCB: "the LSCB reviews" are in it
    return kind == key or kind.startswith(key + "-") or (key == "lscb-review" and kind == "sif")
