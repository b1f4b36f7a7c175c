"""The code, not the model, owns the citation format: one pattern, checked against what was retrieved."""

from __future__ import annotations

import re

from assistant.types import Answer, Citation, Source

CITATION = re.compile(r"\[([^\[\]]{1,120})\]")
REFUSAL = "The report does not say"


def cite(label: str) -> str:
    return f"[{label}]"


def citations_in(answer: str, sources: list[Source]) -> list[Citation]:
    """Citations in order of first use; a bracket that names no retrieved source is not a citation."""
    by_label = {s.label: s for s in sources}
    found: list[Citation] = []
    for match in CITATION.finditer(answer):
        source = by_label.get(match.group(1).strip())
        if source and source.citation not in found:
            found.append(source.citation)
    return found


def cited_answer(question: str, text: str, sources: list[Source], **fields) -> Answer:
    """An answer whose citations are those its text makes to ``sources``; ``fields`` set the rest."""
    return Answer(question=question, answer=text, citations=citations_in(text, sources), sources=sources, **fields)
