"""The page of a report's PDF that holds a cited paragraph, found by its first words and drawn as an image."""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path


def _words(text: str) -> list[str]:
    """Letters only: a footnote mark ("Board¹"), a paragraph number or a line-end hyphen never breaks a match."""
    letters = ("".join(c for c in word if c.isalpha()) for word in re.findall(r"\w+", (text or "").lower()))
    return [word for word in letters if word]


def pdf_of(source: str) -> Path | None:
    """The PDF a report was read from, when it was read from one that is still there."""
    path = Path(source or "")
    return path if path.suffix.lower() == ".pdf" and path.is_file() else None


@lru_cache(maxsize=8)
def _page_words(pdf: str) -> tuple[str, ...]:
    """Each page's text layer as its words joined by single spaces (read once per file)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            text = page.get_textpage()
            pages.append(" ".join(_words(text.get_text_range())))
            text.close()
            page.close()
        return tuple(pages)
    finally:
        document.close()


def find_page(pdf: Path, paragraph: str, words: int) -> int | None:
    """The 1-based number of the first page whose text holds the paragraph's first ``words`` words; None
    when no page does (or the file cannot be read)."""
    start = " ".join(_words(paragraph)[:words])
    if not start:
        return None
    try:
        pages = _page_words(str(pdf))
    except Exception:  # noqa: BLE001 - a missing or unreadable file only means no page image
        return None
    return next((n for n, text in enumerate(pages, 1) if start in text), None)


@lru_cache(maxsize=32)
def page_png(pdf: Path, number: int, scale: float) -> bytes:
    """Page ``number`` (1-based) of ``pdf`` as a PNG, ``scale`` pixels per PDF point."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[number - 1]
        image = page.render(scale=scale).to_pil()
        page.close()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
