"""Parse an Ofsted children's services report from its PDF into the same passages as the Markdown path.

PDF → lines (`pdf_layout`: text layer, footnote markers, headers/footers, footnotes) → blocks
(`pdf_blocks`: headings, numbered paragraphs joined across wraps and page breaks, list items, prose)
→ a walk over the blocks that knows the reports' sections (this module): numbered paragraphs with
their section path and the unnumbered parts as passages cited by name; what the report says about
itself (authority, dates, kind of inspection, judgements) is read by `pdf_front`.

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
from pathlib import Path

from ingest.errors import ReportFormatError
from ingest.markdown import BACK_MATTER, ParsedReport, _check_numbering
from ingest.pdf_blocks import Block, Layout, assemble
from ingest.pdf_front import (
    GRADE, OVERALL_SIF, area_key, area_of, authority_from_path, authority_name, capitalised, classify, front_matter, grade_of, inspection_days, inspection_span, iso_date, judgements_from_table, later_front_page, long_date, path_names_authority, published_from_path, report_id_for,
)
from ingest.pdf_layout import read_lines, strip_page_furniture
from ingest.records import INSPECTION_DETAILS, build_paragraphs


# --- the walk ---------------------------------------------------------------------------------------

AREA_HEADING = re.compile(
    rf"^(?P<area>the experiences and progress of .+?|leadership, management and governance"
    rf"|the impact of leaders on .+?|overall effectiveness)"
    rf"(?:\s*[:–-]\s*|\s+(?:is|are|judgement is)\s+|\s+)(?P<grade>{GRADE})\.?$",
    re.I,
)
AREA_ONLY = re.compile(r"^(the experiences and progress of .+|leadership, management and governance)$", re.I)
GRADED_JUDGEMENT = re.compile(
    rf"graded judge?ment (?:for|about|on) (?:the )?(.+?) (?:is that it is|is that it|is|are) ({GRADE})\.?$", re.I
)
# Headings over what a report asks to improve: their own passage, cited by name.
IMPROVE_HEADINGS = (
    "what needs to improve", "what does the local authority need to improve", "what does the lscb need to improve",
    "areas for improvement", "areas for priority action",
)
# In 2014-15 SIF reports these open numbered recommendations, which run to the next other heading.
SIF_RECOMMENDATION_HEADINGS = (*IMPROVE_HEADINGS[1:], "priority and immediate action", "priority actions")
LSCB_PART = "The Local Safeguarding Children Board (LSCB)"
TABLE_HEADING = re.compile(r"key judgement\b.*\bgrade$", re.I)  # "Key judgement | Judgement grade", over an area's row
LSCB_GRADE = re.compile(
    rf"^(?:the effectiveness of )?the (?:local safeguarding children board|lscb)(?: \(lscb\))? (?:is |are )?({GRADE})\.?$",
    re.I,
)



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
    recommending: bool = False  # within a 2014-15 SIF report's numbered recommendations
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
        if self.mode == "numbered" and self.recommending:
            # a topic sub-heading between recommendations ("Care leavers"): with the heading's passage
            self.named.setdefault(self.current, []).append(text)
        elif self.mode == "numbered":
            label = self.section or self.part
            self.named.setdefault(label, []).append(text)
            self.position.setdefault(label, self.order)
        elif self.mode == "named":
            self.named.setdefault(self.current, []).append(text)
            self.position.setdefault(self.current, self.order)

    def judge(self, area: str, grade: str) -> None:
        area = re.sub(r"\s+", " ", area).strip(" .:")
        if grade and not any(area_key(area) == area_key(known) for known, _ in self.judgements):
            self.judgements.append((capitalised(area), grade_of(grade)))

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
        if lowered.startswith(SIF_RECOMMENDATION_HEADINGS):
            self.recommend(lowered)
        elif self.recommending:  # any other heading ends the recommendations
            self.recommending, self.section = False, self.area or self.part
        if TABLE_HEADING.match(text):
            return  # the header of a judgement table: its rows say what it holds
        if re.fullmatch(GRADE, text, re.I):
            if self.area and self.mode == "skip":
                self.judge(self.area, text)
            return
        if graded := GRADED_JUDGEMENT.search(text):
            sub = capitalised(graded.group(1))
            self.judge(sub, graded.group(2))
            self.start_numbered(f"{self.area_name()} > {sub}")
            self.add_text(text + ".")  # the sub-judgement's grade, as its section's first passage
            return
        if lowered.startswith("the local safeguarding children board (lscb)") or re.match(
            r"^section 2\b.*safeguarding children board", lowered
        ):
            self.part, self.area, self.mode = LSCB_PART, "", "skip"
            return
        if lscb := LSCB_GRADE.match(text):
            self.judge("Local Safeguarding Children Board", lscb.group(1))
            self.part = LSCB_PART
            self.start_named("LSCB executive summary", text + ".")
            return
        if area := AREA_HEADING.match(text):
            name = area.group("area")
            self.judge(name, area.group("grade"))
            if name.lower() == "overall effectiveness":
                return
            self.area = capitalised(name)
            self.start_numbered(self.area)  # ILACS: the numbered paragraphs follow the heading
            return
        if AREA_ONLY.match(text):
            self.area, self.section, self.mode = capitalised(text), "", "skip"
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
            self.start_named(INSPECTION_DETAILS)
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
        if lowered.startswith(IMPROVE_HEADINGS):
            label = text.rstrip("?").strip()
            self.start_named(label[0] + label[1:].lower() if lowered.startswith("what needs") else label)
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

    def recommend(self, lowered: str) -> None:
        """Numbered paragraphs from here on are recommendations, to the part the heading names."""
        if self.section.endswith("> Recommendations") and not self.recommending:
            return  # a sub-heading of a "Recommendations" section, already open
        part = LSCB_PART if "lscb" in lowered or self.part == LSCB_PART else self.part
        self.recommending, self.section = True, f"{part} > Recommendations"

    def area_name(self) -> str:
        return self.area or self.part

    layout: Layout = field(default_factory=lambda: Layout(12.0, 72.0))


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
    front = front_matter(text_lines, layout)
    start, end = inspection_span(front.inspection_dates)
    kind = classify(" ".join(front.title_lines) or all_text[:300], start, end, inspection_days(front.inspection_dates))
    if not kind:
        shown = " ".join(front.title_lines)[:120] or all_text[:120]
        raise ReportFormatError(
            f"{path.name} is not a recognised Ofsted children's services report (title: {shown!r})"
        )

    authority = authority_name(front.title_lines, fallback=authority_from_path(path))
    # The corpus layout (<authority>/<published>.pdf) adds the publication date ILACS reports do not
    # print, but only when the folder names the authority the report itself names.
    trusted = path if path_names_authority(path, authority) else None
    published_on = (published_from_path(trusted) if trusted else "") or iso_date(front.published)
    if report is None:
        report = report_id_for(trusted, authority, published_on or end)  # ILACS print no publication date

    walk = _Walk(report=report, layout=layout)
    walk.position["Judgements"] = 0
    judgement_text = [*(t.rstrip(".") + "." for t in [*front.title_lines, *front.printed_dates])]
    if front.lead_inspector:
        judgement_text.append(f"Lead inspector: {front.lead_inspector}.")
    for area, grade in judgements_from_table(front.judgement_lines):
        walk.judge(area, grade)
        if area == "Children's services overall":
            sentence = next((r for r in front.judgement_lines if OVERALL_SIF.match(r.strip())), "")
            judgement_text.append(sentence.rstrip(".") + ".")
        else:
            judgement_text.append(f"{area}: {grade_of(grade)}.")
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
    read_with_row: Block | None = None
    for order, (before, block, following) in enumerate(zip([None, *blocks], blocks, [*blocks[1:], None]), start=1):
        walk.order = order
        if (walk.contents_page and block.page == walk.contents_page) or block is read_with_row:
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
        row_area = ""
        if block.kind == "text" and (row := _judgement_row(text, following, before)):
            # a row of a "Key judgement / Judgement grade" table (2014–15 SIF reports); under the
            # table's own heading it opens its area
            area, grade, headed = row
            walk.judge(area, grade)
            if headed and area.lower() not in ("overall effectiveness", "children's services overall"):
                row_area = area
            if grade not in text:  # the grade was set as the next block: read with its row
                text, read_with_row = f"{text} {grade}", following
        if row_area:  # the row is the first line of its area's passage
            walk.area = capitalised(row_area)
            walk.start_numbered(walk.area)
        if walk.mode != "skip":
            walk.add_text("- " + text if block.kind == "bullet" else text)

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
        published=front.published or long_date(published_on),
        authority=authority,
        kind=kind,
        inspection_start=start,
        inspection_end=end,
        published_on=published_on,
        source=str(path),
        pages=pages,
    )


def _judgement_row(text: str, following: Block | None, before: Block | None) -> tuple[str, str, bool] | None:
    """(area, grade, under the table's heading) when a text block is a row of a judgement table: the
    two on one line, or (under the heading only) the area on its own with the grade as the next block."""
    if len(text) >= 200:
        return None
    headed = bool(before and before.kind == "heading" and TABLE_HEADING.match(before.text))
    if graded := AREA_HEADING.match(text):
        return graded.group("area"), graded.group("grade"), headed
    if overall := OVERALL_SIF.match(text):
        return "Children's services overall", overall.group(1), headed
    if (headed and AREA_ONLY.match(text) and following and following.kind == "text"
            and re.fullmatch(GRADE, following.text.strip(" ."), re.I)):
        return text, following.text.strip(" ."), True
    return None


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
