"""Parse an Ofsted children's services report (PDF-to-Markdown conversion) into citable passages.

The conversion has faults that are mended here, never by editing the file: paragraphs cut by a
page break carry on after a blank line or a footnote; numbers appear as "12. " and "- 123. ";
HTML fragments and footnotes are mixed in; numbered lines in the judgement table are not
paragraphs. Unnumbered parts (judgement table, summaries, area information) become passages
cited by their section name.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import ReportFormatError
from ingest.records import INSPECTION_DETAILS, JUDGEMENTS, Paragraph, build_paragraphs

GRADES = r"Outstanding|Good|Requires improvement(?: to be good)?|Inadequate"

NUMBERED = re.compile(r"^(?:[-*]\s+)?(\d{1,3})\.\s+(\S.*)$")
MD_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
BOLD_LINE = re.compile(r"^\s*(?:<p>)?\s*(?:<b>|\*\*)(.+?)(?:</b>|\*\*)\s*(?:</p>)?\s*$")
BOLD_WITH_GRADE = re.compile(rf"^\s*(?:<b>|\*\*)(.+?)(?:</b>|\*\*)\s*\t+\s*(?:<b>|\*\*)?({GRADES})(?:</b>|\*\*)?\s*$")
TABLE_ROW = re.compile(rf"^(.*?)\t+\s*({GRADES})\s*$")
SUMMARY_BLOCK = re.compile(r"^\s*<p>\s*<b>\s*Summary\s*</b>\s*</p>(.*)$", re.S)
FOOTNOTE = re.compile(r"^\s*<sup>\d+</sup>")
RULE = re.compile(r"^\s*-{2,}\s*$")
# Ofsted's standard back page (complaints, licence, address) is not part of the report's findings.
BACK_MATTER = re.compile(
    r"^\s*(?:Any complaints about the inspection or the report"
    r"|The Office for Standards in Education, Children.s Services and Skills"
    r"|Ofsted has published a report about|If you would like a copy of this document in a different format)",
    re.I,
)
GRADED_JUDGEMENT = re.compile(
    rf"graded judgement (?:for|about) (?:the )?(.+?) is that it is ({GRADES})", re.I
)
OVERALL = re.compile(rf"^children['’]s services in .+? (?:are|is) ({GRADES})\.?$", re.I)
LSCB_GRADE = re.compile(rf"local safeguarding children board (?:is )?({GRADES})", re.I)

# Judgement areas, matched against a section path (first match wins).
AREAS = [
    ("safeguarding children board", "lscb"),
    ("lscb", "lscb"),
    ("adoption", "adoption"),
    ("care leavers", "care leavers"),
    ("looked after", "looked after"),
    ("help and protection", "help and protection"),
    ("leadership", "leadership"),
]


@dataclass
class ParsedReport:
    """A report as parsed: its passages in document order and what it says about itself."""

    report: str
    title: str
    paragraphs: list[Paragraph]
    judgements: list[tuple[str, str]] = field(default_factory=list)
    inspection_dates: str = ""
    published: str = ""
    # Read from the report itself by the PDF path; empty where the Markdown path does not know them.
    authority: str = ""  # e.g. "Ealing"
    kind: str = ""  # sif, sif-reinspection, lscb-review, ilacs-standard, ilacs-short, focused-visit, monitoring-visit, jtai
    inspection_start: str = ""  # ISO dates
    inspection_end: str = ""
    published_on: str = ""
    source: str = ""  # the file it was parsed from
    pages: int = 0
    # sha256 of exactly the bytes parsed (and the parser version): set by `ingest.parse_path`, which reads once.
    sha256: str = ""

    @property
    def numbered(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.number is not None]


def clean(text: str) -> str:
    """Strip HTML and Markdown emphasis, footnote markers and doubled spaces."""
    text = re.sub(r"<sup>\d+</sup>", "", text)
    text = re.sub(r"</p>\s*<p>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("**", "")
    text = html.unescape(text)
    return re.sub(r"[ \t]+", " ", text).strip()


def area_of(section: str) -> str:
    lowered = section.lower()
    return next((area for needle, area in AREAS if needle in lowered), "general")


class _Builder:
    """Walks the lines once, keeping track of where in the report it is."""

    def __init__(self, report: str):
        self.report = report
        self.title = ""
        self.part = "The local authority"  # or the LSCB part
        self.area_heading = ""
        self.mode = "named"  # "named" | "numbered" | "skip"
        self.section = ""
        self.named: dict[str, list[str]] = {JUDGEMENTS: []}
        self.position: dict[str, int] = {JUDGEMENTS: 0}  # label -> line where it starts
        self.current_named = JUDGEMENTS
        self.numbered: list[tuple[int, str, list[str]]] = []  # (number, section, lines)
        self.open_paragraph = False
        self.judgements: list[tuple[str, str]] = []
        self.line_number = 0
        self.inspection_dates = ""
        self.published = ""

    # --- regions -------------------------------------------------------------------------
    def start_named(self, label: str, first_line: str = "") -> None:
        self.mode, self.current_named, self.open_paragraph = "named", label, False
        self.named.setdefault(label, [])
        self.position.setdefault(label, self.line_number)
        if first_line:
            self.named[label].append(first_line)

    def start_numbered(self, section: str) -> None:
        self.mode, self.section, self.open_paragraph = "numbered", section, False

    def add_text(self, text: str) -> None:
        if not text:
            return
        if self.mode == "numbered" and self.open_paragraph:
            self.numbered[-1][2].append(text)  # a paragraph carried on after a page break
        elif self.mode == "numbered":
            self.named.setdefault(self.section, []).append(text)
            self.position.setdefault(self.section, self.line_number)
        elif self.mode == "named":
            self.named[self.current_named].append(text)

    def add_judgement(self, area: str, grade: str) -> None:
        """Record a grade once: the table at the top and the area headings repeat each other."""
        name = re.sub(r"^the experiences and progress of ", "", area, flags=re.I).lower()
        if grade and not any(name == known.lower() for known, _ in self.judgements):
            self.judgements.append((area, grade))

    # --- headings ------------------------------------------------------------------------
    def heading(self, raw: str, grade: str = "") -> None:
        text = clean(raw).rstrip(":")
        lowered = text.lower()
        if not text:
            return
        if re.fullmatch(GRADES, text, re.I):
            return  # a grade on its own line, after its area heading
        if graded := GRADED_JUDGEMENT.search(text):
            sub = graded.group(1)[0].upper() + graded.group(1)[1:]
            self.start_numbered(f"{self.area_heading} > {sub}")
            self.add_text(text + ".")  # the sub-judgement's grade, as its section's first passage (as the PDF path)
            return
        if lowered.startswith("the experiences and progress of") or lowered.startswith("leadership, management"):
            self.area_heading = text
            self.add_judgement(text, grade)
            self.mode = "skip"
            return
        if lowered == "summary" and self.area_heading:
            name = re.sub(r"^the experiences and progress of ", "", self.area_heading, flags=re.I)
            self.start_named(f"Summary: {name[0].lower() + name[1:]}")
            return
        if lowered.startswith("the local safeguarding children board (lscb)"):
            self.part, self.area_heading = "The Local Safeguarding Children Board (LSCB)", ""
            self.mode = "skip"
            return
        if (lscb := LSCB_GRADE.search(text)) and not lowered.startswith("inspection findings"):
            grade_text = lscb.group(1)
            self.add_judgement("Local Safeguarding Children Board", grade_text[0].upper() + grade_text[1:])
            self.start_named("LSCB executive summary", text + ".")
            return
        if lowered == "executive summary":
            if self.part.startswith("The Local Safeguarding"):
                if self.current_named != "LSCB executive summary" or self.mode != "named":
                    self.start_named("LSCB executive summary")
            else:
                self.start_named("Executive summary")
            return
        if lowered == "contents":
            self.mode = "skip"
            return
        if lowered == "the local authority":
            self.part, self.mode = "The local authority", "skip"
            return
        if lowered.startswith("information about this local authority area"):
            self.start_named("Information about this local authority area")
            return
        if lowered.startswith("information about this inspection"):
            self.start_named(INSPECTION_DETAILS)
            return
        if lowered == "summary for children":
            self.start_named("Summary for children")
            return
        if lowered == "recommendations":
            self.start_numbered(f"{self.part} > Recommendations")
            return
        if lowered.startswith("inspection findings"):
            if self.part.startswith("The Local Safeguarding"):
                self.start_numbered(f"{self.part} > Inspection findings")
            else:
                self.start_numbered(self.area_heading or self.part)
            return
        if self.mode == "named" and self.current_named == JUDGEMENTS:
            self.named[JUDGEMENTS].append(text + ".")
            return
        if self.mode == "named":
            # A sub-heading inside a named section ("Local leadership") stays part of its text.
            self.named[self.current_named].append(text + ":")
            return
        if not self.title and raw.startswith("# "):
            self.title = text

    # --- lines ---------------------------------------------------------------------------
    def line(self, raw: str) -> None:
        if BACK_MATTER.match(raw):
            self.mode = "skip"
            self.back_matter = True
        if getattr(self, "back_matter", False):
            return
        if not raw.strip() or RULE.match(raw) or FOOTNOTE.match(raw):
            return
        if self.mode == "skip" and not (MD_HEADING.match(raw) or BOLD_LINE.match(raw) or NUMBERED.match(raw)):
            if not SUMMARY_BLOCK.match(raw) and not BOLD_WITH_GRADE.match(raw):
                return
        if summary := SUMMARY_BLOCK.match(raw):
            self.heading("Summary")
            for block in clean(summary.group(1).replace("</p>", "\n")).split("\n"):
                self.add_text(block.strip())
            return
        in_table = self.mode == "named" and self.current_named == JUDGEMENTS
        if (row := TABLE_ROW.match(raw)) and in_table:
            name = re.sub(r"^\d+(?:\.\d+)?\.?\s+", "", clean(row.group(1)))
            self.add_judgement(name, row.group(2))
            self.add_text(f"{name}: {row.group(2)}.")
            return
        if graded := BOLD_WITH_GRADE.match(raw):
            self.heading(graded.group(1), grade=graded.group(2))
            return
        if numbered := NUMBERED.match(raw):
            number = int(numbered.group(1))
            self.numbered.append((number, self.section, [clean(numbered.group(2))]))
            self.position[f"¶{number}"] = self.line_number
            self.open_paragraph = True
            if self.mode != "numbered":
                self.mode = "numbered"
            return
        if heading := MD_HEADING.match(raw):
            if not self.title and raw.startswith("# "):
                self.title = clean(heading.group(1))
                self.named[JUDGEMENTS].append(self.title + ".")
                return
            self.heading(heading.group(1))
            return
        if BOLD_LINE.match(raw) and "\t" not in raw:
            self.heading(raw)
            return
        text = clean(raw)
        if self.current_named == JUDGEMENTS and self.mode == "named":
            if overall := OVERALL.match(text):
                grade = overall.group(1)
                self.add_judgement("Children's services overall", grade[0].upper() + grade[1:])
            if text.lower().startswith("inspection date"):
                self.inspection_dates = text.split(":", 1)[-1].strip()
            elif text.lower().startswith("report published"):
                self.published = text.split(":", 1)[-1].strip()
            if not text.endswith((".", ":")) and len(text) < 200:
                text += "."
        self.add_text(text)


def _check_numbering(numbers: list[int]) -> None:
    if not numbers:
        raise ReportFormatError("no numbered paragraphs found: is this an Ofsted inspection report?")
    seen: set[int] = set()
    repeated = sorted({n for n in numbers if n in seen or seen.add(n)})
    missing = sorted(set(range(1, max(numbers) + 1)) - seen)
    problems = []
    if missing:
        problems.append(f"missing {', '.join(map(str, missing))}")
    if repeated:
        problems.append(f"repeated {', '.join(map(str, repeated))}")
    if problems:
        raise ReportFormatError(f"paragraph numbering is broken: {'; '.join(problems)}")


def parse_markdown(text: str, report: str) -> ParsedReport:
    """Parse the Markdown form of a report into passages; raise ReportFormatError when it cannot."""
    if not text.strip():
        raise ReportFormatError(f"report {report!r} is empty")
    builder = _Builder(report)
    for line_number, raw in enumerate(text.splitlines()):
        builder.line_number = line_number
        builder.line(raw)
    _check_numbering([number for number, _, _ in builder.numbered])

    passages: list[tuple[int | None, str, str, str]] = []  # (number, label, section, text)
    named_order = list(builder.named)
    for label in named_order:
        body = "\n".join(builder.named[label]).strip()
        if body:
            passages.append((None, label, label, body))
    for number, section, lines in builder.numbered:
        passages.append((number, f"¶{number}", section, " ".join(lines)))

    # Document order: where each passage starts in the file (numbers break ties on repeats).
    passages.sort(key=lambda p: (builder.position.get(p[1], 0), p[0] or 0))
    paragraphs = build_paragraphs(report, passages, area_of)
    return ParsedReport(
        report=report,
        title=builder.title,
        paragraphs=paragraphs,
        judgements=builder.judgements,
        inspection_dates=builder.inspection_dates,
        published=builder.published,
    )


def parse_report(path: str | Path, data: bytes | None = None) -> ParsedReport:
    """Read and parse a report file (or ``data``, its bytes already read); the report id is the file name
    without its extension."""
    path = Path(path)
    if data is None:
        if not path.is_file():
            raise ReportFormatError(f"no report at {path}")
        data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReportFormatError(f"{path.name} is not UTF-8 text (byte {exc.start}); give the Markdown report") from exc
    return parse_markdown(text, report=path.stem)
