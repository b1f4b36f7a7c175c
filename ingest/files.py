"""Which parser reads a report file, by what the file is (its first bytes), not only its name."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

from ingest.errors import ReportFormatError
from ingest.markdown import ParsedReport, parse_report
from ingest.records import PARSER_VERSION

REPORT_SUFFIXES = (".pdf", ".md", ".markdown")
# The largest report in the corpus is under 2 MB; anything this big is not one report.
MAX_REPORT_BYTES = 50 * 1024 * 1024


def read_report_bytes(path: Path) -> bytes:
    """The file's bytes, read once; refused past the size limit, checked before and while reading (it may grow)."""
    if not path.is_file():
        raise ReportFormatError(f"no report at {path}")
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(MAX_REPORT_BYTES + 1) if size <= MAX_REPORT_BYTES else b""
    if max(size, len(data)) > MAX_REPORT_BYTES:
        raise ReportFormatError(
            f"{path.name} is {max(size, len(data)) / 1024 / 1024:.0f} MB; "
            f"a report is at most {MAX_REPORT_BYTES // 1024 // 1024} MB"
        )
    return data


def digest(data: bytes) -> str:
    """sha256 of a report's bytes and the parser version (the formula of `assistant.retrieval.ingesting.file_digest`)."""
    hashed = hashlib.sha256(data)
    hashed.update(f"|parser {PARSER_VERSION}".encode())
    return hashed.hexdigest()


def sniff(data: bytes, path: Path) -> str:
    """"pdf", "markdown" or "empty", from the file's first bytes; refuse what is neither."""
    head = data[:1024]
    if not head:
        return "empty"
    if b"%PDF-" in head:
        return "pdf"
    if path.suffix.lower() == ".pdf":
        shown = head[:16].decode("latin-1").encode("unicode_escape").decode("ascii")
        raise ReportFormatError(f"{path.name} is named .pdf but is not a PDF (it starts {shown!r}, not '%PDF-')")
    if b"\x00" in head:
        raise ReportFormatError(f"{path.name} is binary, neither a PDF nor Markdown text")
    return "markdown"


def parse_path(
    path: str | Path,
    *,
    max_pages: int | None = None,
    max_characters: int | None = None,
    max_paragraph_chars: int | None = None,
) -> ParsedReport:
    """Parse a report file, PDF or Markdown, whatever its extension says; ReportFormatError when it cannot,
    or when it is not one children's services inspection report. The limits (the assistant passes its
    Settings') refuse a PDF of more pages or characters, or a report with a longer passage.

    The file is read once: the text parsed and the returned ``sha256`` come from the same bytes, so a file
    rewritten during ingest is never stored under the digest of another version of itself."""
    path = Path(path)
    data = read_report_bytes(path)
    kind = sniff(data, path)
    if kind == "empty":
        raise ReportFormatError(f"{path.name} is empty (0 bytes)")
    if kind == "pdf":
        from ingest.pdf import parse_pdf  # pypdfium2 is loaded only when a PDF is read

        parsed = parse_pdf(path, max_pages=max_pages, max_characters=max_characters, data=data)
    else:
        parsed = with_metadata(parse_report(path, data))
    check_is_report(parsed, path.name)
    if max_paragraph_chars is not None:
        check_paragraph_lengths(parsed, path.name, max_paragraph_chars)
    return replace(parsed, sha256=digest(data))


def check_is_report(parsed: ParsedReport, name: str) -> None:
    """Refuse, naming what is missing, a file that parsed but does not say what every Ofsted children's
    services report says on its front page: which inspection (its title), of which authority, and when.
    Numbered paragraphs alone are not enough: any list of notes has those."""
    missing = []
    if not parsed.kind:
        missing.append("title naming the inspection (e.g. \"Inspection of Ealing local authority children's services\")")
    if not parsed.authority:
        missing.append("local authority name")
    if not (parsed.inspection_start or parsed.published_on):
        missing.append("inspection or publication date (\"Inspection dates: …\", \"Report published: …\")")
    if missing:
        raise ReportFormatError(
            f"{name} is not an Ofsted children's services inspection report: it has no {'; no '.join(missing)}"
        )


def check_paragraph_lengths(parsed: ParsedReport, name: str, limit: int) -> None:
    """Refuse a report with a passage longer than any real paragraph: a damaged or mis-converted file."""
    longest = max(parsed.paragraphs, key=lambda p: len(p.text), default=None)
    if longest is not None and len(longest.text) > limit:
        raise ReportFormatError(
            f"{name}: {longest.label} is {len(longest.text):,} characters long, more than a paragraph of a report "
            f"holds (at most {limit:,}); the file is damaged or not converted paragraph by paragraph"
        )


def with_metadata(parsed: ParsedReport) -> ParsedReport:
    """Fill what a Markdown report says about itself the way the PDF path reads it (authority, dates, kind)."""
    from ingest.pdf_front import authority_name, classify, inspection_span, iso_date, slugify

    start, end = inspection_span(parsed.inspection_dates) if parsed.inspection_dates else ("", "")
    title_lines = [p for p in parsed.paragraphs if p.label == "Judgements"][:1]
    heading = title_lines[0].text.replace("\n", " ") if title_lines else parsed.title
    authority = parsed.authority or authority_name([parsed.title])
    published_on = parsed.published_on or (iso_date(parsed.published) if parsed.published else "")
    # One report, one id, whichever form it came in: the PDF and its Markdown conversion replace each other.
    report = f"{slugify(authority)}-{published_on}" if authority and published_on else parsed.report
    return replace(
        parsed,
        report=report,
        paragraphs=[replace(p, report=report) for p in parsed.paragraphs],
        authority=authority,
        inspection_start=parsed.inspection_start or start,
        inspection_end=parsed.inspection_end or end,
        published_on=published_on,
        kind=parsed.kind or classify(heading, start, end),
    )


def iter_report_files(paths) -> list[Path]:
    """Report files named or inside the folders named (recursively, sorted), each once, in the order given."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
        elif path.exists():
            candidates = [path]
        else:
            raise ReportFormatError(f"no report at {path}")
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found
