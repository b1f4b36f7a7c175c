"""Parse an Ofsted children's services report from its PDF into the same passages as the Markdown path.

PDF → lines (`pdf_layout`: text layer, footnote markers, headers/footers, footnotes) → blocks
(`pdf_blocks`: headings, numbered paragraphs joined across wraps and page breaks, list items, prose)
→ a walk over the blocks that knows the reports' sections (this module): numbered paragraphs with
their section path, the unnumbered parts as passages cited by name, and what the report says about
itself (authority, dates, kind of inspection, judgements).

Kinds: ``sif`` (single inspection framework, 2014–2018, usually with the LSCB review),
``sif-reinspection``, ``lscb-review`` (an LSCB review published on its own), ``ilacs-standard`` and
``ilacs-short`` (2018 on; told apart by the length of the inspection: a week or less is short),
``focused-visit``, ``monitoring-visit`` and ``jtai`` (recognised by their titles).

A report is refused with `ReportFormatError` — never half-parsed — when it is not a PDF, is
truncated or damaged, has no text layer, is not an Ofsted report, or its numbered paragraphs
cannot be found or their numbering has gaps or repeats (the numbers are named).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ingest.errors import ReportFormatError
from ingest.markdown import AREAS, BACK_MATTER, ParsedReport, _check_numbering
from ingest.pdf_blocks import Block, Layout, assemble
from ingest.pdf_layout import Line, read_lines, strip_page_furniture
from ingest.records import build_paragraphs

GRADE = r"Outstanding|Good|Requires? improvement(?: to be good)?|Inadequate"
# A numbered row of a SIF judgement table: "2.2 Experiences and progress of care leavers".
TABLE_ROW = re.compile(r"^\d(?:\.\d)?\.?\s+[A-Z]")
# A grade in a judgement table starts with a capital; "Requires Improvement" is printed both ways.
TABLE_GRADE = r"Outstanding|Good|Requires? (?i:improvement)(?: (?i:to be good))?|Inadequate"
GRADE_WORDS = re.compile(rf"\b({GRADE})\b", re.I)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\s+\d{{4}}"
CORPUS_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})$")
# The line of a report's front page that gives the inspection dates ("Inspection dates: 1 to 12 May 2024").
INSPECTION_DATES = re.compile(r"^inspection dates?\s*:?\s*(.+)$", re.I)

NOT_AN_ITEM = re.compile(r"^(?:contents|page)$", re.I)

# Judgement areas of the ILACS framework, matched before the Markdown path's list.
ILACS_AREAS = [
    ("impact of leaders", "leadership"),
    ("children in care and care leavers", "looked after"),
    ("children in care", "looked after"),
    ("care leavers", "care leavers"),
    ("care-experienced", "care leavers"),
]


def area_of(section: str) -> str:
    lowered = section.lower()
    for needle, area in [*AREAS[:2], *ILACS_AREAS, *AREAS[2:]]:
        if needle in lowered:
            return area
    return "general"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _grade(text: str) -> str:
    """A grade by its name, in sentence case: "Requires improvement to be good", "Good" (a sentence's
    "services … require improvement" is the grade "Requires improvement")."""
    return _cap(re.sub(r"^require improvement", "requires improvement", re.sub(r"\s+", " ", text.strip()).lower()))


def _area_key(area: str) -> str:
    key = re.sub(r"\s+", " ", area.lower().replace("’", "'")).strip(" .:")
    key = re.sub(r"^(?:the )?experiences? and progress of ", "", key)
    return re.sub(r"^the ", "", key)


def slugify(text: str) -> str:
    text = text.lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _iso(text: str) -> str:
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip())
    try:
        return datetime.strptime(text, "%d %B %Y").date().isoformat()
    except ValueError:
        return ""


def inspection_span(text: str) -> tuple[str, str]:
    """ISO start and end dates of "4 November to 8 November 2019", "13 to 17 June 2022", "6–30 July 2015",
    and of an inspection in two parts ("5 to 9 December 2022 and 6 to 10 February 2023": first to last day)."""
    parts = [_one_span(part) for part in re.split(r"\s+and\s+", text) if part.strip()]
    parts = [part for part in parts if part[1]] or [("", "")]
    return parts[0][0], parts[-1][1]


def inspection_days(text: str) -> int:
    """Days on site, counting each part of a split inspection from its first to its last day."""
    total = 0
    for part in re.split(r"\s+and\s+", text):
        start, end = _one_span(part)
        if start and end:
            total += (date.fromisoformat(end) - date.fromisoformat(start)).days
    return total


def _one_span(text: str) -> tuple[str, str]:
    text = re.sub(r"\s+", " ", text.replace("–", " to ").replace("—", " to ").replace(" - ", " to "))
    full = re.findall(DATE, text)
    end = _iso(full[-1]) if full else ""
    start_match = re.match(rf"\s*(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+({MONTHS}))?(?:\s+(\d{{4}}))?", text)
    start = ""
    if start_match and end:
        day, month, year = start_match.groups()
        end_date = date.fromisoformat(end)
        month = month or end_date.strftime("%B")
        year = year or str(end_date.year)
        start = _iso(f"{day} {month} {year}")
        if start and start > end:  # "28 December to 8 January 2016"
            start = _iso(f"{day} {month} {int(year) - 1}")
    return start, end


# --- what kind of report ---------------------------------------------------------------------------

def classify(title: str, start: str = "", end: str = "", days: int | None = None) -> str:
    """The kind of inspection from the title lines of page 1 (and, for ILACS, its length)."""
    t = re.sub(r"\s+", " ", title.lower().replace("’", "'"))
    if "joint targeted area inspection" in t:
        return "jtai"
    if "focused visit" in t:
        return "focused-visit"
    if "monitoring visit" in t:
        return "monitoring-visit"
    if re.search(r"re-?inspection of services for children", t):
        return "sif-reinspection"
    if "inspection of services for children in need of help and protection" in t:
        return "sif"
    if "review of the effectiveness of the local safeguarding children board" in t:
        return "lscb-review"
    if re.search(r"inspection of .*children's (?:social care )?services|inspection of local authority children's"
                 r"|^inspection of .*(?:children and families trust|children's trust)", t):
        if days is None and start and end:
            days = (date.fromisoformat(end) - date.fromisoformat(start)).days
        if days is not None and days <= 7:
            return "ilacs-short"
        return "ilacs-standard"
    return ""


# --- the walk ---------------------------------------------------------------------------------------

AREA_HEADING = re.compile(
    rf"^(?P<area>the experiences and progress of .+?|leadership, management and governance"
    rf"|the impact of leaders on .+?|overall effectiveness)"
    rf"(?:\s*[:–-]\s*|\s+(?:is|are|judgement is)\s+|\s+)(?P<grade>{GRADE})\.?$",
    re.I,
)
AREA_ONLY = re.compile(r"^(the experiences and progress of .+|leadership, management and governance)$", re.I)
GRADED_JUDGEMENT = re.compile(
    rf"graded judgement (?:for|about|on) (?:the )?(.+?) (?:is that it is|is|are) ({GRADE})\.?$", re.I
)
LSCB_GRADE = re.compile(
    rf"^(?:the effectiveness of )?the (?:local safeguarding children board|lscb)(?: \(lscb\))? (?:is |are )?({GRADE})\.?$",
    re.I,
)
# "Children's services in Ealing are good", "… in Bedford Borough require improvement to be good", "The
# overall judgement is that children’s service requires improvement" (sic, Newham 2014)
OVERALL_SIF = re.compile(
    rf"^(?:children['’]s services(?: in .+?)? (?:(?:are|is) )?|the overall judgement is (?:that children['’]s services? (?:(?:are|is) )?)?)"
    rf"({GRADE})\.?$",
    re.I,
)
OVERALL_START = re.compile(r"^(?:children['’]s services (?:in|are|is|require)|the overall judgement is)\b", re.I)


@dataclass
class _Walk:
    report: str
    named: dict[str, list[str]] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)
    numbered: list[tuple[int, str, str]] = field(default_factory=list)  # (number, section, text)
    judgements: list[tuple[str, str]] = field(default_factory=list)
    part: str = "The local authority"
    area: str = ""
    section: str = ""
    mode: str = "named"  # named | numbered | skip
    current: str = "Judgements"
    order: int = 0
    contents_page: int = 0

    def start_named(self, label: str, first: str = "") -> None:
        self.mode, self.current = "named", label
        self.named.setdefault(label, [])
        self.position.setdefault(label, self.order)
        if first:
            self.named[label].append(first)

    def start_numbered(self, section: str) -> None:
        self.mode, self.section = "numbered", section

    def add_text(self, text: str) -> None:
        if not text:
            return
        if self.mode == "numbered":
            label = self.section or self.part
            self.named.setdefault(label, []).append(text)
            self.position.setdefault(label, self.order)
        elif self.mode == "named":
            self.named.setdefault(self.current, []).append(text)
            self.position.setdefault(self.current, self.order)

    def judge(self, area: str, grade: str) -> None:
        area = re.sub(r"\s+", " ", area).strip(" .:")
        if grade and not any(_area_key(area) == _area_key(known) for known, _ in self.judgements):
            self.judgements.append((_cap(area), _grade(grade)))

    # headings ----------------------------------------------------------------------------------
    def heading(self, block: Block) -> None:
        text = re.sub(r"\s+", " ", block.text).strip().rstrip(":")
        lowered = text.lower().replace("’", "'")
        if not text or re.fullmatch(r"\d{1,3}\.?", text):
            return  # a page number set large enough to look like a heading
        if self.contents_page and block.page == self.contents_page:
            return
        if lowered == "contents" or lowered.startswith("contents "):
            self.contents_page, self.mode = block.page, "skip"
            return
        if re.fullmatch(GRADE, text, re.I):
            if self.area and self.mode == "skip":
                self.judge(self.area, text)
            return
        if graded := GRADED_JUDGEMENT.search(text):
            sub = _cap(graded.group(1))
            self.judge(sub, graded.group(2))
            self.start_numbered(f"{self.area_name()} > {sub}")
            return
        if lowered.startswith("the local safeguarding children board (lscb)") or re.match(
            r"^section 2\b.*safeguarding children board", lowered
        ):
            self.part, self.area, self.mode = "The Local Safeguarding Children Board (LSCB)", "", "skip"
            return
        if lscb := LSCB_GRADE.match(text):
            self.judge("Local Safeguarding Children Board", lscb.group(1))
            self.part = "The Local Safeguarding Children Board (LSCB)"
            self.start_named("LSCB executive summary", text + ".")
            return
        if area := AREA_HEADING.match(text):
            name = area.group("area")
            self.judge(name, area.group("grade"))
            if name.lower() == "overall effectiveness":
                return
            self.area = _cap(name)
            self.start_numbered(self.area)  # ILACS: the numbered paragraphs follow the heading
            return
        if AREA_ONLY.match(text):
            self.area, self.mode = _cap(text), "skip"
            return
        if lowered in ("summary", "summary of key findings") and self.area:
            name = re.sub(r"^the experiences and progress of ", "", self.area, flags=re.I)
            self.start_named(f"Summary: {name[0].lower() + name[1:]}")
            return
        if lowered == "executive summary":
            if self.part.startswith("The Local Safeguarding"):
                if self.current != "LSCB executive summary" or self.mode != "named":
                    self.start_named("LSCB executive summary")
            else:
                self.start_named("Executive summary")
            return
        if lowered in ("the local authority", "section 1: the local authority", "section 1: the local authority"):
            self.part, self.area, self.mode = "The local authority", "", "skip"
            return
        if lowered.startswith("information about this local authority area") or lowered == "information about this area":
            self.start_named("Information about this local authority area")
            return
        if lowered.startswith(("information about this inspection", "information about this review")):
            self.start_named("Information about this inspection")
            return
        if lowered.startswith("summary for children"):
            self.start_named("Summary for children")
            return
        if lowered == "recommendations" or lowered.startswith("recommendations for"):
            self.start_numbered(f"{self.part} > Recommendations")
            return
        if lowered.startswith("inspection findings"):
            if self.part.startswith("The Local Safeguarding"):
                self.start_numbered(f"{self.part} > Inspection findings")
            else:
                self.start_numbered(self.area or self.part)
            return
        if lowered.startswith(("what needs to improve", "what does the local authority need to improve",
                               "what does the lscb need to improve", "areas for improvement",
                               "areas for priority action")):
            self.start_named(text.rstrip("?").strip())
            return
        if self.mode == "named" and self.current == "Judgements":
            self.named["Judgements"].append(text + ".")
            return
        big = block.first.size >= self.layout.size + 1.2
        if big:
            # A section of its own ("Summary of key findings", "Inspection judgements about …").
            self.area = self.area if self.mode == "numbered" else ""
            self.start_named(text)
            return
        if self.mode == "named":
            self.named[self.current].append(text + ":")  # a sub-heading stays part of its section's text
            return
        if self.mode == "numbered":
            self.add_text(text + ":")

    def area_name(self) -> str:
        return self.area or self.part

    layout: Layout = field(default_factory=lambda: Layout(12.0, 72.0))


@dataclass
class _FrontMatter:
    title_lines: list[str]
    authority_line: str
    inspection_dates: str
    published: str
    judgement_lines: list[str]
    body_start: int  # index of the first line after the front matter
    lead_inspector: str = ""
    printed_dates: list[str] = field(default_factory=list)


def _front_matter(lines: list[Line], layout: Layout) -> _FrontMatter:
    """Page 1 up to the end of the judgement table: title, dates and the graded judgements."""
    page_one = [i for i, line in enumerate(lines) if line.page == lines[0].page]
    title: list[str] = []
    printed: list[str] = []  # the date lines as printed
    dates = published = lead = ""
    table: list[str] = []
    i = 0
    body_start = page_one[-1] + 1 if page_one else 0
    grade_left = None
    in_table = False
    previous = page_one[0] if page_one else 0
    last_meta = -1
    for i in page_one:
        line = lines[i]
        text = line.text.strip()
        lowered = text.lower()
        if dates and re.search(r"\b(?:to|and)$|[–-]$", dates) and re.match(rf"^(?:{DATE}|\d{{1,2}}\b)", text):
            dates = f"{dates} {text}"  # the dates wrapped onto a second line
            printed[-1] = f"{printed[-1]} {text}"
            last_meta = i
            continue
        if m := INSPECTION_DATES.match(text):
            dates = m.group(1).strip()
            printed.append(text)
            last_meta = i
            continue
        if m := re.match(r"^(?:report )?published\s*:?\s*(.+)$", text, re.I):
            published = m.group(1).strip()
            printed.append(text)
            last_meta = i
            continue
        if m := re.match(r"^lead inspector\s*:?\s*(.+)$", text, re.I):
            lead = m.group(1).strip()
            last_meta = i
            continue
        if re.match(r"^(?:her|his) majesty.s inspector", lowered) or re.fullmatch(r"\d{1,3}", text):
            continue
        if re.match(r"^judgements?\s+grade$", lowered):
            in_table = True
            continue
        if in_table:
            if GRADE_WORDS.fullmatch(text) or re.fullmatch(r"(?:requires improvement|to be good)", text, re.I):
                grade_left = line.left if grade_left is None else min(grade_left, line.left)
                table.append(text)
                continue
            wide = grade_left is not None and line.right > grade_left + 40 and not GRADE_WORDS.search(text)
            if wide:
                body_start = i
                break
            table.append(text)
            continue
        if dates or published:
            table.append(text)  # SIF: the overall judgement and the numbered judgement rows
        elif title and _same_heading(lines[previous], line):
            title[-1] = f"{title[-1]} {text}"  # a title line that wraps
        else:
            title.append(text)
        previous = i
    authority = title[0] if title else ""
    if not in_table:
        if any(GRADE_WORDS.search(row) for row in table[:12]):
            body_start = _table_rows_overleaf(lines, page_one[-1] + 1, table)  # SIF: page 1 is the table
        else:
            table, body_start = [], last_meta + 1 if last_meta >= 0 else page_one[-1] + 1  # no table: a visit
    return _FrontMatter(title, authority, dates, published, _join_wrapped(table), body_start, lead, printed)


def _table_rows_overleaf(lines: list[Line], start: int, table: list[str]) -> int:
    """Where the body starts after page 1: past the judgement rows that run onto page 2 ("2.2 Experiences
    and progress of care leavers Requires improvement"), which are added to ``table``."""
    i = start
    while i < len(lines):
        text = lines[i].text.strip()
        if re.fullmatch(r"\d{1,3}", text):
            i += 1  # a page number
        elif TABLE_ROW.match(text) and (GRADE_WORDS.search(text) or (
                i + 1 < len(lines) and GRADE_WORDS.fullmatch(lines[i + 1].text.strip()))):
            table.append(text)
            i += 1
        elif table and TABLE_ROW.match(table[-1]) and GRADE_WORDS.fullmatch(text):
            table.append(text)  # the grade of the row before, on a line of its own
            i += 1
        else:
            return i
    return i


def _join_wrapped(rows: list[str]) -> list[str]:
    """Table rows with the overall judgement's sentence joined when it wraps ("Children's services in
    Lancashire require improvement to be" / "good"); the numbered rows that follow stay as they are."""
    joined: list[str] = []
    i = 0
    while i < len(rows):
        sentence, end = rows[i].strip(), i
        if OVERALL_START.match(sentence):
            while not OVERALL_SIF.match(sentence) and end + 1 < min(len(rows), i + 4) and not re.match(r"^\d", rows[end + 1].strip()):
                end += 1
                sentence = f"{sentence} {rows[end].strip()}"
            if OVERALL_SIF.match(sentence):
                joined.append(sentence)
                i = end + 1
                continue
        joined.append(rows[i])
        i += 1
    return joined


def _same_heading(previous: Line, line: Line) -> bool:
    return (
        abs(previous.size - line.size) < 0.6
        and previous.bold == line.bold
        and line.top > previous.top
        and line.top - previous.bottom < 0.6 * line.size
    )


def _judgements_from_table(rows: list[str]) -> list[tuple[str, str]]:
    """Area/grade pairs of the judgement table, in order."""
    pairs = []
    kept = []
    for row in rows:
        if overall := OVERALL_SIF.match(row.strip()):
            pairs.append(("Children's services overall", overall.group(1)))
        else:
            kept.append(row)
    text = re.sub(r"\s+", " ", " ".join(kept))
    for m in re.finditer(
        rf"(?:(?<=\s)|^)(?P<number>\d(?:\.\d)?\.?\s+)?(?P<area>[A-Z][^.]*?)\s+(?P<grade>(?i:{GRADE}))(?=\s|$)",
        text,
    ):
        # A grade in lower case ("2.1 Adoption performance good") counts only in a numbered row: elsewhere it is
        # a word of a sentence ("Good leadership means … good").
        if not m.group("number") and not re.fullmatch(TABLE_GRADE, m.group("grade")):
            continue
        area = m.group("area").strip()
        if re.search(r"\b(?:are|is|judgement is)$", area, re.I):
            area = re.sub(r"\s+(?:are|is|judgement is)$", "", area, flags=re.I)
        pairs.append((area, m.group("grade")))
    return pairs


AUTHORITY_PREFIX = re.compile(
    r"^(?:inspection of\s+)?(?:the\s+)?(?:london borough of|royal borough of|metropolitan borough of|"
    r"borough of|city of(?! london\b)|county of|council of the)\s+", re.I  # the City of London is its name
)
AUTHORITY_SUFFIX = re.compile(
    r"\s+(?:local authority children.s services|local authority|children.s services|"
    r"metropolitan district council|metropolitan borough council|metropolitan council|district council|"
    r"borough council|county council|city council|unitary authority|council|"
    r"metropolitan borough|metropolitan district|safeguarding children board)$",
    re.I,
)


def authority_name(title_lines: list[str], fallback: str = "") -> str:
    """"London Borough of Ealing" → "Ealing"; "Inspection of Dorset local authority children's services" → "Dorset"."""
    if not title_lines:
        return fallback
    first = title_lines[0]
    joined = " ".join(title_lines)
    lead_in = re.match(r"^(?:inspection of|focused visit to|monitoring visit to|joint targeted area inspection of)\s+",
                       first, re.I)
    if lead_in:
        m = re.match(r"^\S.*?(?:inspection of|visit to)\s+(.+?)\s+(?:local authority children|children)\S*\s+"
                     r"(?:social care\s+)?services", joined, re.I)
        name = m.group(1) if m else joined[lead_in.end():]
    else:
        name = first
    name = re.sub(r"\s+", " ", name).strip(" ,")
    for _ in range(3):
        name = AUTHORITY_PREFIX.sub("", name)
        name = AUTHORITY_SUFFIX.sub("", name).strip(" ,")
    return name or fallback


def later_front_page(lines: list[Line]) -> tuple[int, str] | None:
    """(page, title) of a front page after the first: a page whose title, above its inspection dates, names
    an inspection of children's services. The LSCB review a SIF report carries after its own findings has
    a front page of its own too (Kingston upon Hull 2015): it is part of the report, not another one."""
    first = lines[0].page if lines else 0
    by_page: dict[int, list[str]] = {}
    for line in lines:
        if line.page != first:
            by_page.setdefault(line.page, []).append(line.text.strip())
    for page, texts in by_page.items():
        dates = next((i for i, text in enumerate(texts) if INSPECTION_DATES.match(text)), None)
        if dates is None:
            continue
        title = re.sub(r"\s+", " ", " ".join(texts[max(0, dates - 6):dates]))
        if classify(title) not in ("", "lscb-review"):
            return page, title
    return None


def parse_pdf(
    path: str | Path,
    report: str | None = None,
    max_pages: int | None = None,
    max_characters: int | None = None,
    data: bytes | None = None,
) -> ParsedReport:
    """Parse a report's PDF; raise ReportFormatError (with the reason) when it cannot be parsed whole.
    ``data``: the file's bytes, already read (``path`` then only names the report); else the file is read."""
    path = Path(path)
    if data is None:
        if not path.is_file():
            raise ReportFormatError(f"no report at {path}")
        data = path.read_bytes()
    _check_pdf_bytes(data, path.name)
    lines, pages = read_lines(path, max_pages=max_pages, max_characters=max_characters, data=data)
    characters = sum(len(line.text) for line in lines)
    if characters < 200 * max(1, min(pages, 3)) / 3:
        raise ReportFormatError(
            f"{path.name} has no text layer ({pages} page(s), {characters} characters of text): "
            "a scanned or image-only PDF cannot be cited by paragraph"
        )
    if later := later_front_page(lines):  # read before the furniture goes: a repeated title may look like it
        page, title = later
        raise ReportFormatError(
            f"{path.name} holds more than one report: another starts on page {page} of {pages} ({title[:100]!r}); "
            "only the first would be indexed. Ingest each report as its own PDF"
        )
    text_lines, _furniture = strip_page_furniture(lines, pages)
    all_text = " ".join(line.text for line in text_lines[:400])
    if not re.search(r"ofsted|majesty.s inspector|\bHMI\b", " ".join(line.text for line in text_lines), re.I):
        raise ReportFormatError(f"{path.name} does not look like an Ofsted inspection report (no mention of Ofsted)")
    layout = Layout.of(text_lines)
    front = _front_matter(text_lines, layout)
    start, end = inspection_span(front.inspection_dates)
    kind = classify(" ".join(front.title_lines) or all_text[:300], start, end, inspection_days(front.inspection_dates))
    if not kind:
        shown = " ".join(front.title_lines)[:120] or all_text[:120]
        raise ReportFormatError(
            f"{path.name} is not a recognised Ofsted children's services report (title: {shown!r})"
        )

    authority = authority_name(front.title_lines, fallback=_authority_from_path(path))
    # The corpus layout (<authority>/<published>.pdf) adds the publication date ILACS reports do not
    # print, but only when the folder names the authority the report itself names.
    trusted = path if path_names_authority(path, authority) else None
    published_on = (_published_from_path(trusted) if trusted else "") or _iso(front.published)
    if report is None:
        report = _report_id(trusted, authority, published_on or end)  # ILACS print no publication date

    walk = _Walk(report=report, layout=layout)
    walk.position["Judgements"] = 0
    judgement_text = [*(t.rstrip(".") + "." for t in [*front.title_lines, *front.printed_dates])]
    if front.lead_inspector:
        judgement_text.append(f"Lead inspector: {front.lead_inspector}.")
    for area, grade in _judgements_from_table(front.judgement_lines):
        walk.judge(area, grade)
        if area == "Children's services overall":
            sentence = next((r for r in front.judgement_lines if OVERALL_SIF.match(r.strip())), "")
            judgement_text.append(sentence.rstrip(".") + ".")
        else:
            judgement_text.append(f"{area}: {_grade(grade)}.")
    if not front.judgement_lines and (overall := next((t for t in front.title_lines if OVERALL_SIF.match(t)), None)):
        walk.judge("Children's services overall", OVERALL_SIF.match(overall).group(1))
    walk.named["Judgements"] = judgement_text

    body = text_lines[front.body_start:]
    end_of_report = next((i for i, line in enumerate(body) if BACK_MATTER.match(line.text)), len(body))
    blocks = assemble(body[:end_of_report], layout)
    if kind.startswith("ilacs"):
        walk.start_named("Overall effectiveness")  # the unheaded summary under the judgement table
    elif kind in ("focused-visit", "monitoring-visit", "jtai"):
        walk.part = walk.section = "Findings"
        walk.start_named("Introduction")
    else:
        walk.mode = "named"
        walk.current = "Judgements"
    for order, block in enumerate(blocks, start=1):
        walk.order = order
        if walk.contents_page and block.page == walk.contents_page:
            continue
        if block.kind == "heading":
            walk.heading(block)
            continue
        if block.kind == "numbered" and not (walk.mode == "named" and walk.current == "Judgements"):
            if walk.mode != "numbered":
                walk.start_numbered(walk.section or walk.area or walk.part)
            walk.numbered.append((block.number, walk.section, block.text))
            walk.position[f"¶{block.number}:{len(walk.numbered)}"] = order
            continue
        text = block.text
        if block.kind == "text" and len(text) < 200 and (graded := AREA_HEADING.match(text) or OVERALL_SIF.match(text)):
            # a row of a "Key judgement / Judgement grade" table (2014–15 SIF reports)
            if graded.re is OVERALL_SIF:
                walk.judge("Children's services overall", graded.group(1))
            else:
                walk.judge(graded.group("area"), graded.group("grade"))
        if walk.mode == "skip":
            continue
        if block.kind == "bullet":
            text = "- " + text
        walk.add_text(text)

    numbers = [number for number, _, _ in walk.numbered]
    bullets = sum(1 for block in blocks if block.kind == "bullet")
    if not numbers and bullets >= 20:
        raise ReportFormatError(
            f"{path.name}: no numbered paragraphs found — its findings are {bullets} bullet points, "
            "which cannot be cited by paragraph number"
        )
    try:
        _check_numbering(numbers)
    except ReportFormatError as exc:
        raise ReportFormatError(f"{path.name}: {exc}") from None
    if empty := [number for number, _, text in walk.numbered if not text.strip()]:
        raise ReportFormatError(
            f"{path.name}: paragraph {', '.join(map(str, empty))} has a number but no text in the PDF"
        )

    passages: list[tuple[int | None, str, str, str, int]] = []
    for label, texts in walk.named.items():
        body_text = "\n".join(texts).strip()
        if body_text:
            passages.append((None, label, label, body_text, walk.position.get(label, 0)))
    for index, (number, section, text) in enumerate(walk.numbered, start=1):
        passages.append((number, f"¶{number}", section, text, walk.position[f"¶{number}:{index}"]))
    passages.sort(key=lambda p: (p[4], p[0] or 0))
    paragraphs = build_paragraphs(report, [p[:4] for p in passages], area_of)
    return ParsedReport(
        report=report,
        title=" ".join(front.title_lines[:1]) if kind.startswith("sif") or kind == "lscb-review" else authority,
        paragraphs=paragraphs,
        judgements=walk.judgements,
        inspection_dates=front.inspection_dates,
        published=front.published or _long_date(published_on),
        authority=authority,
        kind=kind,
        inspection_start=start,
        inspection_end=end,
        published_on=published_on,
        source=str(path),
        pages=pages,
    )


def _long_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%-d %B %Y") if iso else ""


def _published_from_path(path: Path) -> str:
    m = CORPUS_NAME.match(path.stem)
    if not m:
        return ""
    try:
        return date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        return ""


def _authority_from_path(path: Path) -> str:
    if CORPUS_NAME.match(path.stem):
        return path.parent.name.replace("-", " ").title()
    return ""


def _report_id(path: Path | None, authority: str, dated: str) -> str:
    """"<authority-slug>-<published>": from the corpus layout (pdfs/<authority>/<date>.pdf) when the path is
    trusted, else what the report says (the inspection's authority and its publication date, or the
    inspection's last day when it prints none)."""
    if path is not None and CORPUS_NAME.match(path.stem) and path.parent.name:
        return f"{slugify(path.parent.name)}-{path.stem}"
    if authority and dated:
        return f"{slugify(authority)}-{dated}"
    return slugify(authority) or (slugify(path.stem) if path is not None else "") or "report"


# Words that differ between an authority's folder name and the name its report prints.
_NAME_FILLER = {"the", "of", "and", "upon", "city", "borough", "district", "council", "county", "corporation",
                "trust", "children", "families"}


def path_names_authority(path: Path, authority: str) -> bool:
    """Does the corpus-style folder name the report's own authority ("kingston-upon-hull" and "Hull",
    "bedford" and "Bedford Borough")? Always true outside the corpus layout, where the path adds nothing."""
    if not (CORPUS_NAME.match(path.stem) and path.parent.name) or not authority:
        return True
    folder = set(slugify(path.parent.name).split("-")) - _NAME_FILLER
    printed = set(slugify(authority).split("-")) - _NAME_FILLER
    return bool(folder and printed) and (folder <= printed or printed <= folder)


def _check_pdf_bytes(data: bytes, name: str) -> None:
    size = len(data)
    if size == 0:
        raise ReportFormatError(f"{name} is empty (0 bytes)")
    head, tail = data[:1024], data[-2048:]
    if b"%PDF-" not in head:
        shown = head[:16].decode("latin-1").encode("unicode_escape").decode("ascii")
        raise ReportFormatError(f"{name} is not a PDF (it starts {shown!r}, not '%PDF-')")
    if b"%%EOF" not in tail:
        raise ReportFormatError(
            f"{name} is truncated or damaged: no end-of-file marker in its last bytes ({size:,} bytes)"
        )
