"""Safe rendering of report and question text as Streamlit Markdown.

Everything that comes from the report or from a user is escaped before it is
handed to ``st.markdown``: no HTML, no Markdown syntax, no LaTeX, no
Streamlit directives can be smuggled in through the document or a question.
Highlighting is done by splitting the text into segments and wrapping only
*escaped* segments in a Streamlit directive that we write ourselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# Every ASCII punctuation character may be backslash-escaped in CommonMark, so
# escaping all of them is always safe and never changes what is displayed.
_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:^=&")

HIGHLIGHT_DIRECTIVE = "orange-background"


def escape_markdown(text: str) -> str:
    """Escape ``text`` so that ``st.markdown`` shows it literally.

    Line structure is kept (single and blank lines), but leading indentation is
    dropped so no line turns into a code block.
    """
    if not text:
        return ""
    out: list[str] = []
    for ch in text:
        if ch in _SPECIAL:
            out.append("\\" + ch)
        elif ch == "\t":
            out.append(" ")
        else:
            out.append(ch)
    escaped = "".join(out)
    # Indented lines would become code blocks; trailing double spaces are fine.
    return "\n".join(line.lstrip(" ") for line in escaped.split("\n"))


def escape_chunks(chunks: Iterable[str]) -> Iterator[str]:
    """Escape a stream of text chunks (escaping is per character, so chunk
    boundaries never matter)."""
    for chunk in chunks:
        if chunk:
            yield escape_markdown_inline(chunk)


def escape_markdown_inline(text: str) -> str:
    """Like :func:`escape_markdown` but keeps leading spaces (for stream chunks,
    where a chunk often starts with the space between two words)."""
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)


def _sentence_pattern(sentence: str) -> re.Pattern[str] | None:
    words = sentence.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def find_spans(text: str, sentences: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of ``sentences`` within ``text`` (whitespace-insensitive,
    then case-insensitive), merged and sorted. Sentences not found are skipped."""
    spans: list[tuple[int, int]] = []
    for sentence in sentences or []:
        if not sentence or not sentence.strip():
            continue
        pattern = _sentence_pattern(sentence.strip())
        if pattern is None:
            continue
        match = pattern.search(text) or re.compile(pattern.pattern, re.IGNORECASE).search(text)
        if match is None:
            # Tolerate a trailing citation or punctuation difference.
            stripped = sentence.strip().rstrip(".;:").strip()
            pattern = _sentence_pattern(stripped)
            match = pattern.search(text) if pattern else None
        if match is not None and match.end() > match.start():
            spans.append((match.start(), match.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def segments(text: str, sentences: Iterable[str]) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(segment, highlighted)`` pieces covering all of it."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in find_spans(text, sentences):
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text) or not out:
        out.append((text[pos:], False))
    return out


def highlighted_markdown(text: str, sentences: Iterable[str] | None = None) -> str:
    """Markdown for ``text`` with ``sentences`` highlighted; all text escaped."""
    parts: list[str] = []
    for segment, highlighted in segments(text, sentences or []):
        if not highlighted:
            parts.append(escape_markdown_inline(segment))
            continue
        # A directive cannot span a blank line: wrap each block separately.
        blocks = re.split(r"(\n\s*\n)", segment)
        for block in blocks:
            if not block.strip() or re.fullmatch(r"\n\s*\n", block):
                parts.append(block)
            else:
                lead = block[: len(block) - len(block.lstrip())]
                trail = block[len(block.rstrip()) :]
                inner = escape_markdown_inline(block.strip())
                parts.append(f"{lead}**:{HIGHLIGHT_DIRECTIVE}[{inner}]**{trail}")
    joined = "".join(parts)
    return "\n".join(line.lstrip(" \t") for line in joined.split("\n"))


def snippet(text: str, limit: int = 220) -> str:
    """The start of ``text`` on one line, cut at a word boundary."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def report_title(report_id: str) -> str:
    """'ealing-2016' -> 'Ealing 2016' (for display only)."""
    parts = (report_id or "").replace("_", "-").split("-")
    return " ".join(p if p.isdigit() else p.capitalize() for p in parts if p) or report_id
