"""Records that cross module boundaries: what an answer is made of."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Citation:
    """One cited passage of one report: a numbered paragraph (``paragraph=38, label="¶38"``, or
    "Leeds 2022 ¶38" with several reports loaded) or a named section."""

    paragraph: int | None
    label: str
    section: str
    report: str = ""  # the report id: the passage is looked up in this report, never another
    passage_label: str = ""  # the label inside its report ("¶38")


@dataclass(frozen=True)
class Source:
    """A retrieved passage, as shown to the answerer and to the user."""

    report: str
    paragraph: int | None
    label: str
    section: str
    text: str
    score: float
    passage_label: str = ""  # the label inside its report ("¶38"), when ``label`` names the report too

    @property
    def citation(self) -> Citation:
        return Citation(
            paragraph=self.paragraph, label=self.label, section=self.section, report=self.report,
            passage_label=self.passage_label or self.label,
        )


@dataclass
class Answer:
    """What ``Assistant.ask`` returns; the CLI, the app and the evaluation only display or score it."""

    question: str
    answer: str
    citations: list[Citation] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    abstained: bool = False
    standalone_question: str = ""
    # Why the answer looks the way it does (abstention reason, fallback reason); shown, never parsed.
    notes: list[str] = field(default_factory=list)
    # label -> the report sentences the answer used from that passage, for highlighting.
    highlights: dict[str, list[str]] = field(default_factory=dict)
    reports: list[str] = field(default_factory=list)  # the reports the question was answered from (ids)
    # The part of ``answer`` that answers (the sentence holding the figure or name asked for), when the
    # rest of it is supporting evidence: shown first, the rest folded under it.
    lead: str = ""

    def to_dict(self) -> dict:
        """The answer as JSON-serialisable data."""
        return asdict(self)
