"""One loaded report as it describes itself (its authority, kind and dates), and how an answer and a
pasted citation name it."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

from assistant.reading.report_names import CITATION_KINDS, KIND_LABELS, MONTHS


@dataclass(frozen=True)
class ReportInfo:
    """One loaded report, as the report itself describes it (``Assistant.reports()``)."""

    id: str
    authority: str  # as citations name it: "Leeds" (also for the report that calls itself "Leeds City")
    kind: str  # sif, sif-reinspection, ilacs-standard, ilacs-short, …; "" when unknown
    inspection_start: str  # ISO dates
    inspection_end: str
    published_on: str
    judgements: dict[str, str] = field(default_factory=dict)  # area → grade, as printed
    paragraphs: int = 0  # passages indexed (numbered paragraphs and named sections)
    source: str = ""  # the file it was read from
    name: str = ""  # how citations name it: "Leeds 2022" (the year of publication)
    title: str = ""
    authority_key: str = ""  # one key for every spelling of one authority: "leeds"

    @property
    def year(self) -> str:
        """The year of publication, the year a label shows ("Solihull 2023" was inspected in 2022)."""
        return (self.published_on or self.inspection_start)[:4]

    @property
    def inspection_years(self) -> set[str]:
        return {d[:4] for d in (self.inspection_start, self.inspection_end) if d}

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind or "inspection")

    def describe(self) -> str:
        """"Leeds, short inspection (ILACS), inspected 29 October – 2 November 2018, published 18 December 2018"."""
        parts = [self.authority, self.kind_label]
        if self.inspection_start:
            parts.append(f"inspected {_span(self.inspection_start, self.inspection_end)}")
        if self.published_on:
            parts.append(f"published {_long_date(self.published_on)}")
        return ", ".join(parts)

    def to_dict(self) -> dict:
        return {**asdict(self), "year": self.year, "kind_label": self.kind_label}


def citation_name(info: ReportInfo, base: Counter) -> str:
    """"Leeds 2022"; two reports of one authority published in one year: "Surrey June 2015"."""
    if base[(info.authority_key, info.year)] > 1 and info.published_on:
        return f"{info.authority} {month_year(info.published_on)}"
    return f"{info.authority} {info.year}".strip()


def citation_line(info: ReportInfo, passage_label: str) -> str:
    """A reference staff can paste: "Ofsted, Ealing children's services inspection, published 26 August 2016, ¶46"."""
    parts = [f"Ofsted, {info.authority} children's services {CITATION_KINDS.get(info.kind, 'inspection')}"]
    if info.published_on:
        parts.append(f"published {_long_date(info.published_on)}")
    elif info.inspection_start:
        parts.append(f"inspected {_span(info.inspection_start, info.inspection_end)}")
    return ", ".join([*parts, passage_label])


def _date(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def _long_date(iso: str) -> str:
    d = _date(iso)
    return f"{d.day} {MONTHS[d.month - 1].title()} {d.year}" if d else iso


def month_year(iso: str) -> str:
    d = _date(iso)
    return f"{MONTHS[d.month - 1].title()} {d.year}" if d else iso


def _span(start: str, end: str) -> str:
    a, b = _date(start), _date(end)
    if not a or not b or a == b:
        return _long_date(start)
    if a.year == b.year and a.month == b.month:
        return f"{a.day}–{b.day} {MONTHS[b.month - 1].title()} {b.year}"
    if a.year == b.year:
        return f"{a.day} {MONTHS[a.month - 1].title()} – {b.day} {MONTHS[b.month - 1].title()} {b.year}"
    return f"{_long_date(start)} – {_long_date(end)}"
