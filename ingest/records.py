"""The record the parser yields and the index stores: one numbered paragraph or one named section."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ingest.tokens import count_tokens

# Raised whenever the parsers read a report differently (e.g. 2: the overall judgement of a wrapped
# sentence; 3: a page number is not a heading; 4: judgement rows printed "Requires Improvement", in lower
# case or overleaf, and "children’s service requires"; 5: "City of London" keeps its name): an index
# built by an older parser re-reads its reports on the next ingest.
PARSER_VERSION = "11"
JUDGEMENTS = "Judgements"  # the label of the passage that holds a report's judgement table
INSPECTION_DETAILS = "Information about this inspection"  # its team, its dates, the law it was made under


@dataclass(frozen=True)
class Paragraph:
    """A citable passage of a report: a numbered paragraph, or an unnumbered section cited by name."""

    report: str  # report id, e.g. "ealing-2016"
    number: int | None  # None for an unnumbered section
    label: str  # "¶38", or the section's name for an unnumbered section
    section: str  # section path, e.g. "The experiences ... permanence > Adoption performance"
    area: str  # judgement area, e.g. "adoption", "care leavers", "lscb", "general"
    text: str
    tokens: int  # cl100k_base token count
    order: int  # position in the document, for reading in order

    @property
    def key(self) -> str:
        """Stable id within the index: the same passage always gets the same id."""
        return f"{self.report}:{self.label}"


def build_paragraphs(
    report: str, passages: Iterable[tuple[int | None, str, str, str]], area_of: Callable[[str], str]
) -> list[Paragraph]:
    """Paragraph records from (number, label, section, text) already in document order."""
    return [
        Paragraph(
            report=report,
            number=number,
            label=label,
            section=section,
            area=area_of(section),
            text=text,
            tokens=count_tokens(text),
            order=order,
        )
        for order, (number, label, section, text) in enumerate(passages)
    ]
