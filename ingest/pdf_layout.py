"""Read the text layer of a PDF as lines with their place and type size (pypdfium2).

This is the only module that touches the PDF library. It yields, page by page, the lines pdfium
reads in order, each with where it sits on the page, its type size and whether it is bold, and
mends what the text layer gets wrong before anything looks at the words:

- superscript footnote markers ("Board¹", "schools,³") are dropped, and a line that pdfium split
  at a superscript is put back together;
- a hyphen pdfium marks as breakable at a line end (U+FFFE) is a real hyphen in these reports
  ("co-location", "multi-agency"): it is kept as "-";
- symbol-font bullets (Wingdings private-use characters) become "•";
- ligatures (U+FB00–FB06) are spelt out.

Running headers and footers, page numbers and footnotes are found across pages by
`strip_page_furniture`, which works on the lines alone so that it can be tested without a PDF.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.errors import ReportFormatError

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
_LIGATURE_RE = re.compile("[\ufb00-\ufb06]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BROKEN_WORD = re.compile("\ufffe(?=[^\r\n])")


@dataclass(frozen=True)
class Line:
    """One line of text as printed: page (1-based), box in points from the page's top-left, type size."""

    text: str
    page: int
    top: float
    bottom: float
    left: float
    right: float
    size: float
    bold: bool = False
    page_height: float = 842.0
    marker: bool = False  # starts with a superscript number (a footnote's own line)


def normalise(text: str) -> str:
    """Spell out ligatures, turn symbol-font bullets into "•" and breakable hyphens into "-"."""
    text = _LIGATURE_RE.sub(lambda m: LIGATURES[m.group(0)], text)
    text = text.replace("\ufffe", "-").replace("\u00ad", "-").replace("\u00a0", " ")
    text = _PRIVATE_USE.sub("•", text)
    return text


_MARKER_ONLY = object()


class _PageReader:
    """Lines of one page from pdfium's text page, with a few character queries per line."""

    def __init__(self, page: pdfium.PdfPage, number: int):
        self.number = number
        self.width, self.height = page.get_size()
        self.textpage = page.get_textpage()
        self.raw = self.textpage.raw
        self._font = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()
        self._matrix = pdfium_c.FS_MATRIX()

    def size(self, i: int) -> float:
        """Type size as printed: the font size times the text matrix's scale (some PDFs set 1 pt × 12)."""
        pdfium_c.FPDFText_GetMatrix(self.raw, i, self._matrix)
        m = self._matrix
        scale = abs(m.a * m.d - m.b * m.c) ** 0.5 or 1.0
        return pdfium_c.FPDFText_GetFontSize(self.raw, i) * scale

    def bold(self, i: int) -> bool:
        if pdfium_c.FPDFText_GetFontWeight(self.raw, i) >= 600:
            return True
        pdfium_c.FPDFText_GetFontInfo(self.raw, i, self._font, 128, ctypes.byref(self._flags))
        name = self._font.value.decode("latin-1", "replace").lower()
        return "bold" in name or "black" in name or "heavy" in name

    def box(self, i: int) -> tuple[float, float, float, float]:
        # left, bottom, right, top in PDF points (origin bottom-left); the loose box spans the font's
        # ascent and descent, so lines of the same type have the same height whatever their letters.
        return self.textpage.get_charbox(i, loose=True)

    def lines(self) -> list[Line]:
        text = self.textpage.get_text_range()
        out: list[Line] = []
        pending_marker = False
        for start, end in self._spans(text):
            line = self._line(text, start, end)
            if line is _MARKER_ONLY:
                pending_marker = True  # a footnote number printed on a line of its own
            elif line is not None:
                if pending_marker:
                    line, pending_marker = replace(line, marker=True), False
                if out and _same_visual_line(out[-1], line):
                    out[-1] = _join(out[-1], line)
                else:
                    out.append(line)
        self.textpage.close()
        return out

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each line of the text page. pdfium marks a word broken at a line's end
        with U+FFFE and no line break before the next line (joined as one word: "Stockton-on-Tees"),
        nor before a footnote further down the page, which starts a line of its own."""
        ends = [(m.start(), m.end()) for m in _LINE_BREAK.finditer(text)]
        for hyphen in (m.start() for m in _BROKEN_WORD.finditer(text)):
            _, foot, _, top = self.box(hyphen - 1)
            if foot - self.box(hyphen + 1)[3] > top - foot:  # a line's height or more between them
                ends.append((hyphen + 1, hyphen + 1))
        spans, start = [], 0
        for end, after in sorted(ends):
            spans.append((start, end))
            start = after
        return [*spans, (start, len(text))]

    def _line(self, text: str, start: int, end: int):
        chars = [i for i in range(start, end) if not text[i].isspace()]
        if not chars:
            return None
        # The line's own type size: the largest among a few sampled letters (a superscript is
        # smaller; a bullet or other symbol may be set larger than its item's text, so not those).
        letters = [i for i in chars if text[i].isalpha()] or [i for i in chars if not text[i].isdigit()] or chars
        sample = letters[:3] + letters[len(letters) // 2 : len(letters) // 2 + 1] + letters[-2:]
        sizes = [self.size(i) for i in sample]
        size = max(sizes)
        keep = []
        marker = False
        i = start
        while i < end:
            ch = text[i]
            if ch.isdigit():
                run_end = i
                while run_end < end and text[run_end].isdigit():
                    run_end += 1
                before = text[i - 1] if i > start else " "
                at_start = not text[start:i].strip()
                glued = not before.isspace() and not before.isdigit() and before not in "£$€(-–/"
                if (glued or at_start) and self.size(i) < 0.8 * size:
                    marker = marker or at_start
                    i = run_end
                    continue  # a superscript footnote marker
                keep.append(text[i:run_end])
                i = run_end
                continue
            keep.append(ch)
            i += 1
        body = normalise("".join(keep)).strip()
        if not body:
            return _MARKER_ONLY if marker else None
        first, last = chars[0], chars[-1]
        boxes = [self.box(i) for i in {first, last, letters[0], letters[-1]}]
        left = min(b[0] for b in boxes)
        right = max(b[2] for b in boxes)
        top = max(b[3] for b in boxes)
        bottom = min(b[1] for b in boxes)
        bold = self.bold(letters[0]) and self.bold(letters[-1])
        return Line(
            text=body,
            page=self.number,
            top=self.height - top,
            bottom=self.height - bottom,
            left=left,
            right=right,
            size=round(size, 1),
            bold=bold,
            page_height=self.height,
            marker=marker,
        )


def _same_visual_line(previous: Line, line: Line) -> bool:
    """pdfium starts a new line after a raised superscript; the rest of the printed line follows."""
    if line.page != previous.page or line.left < previous.right - 2 or abs(line.size - previous.size) > 0.5:
        return False
    overlap = min(previous.bottom, line.bottom) - max(previous.top, line.top)
    return overlap > 0.6 * min(previous.bottom - previous.top, line.bottom - line.top)


def _join(previous: Line, line: Line) -> Line:
    return replace(
        previous,
        text=f"{previous.text} {line.text}",
        right=line.right,
        top=min(previous.top, line.top),
        bottom=max(previous.bottom, line.bottom),
    )


def open_pdf(path: str | Path, data: bytes | None = None) -> pdfium.PdfDocument:
    """Open a PDF (from ``data`` when given: the bytes already read, ``path`` naming them); refuse clearly
    what pdfium cannot read (not a PDF, damaged, encrypted)."""
    path = Path(path)
    try:
        return pdfium.PdfDocument(data if data is not None else str(path))
    except pdfium.PdfiumError as exc:
        reason = str(exc).split(":", 1)[-1].strip().rstrip(".").lower() or "unreadable"
        raise ReportFormatError(f"{path.name} cannot be read as a PDF ({reason})") from exc


def read_lines(
    path: str | Path, max_pages: int | None = None, max_characters: int | None = None, data: bytes | None = None
) -> tuple[list[Line], int]:
    """Every printed line of the PDF in reading order, and the number of pages. Past ``max_pages`` the
    file is refused before any page is read; past ``max_characters`` as soon as a page's text (counted
    before its lines are read) takes the total over, so a file that decompresses into far more than a
    report is not read whole. ``data``: the file's bytes, already read."""
    name = Path(path).name
    document = open_pdf(path, data)
    try:
        pages = len(document)
        if max_pages is not None and pages > max_pages:
            raise ReportFormatError(
                f"{name} has {pages:,} pages; a report has at most {max_pages:,}: is it several reports joined "
                "into one file? Ingest each report as its own PDF"
            )
        lines: list[Line] = []
        characters = 0
        for number in range(pages):
            page = document[number]
            try:
                reader = _PageReader(page, number + 1)
                characters += reader.textpage.count_chars()
                if max_characters is not None and characters > max_characters:
                    reader.textpage.close()
                    raise ReportFormatError(
                        f"{name} holds more than {max_characters:,} characters of text by page {number + 1} of "
                        f"{pages}; a report holds far fewer: it is not one report, or it is damaged"
                    )
                lines.extend(reader.lines())
            finally:
                page.close()
        return lines, pages
    finally:
        document.close()


# --- page furniture ---------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s+(?:of|/)\s+\d{1,3})?$", re.I)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def body_size(lines: list[Line]) -> float:
    """The type size most of the text is set in (weighted by characters)."""
    counts: Counter[float] = Counter()
    for line in lines:
        counts[line.size] += len(line.text)
    return counts.most_common(1)[0][0] if counts else 0.0


def strip_page_furniture(lines: list[Line], pages: int) -> tuple[list[Line], list[Line]]:
    """Split lines into (text, furniture): running headers/footers, page numbers and footnotes.

    A header or footer sits in the top or bottom band of the page and repeats, digits aside, on
    several pages (or is a bare page number). A footnote is a block at the foot of a page, in type
    smaller than the body, whose first line starts with its (superscript) number.
    """
    if not lines:
        return [], []
    band_keys: Counter[str] = Counter()
    for line in lines:
        if _in_band(line):
            band_keys[_furniture_key(line.text)] += 1
    repeats = max(2, min(4, pages // 3 or 1))
    furniture: set[int] = set()
    for index, line in enumerate(lines):
        if not _in_band(line):
            continue
        key = _furniture_key(line.text)
        if _PAGE_NUMBER.match(line.text.strip()) or (band_keys[key] >= repeats and pages > 1):
            furniture.add(index)

    size = body_size([line for i, line in enumerate(lines) if i not in furniture])
    by_page: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        if index not in furniture:
            by_page.setdefault(line.page, []).append(index)
    for indices in by_page.values():
        # Footnotes: from the last line up, lines in smaller type in the lower part of the page,
        # back to one that starts with a footnote number.
        block: list[int] = []
        for index in sorted(indices, key=lambda i: lines[i].top, reverse=True):
            line = lines[index]
            if line.size >= size - 0.9 or line.top < 0.45 * line.page_height:
                break
            block.append(index)
        starts = [i for i in block if lines[i].marker or re.match(r"^(\d{1,2}|\*)\s*\S", lines[i].text)]
        if starts:
            first = min(starts, key=lambda i: lines[i].top)
            furniture.update(i for i in block if lines[i].top >= lines[first].top - 0.5)
    text = [line for i, line in enumerate(lines) if i not in furniture]
    dropped = [line for i, line in enumerate(lines) if i in furniture]
    return text, dropped


def _in_band(line: Line) -> bool:
    return line.top < 0.085 * line.page_height or line.bottom > 0.915 * line.page_height
