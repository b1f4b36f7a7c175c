"""A passage as the index stores it: one embedded window for its opening and one per sentence, each
carrying the passage's metadata, and the passage read back from that metadata."""

from __future__ import annotations

from langchain_core.documents import Document

from ingest import Paragraph, split_sentences

NO_NUMBER = -1  # Chroma metadata cannot hold None


def window_prefix(key: str, generation: str = "") -> str:
    """What every window id of the passage ``key`` (``report:label``) begins with, in one version."""
    return f"{key}:{generation}" if generation else key


def windows_of(paragraph: Paragraph, generation: str = "") -> list[Document]:
    """The embedded windows of one passage: its opening, then each sentence.

    ``generation`` (from the report file's digest) keeps a new version's windows apart from the
    old one's until the new one is complete, so a failed ingest never mixes the two.
    """
    prefix = window_prefix(paragraph.key, generation)
    base = {
        "generation": generation,
        "report": paragraph.report,
        "label": paragraph.label,
        "paragraph": paragraph.number if paragraph.number is not None else NO_NUMBER,
        "section": paragraph.section,
        "area": paragraph.area,
        "order": paragraph.order,
        "tokens": paragraph.tokens,
    }
    docs = [Document(id=f"{prefix}:p", page_content=paragraph.text, metadata={**base, "kind": "paragraph"})]
    for i, sentence in enumerate(split_sentences(paragraph.text)):
        docs.append(
            Document(id=f"{prefix}:s{i}", page_content=sentence, metadata={**base, "kind": "sentence", "i": i})
        )
    return docs


def paragraph_from(doc_text: str, meta: dict) -> Paragraph:
    number = meta["paragraph"]
    return Paragraph(
        report=meta["report"],
        number=None if number == NO_NUMBER else int(number),
        label=meta["label"],
        section=meta["section"],
        area=meta["area"],
        text=doc_text,
        tokens=int(meta["tokens"]),
        order=int(meta["order"]),
    )
