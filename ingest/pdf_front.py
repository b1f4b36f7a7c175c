"""What an Ofsted report's PDF says about itself: its front page (title, authority, inspection dates,
the judgement table, which may run overleaf), the kind of inspection, and the names a corpus file's
path gives it. Read by ``pdf`` before it walks the report's body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ingest.markdown import AREAS
from ingest.pdf_blocks import Layout
from ingest.pdf_layout import Line

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

_OVERALL_ROW = re.compile(r"^overall effectiveness\b", re.I)  # the last row of an ILACS judgement table
NOT_AN_ITEM = re.compile(r"^(?:contents|page)$", re.I)

# Judgement areas of the ILACS framework, matched before the Markdown path's list.
ILACS_AREAS = [("impact of leaders", "leadership"), ("children in care and care leavers", "looked after"),
               ("children in care", "looked after"), ("care leavers", "care leavers"), ("care-experienced", "care leavers")]


def area_of(section: str) -> str:
    lowered = section.lower()
    for needle, area in [*AREAS[:2], *ILACS_AREAS, *AREAS[2:]]:
        if needle in lowered:
            return area
    return "general"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def grade_of(text: str) -> str:
    """A grade by its name, in sentence case: "Requires improvement to be good", "Good" (a sentence's
    "services … require improvement" is the grade "Requires improvement")."""
    return capitalised(re.sub(r"^require improvement", "requires improvement", re.sub(r"\s+", " ", text.strip()).lower()))


def area_key(area: str) -> str:
    key = re.sub(r"\s+", " ", area.lower().replace("’", "'")).strip(" .:")
    key = re.sub(r"^(?:the )?experiences? and progress of ", "", key)
    return re.sub(r"^the ", "", key)


def slugify(text: str) -> str:
    text = text.lower().replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def iso_date(text: str) -> str:
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
    end = iso_date(full[-1]) if full else ""
    start_match = re.match(rf"\s*(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+({MONTHS}))?(?:\s+(\d{{4}}))?", text)
    start = ""
    if start_match and end:
        day, month, year = start_match.groups()
        end_date = date.fromisoformat(end)
        month = month or end_date.strftime("%B")
        year = year or str(end_date.year)
        start = iso_date(f"{day} {month} {year}")
        if start and start > end:  # "28 December to 8 January 2016"
            start = iso_date(f"{day} {month} {int(year) - 1}")
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


# "Children's services in Ealing are good", "… in Bedford Borough require improvement to be good", "The
# overall judgement is that children’s service requires improvement" (sic, Newham 2014)
OVERALL_SIF = re.compile(
    rf"^(?:children['’]s services(?: in .+?)? (?:(?:are|is) )?|the overall judgement is (?:that children['’]s services? (?:(?:are|is) )?)?)"
    rf"({GRADE})\.?$",
    re.I,
)
OVERALL_START = re.compile(r"^(?:children['’]s services (?:in|are|is|require)|the overall judgement is)\b", re.I)


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


def front_matter(lines: list[Line], layout: Layout) -> _FrontMatter:
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
    graded_overall = False  # the overall effectiveness row has its grade: the table is over
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
            if GRADE_WORDS.fullmatch(text) or re.fullmatch(r"requires improvement(?: to)?|(?:to )?be good", text, re.I):
                grade_left = line.left if grade_left is None else min(grade_left, line.left)
                table.append(text)
                graded_overall = graded_overall or bool(_OVERALL_ROW.match(table[-2] if len(table) > 1 else ""))
                continue
            # The overall judgement is the table's last row: what follows is the summary, though its
            # first line may name a grade ("… in Medway are inadequate. Most areas have").
            wide = grade_left is not None and line.right > grade_left + 40 and not GRADE_WORDS.search(text)
            if graded_overall or wide:
                body_start = i
                break
            table.append(text)
            graded_overall = bool(_OVERALL_ROW.match(text) and GRADE_WORDS.search(text))
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
    return _FrontMatter(title, authority, dates, published, join_wrapped(table), body_start, lead, printed)


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


def join_wrapped(rows: list[str]) -> list[str]:
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


def judgements_from_table(rows: list[str]) -> list[tuple[str, str]]:
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


def long_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%-d %B %Y") if iso else ""


def published_from_path(path: Path) -> str:
    m = CORPUS_NAME.match(path.stem)
    if not m:
        return ""
    try:
        return date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        return ""


def authority_from_path(path: Path) -> str:
    if CORPUS_NAME.match(path.stem):
        return path.parent.name.replace("-", " ").title()
    return ""


def report_id_for(path: Path | None, authority: str, dated: str) -> str:
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
