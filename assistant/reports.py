"""The reports in the index: their names for citations, and which of them a question is about."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_COMPARING = re.compile(
    r"\b(compare[ds]?|comparison|versus|vs\.?|changed?|since|over time|improved|worse|better|differ\w*|between)\b",
    re.I,
)


@dataclass(frozen=True)
class Scope:
    """What a caller limits answers to: an authority, a year, or one report by id; nothing means every report."""

    authority: str | None = None
    year: str | int | None = None
    report: str | None = None


@dataclass(frozen=True)
class ReportInfo:
    """One indexed report, as its manifest entry describes it."""

    id: str
    authority: str
    year: str
    kind: str = ""
    published_on: str = ""
    title: str = ""
    judgements: list = field(default_factory=list)
    name: str = ""  # how citations name it: "Ealing 2016"


class Catalogue:
    """Report names, and the scope of a question: the reports it names by authority and year."""

    def __init__(self, manifest: dict[str, dict]):
        infos = [_info(report, entry) for report, entry in manifest.items()]
        base = Counter(f"{i.authority} {i.year}".strip() for i in infos)
        self.reports = {
            i.id: ReportInfo(**{**i.__dict__, "name": _name(i, base)}) for i in sorted(infos, key=_chronological)
        }
        self._by_name = {i.name: i.id for i in self.reports.values()}

    @property
    def many(self) -> bool:
        return len(self.reports) > 1

    def label(self, report: str, passage_label: str) -> str:
        """How an answer cites a passage: "¶38" with one report loaded, "Ealing 2016 ¶38" with more."""
        info = self.reports.get(report)
        return f"{info.name} {passage_label}" if self.many and info else passage_label

    def resolve(self, label: str) -> tuple[str | None, str]:
        """(report id, passage label) of a citation label; report None when the label names none."""
        for name, report in self._by_name.items():
            if label.startswith(name + " "):
                return report, label[len(name) + 1 :]
        return None, label

    def authorities(self) -> set[str]:
        """The loaded reports' authorities, lower case, "&" written "and"."""
        return {i.authority.lower().replace("&", "and") for i in self.reports.values() if i.authority}

    def authority_words(self) -> set[str]:
        """Words that say which report, not what about: authority names, and years once several are loaded."""
        names = {w for i in self.reports.values() for w in re.findall(r"[a-z]+", i.authority.lower())}
        years = {i.year for i in self.reports.values() if i.year} if self.many else set()
        return names | years

    def scope(
        self, question: str, authority: str | None = None, year: str | int | None = None, report: str | None = None
    ) -> list[str]:
        """The reports a question is about, oldest first: the one report given, else those named (by
        parameter or in the question), else all."""
        if report:
            return [report] if report in self.reports else []
        lowered = question.lower()
        authorities = [authority.lower()] if authority else [
            a for a in {i.authority.lower() for i in self.reports.values() if i.authority}
            if re.search(rf"\b{re.escape(a)}(?:['’]s)?\b", lowered)
        ]
        chosen = [i for i in self.reports.values() if not authorities or i.authority.lower() in authorities]
        if not year and (since := re.search(r"\bsince (?:its |the |their )?((?:19|20)\d\d)\b", lowered)):
            # "How has Ealing changed since 2016?": that report and every later one.
            later = [i for i in chosen if (i.year or i.published_on[:4]) >= since.group(1)]
            return [i.id for i in later] or [i.id for i in chosen]
        years = [str(year)] if year else re.findall(r"\b((?:19|20)\d\d)\b", question)
        by_year = [i for i in chosen if i.year in years or i.published_on[:4] in years]
        if by_year or year:
            chosen = by_year
        return [i.id for i in chosen]

    def compares(self, question: str, scope: list[str]) -> bool:
        """Does the question ask to set several reports side by side ("compare Ealing and Hounslow…")?"""
        if len(scope) < 2:
            return False
        lowered = question.lower()
        named = {
            a for a in {self.reports[r].authority.lower() for r in scope}
            if re.search(rf"\b{re.escape(a)}(?:['’]s)?\b", lowered)
        }
        # Two authorities named, or one named with words of change or comparison across its reports.
        return len(named) > 1 or (len(named) == 1 and bool(_COMPARING.search(question)))


def _info(report: str, entry: dict) -> ReportInfo:
    start = entry.get("inspection_start") or ""
    published = entry.get("published_on") or ""
    return ReportInfo(
        id=report,
        authority=entry.get("authority") or entry.get("title") or report,
        year=(start or published)[:4],
        kind=entry.get("kind", ""),
        published_on=published,
        title=entry.get("title", ""),
        judgements=[tuple(j) for j in entry.get("judgements", [])],
    )


def _name(info: ReportInfo, base: Counter) -> str:
    short = f"{info.authority} {info.year}".strip()
    return f"{info.authority} {info.published_on}" if base[short] > 1 and info.published_on else short


def _chronological(info: ReportInfo) -> tuple:
    return (info.authority, info.year, info.published_on, info.id)
