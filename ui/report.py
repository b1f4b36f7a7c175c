"""A read-only view of one report's passages: lookup, neighbours and sections."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.records import Paragraph


@dataclass
class ReportView:
    """Passages of one report in document order, with the lookups the UI needs."""

    report: str
    paragraphs: list[Paragraph]
    by_label: dict[str, Paragraph] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, report: str, paragraphs: list[Paragraph]) -> "ReportView":
        ordered = sorted(paragraphs, key=lambda p: p.order)
        view = cls(report=report, paragraphs=ordered)
        for p in ordered:
            view.by_label.setdefault(p.label, p)
            if p.section not in view.sections:
                view.sections.append(p.section)
        return view

    def get(self, label: str) -> Paragraph | None:
        return self.by_label.get(label)

    def index_of(self, label: str) -> int | None:
        para = self.by_label.get(label)
        if para is None:
            return None
        for i, p in enumerate(self.paragraphs):
            if p is para:
                return i
        return None

    def neighbours(self, label: str) -> tuple[Paragraph | None, Paragraph | None]:
        """The passages just before and after ``label`` in document order."""
        i = self.index_of(label)
        if i is None:
            return None, None
        prev = self.paragraphs[i - 1] if i > 0 else None
        nxt = self.paragraphs[i + 1] if i + 1 < len(self.paragraphs) else None
        return prev, nxt

    def in_section(self, section: str) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.section == section]

    def section_caption(self, section: str) -> str:
        """'Section name (¶11–¶42)' for pickers."""
        numbers = [p.number for p in self.in_section(section) if p.number is not None]
        if not numbers:
            return section
        if len(numbers) == 1:
            return f"{section}  (¶{numbers[0]})"
        return f"{section}  (¶{min(numbers)}–¶{max(numbers)})"


def passage_title(p: Paragraph) -> str:
    """'Paragraph 38' for a numbered paragraph, the section name otherwise."""
    if p.number is not None:
        return f"Paragraph {p.number}"
    return p.label
