"""Paragraphs → Chroma: each passage embedded in windows that all map back to the one passage.

A passage gets one window for its opening (the model reads at most 256 word pieces) and one per
sentence, so a long paragraph is still found by its later sentences. Ids derive from the report
and the passage label, so re-ingesting a report replaces its windows and never duplicates them.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document

from assistant.embeddings import SentenceEmbeddings
from assistant.errors import IndexUnavailable
from ingest import ParsedReport, Paragraph, split_sentences

log = logging.getLogger(__name__)

NO_NUMBER = -1  # Chroma metadata cannot hold None


def windows_of(paragraph: Paragraph) -> list[Document]:
    """The embedded windows of one passage: its opening, then each sentence."""
    base = {
        "report": paragraph.report,
        "label": paragraph.label,
        "paragraph": paragraph.number if paragraph.number is not None else NO_NUMBER,
        "section": paragraph.section,
        "area": paragraph.area,
        "order": paragraph.order,
        "tokens": paragraph.tokens,
    }
    docs = [Document(id=f"{paragraph.key}:p", page_content=paragraph.text, metadata={**base, "kind": "paragraph"})]
    for i, sentence in enumerate(split_sentences(paragraph.text)):
        docs.append(
            Document(id=f"{paragraph.key}:s{i}", page_content=sentence, metadata={**base, "kind": "sentence", "i": i})
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


class ReportIndex:
    """A persistent Chroma collection of passage windows, plus a small manifest of the reports in it."""

    def __init__(self, path: Path, collection: str, embeddings: SentenceEmbeddings):
        self.path = Path(path)
        self.embeddings = embeddings
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(
                path=str(self.path), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            )
            self.store = Chroma(
                client=client,
                collection_name=collection,
                embedding_function=embeddings,
                collection_configuration={"hnsw": {"space": "cosine"}},
            )
        except Exception as exc:  # Chroma raises many kinds on a damaged store
            raise IndexUnavailable(
                f"cannot open the index at {self.path} ({exc}); delete that folder and run "
                "`python -m assistant ingest` to rebuild it"
            ) from exc
        self.collection_name = collection
        self.manifest_path = self.path / f"{collection}.reports.json"

    # --- reports -------------------------------------------------------------------------
    def reports(self) -> dict[str, dict]:
        """Report id → what the report says about itself (title, dates, judgements)."""
        if not self.manifest_path.exists():
            return {}
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    def has_report(self, report: str, digest: str | None = None) -> bool:
        """Is this report indexed (and, given its digest, from the same file contents)?"""
        entry = self.reports().get(report)
        if not entry or (digest and entry.get("sha256") != digest):
            return False
        return bool(self.store.get(where={"report": report}, limit=1)["ids"])

    def add_report(self, parsed: ParsedReport, source: str = "", digest: str = "") -> int:
        """Index a parsed report, replacing any earlier copy of it; returns the number of windows."""
        docs = [doc for paragraph in parsed.paragraphs for doc in windows_of(paragraph)]
        self.remove_report(parsed.report)
        batch = 2000
        for start in range(0, len(docs), batch):
            chunk = docs[start : start + batch]
            self.store.add_documents(chunk, ids=[d.id for d in chunk])
        manifest = self.reports()
        manifest[parsed.report] = {
            "title": parsed.title,
            "inspection_dates": parsed.inspection_dates,
            "published": parsed.published,
            "judgements": parsed.judgements,
            "passages": len(parsed.paragraphs),
            "numbered": len(parsed.numbered),
            "windows": len(docs),
            "source": source,
            "sha256": digest,
        }
        self.manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        return len(docs)

    def remove_report(self, report: str) -> None:
        self.store.delete(where={"report": report})

    # --- reading -------------------------------------------------------------------------
    def paragraphs(self, report: str | None = None) -> list[Paragraph]:
        """Every passage, in document order."""
        where = {"kind": "paragraph"} if report is None else {"$and": [{"kind": "paragraph"}, {"report": report}]}
        got = self.store.get(where=where, include=["documents", "metadatas"])
        paragraphs = [paragraph_from(text, meta) for text, meta in zip(got["documents"], got["metadatas"])]
        return sorted(paragraphs, key=lambda p: (p.report, p.order))

    def count(self) -> int:
        return self.store._collection.count()

    def search_windows(self, vector: list[float], n: int, report: str | None = None) -> list[tuple[Document, float]]:
        """Nearest windows to a query vector, with cosine similarity (higher is closer)."""
        where = {"report": report} if report else None
        hits = self.store.similarity_search_by_vector_with_relevance_scores(vector, k=n, filter=where)
        return [(doc, 1.0 - distance) for doc, distance in hits]

    def sentences(self, report: str, labels: list[str]) -> list[tuple[str, str, int, list[float]]]:
        """(label, sentence, index, vector) for the sentences of the given passages."""
        where = {"$and": [{"report": report}, {"kind": "sentence"}, {"label": {"$in": labels}}]}
        got = self.store.get(where=where, include=["documents", "metadatas", "embeddings"])
        return [
            (meta["label"], text, int(meta["i"]), list(vector))
            for text, meta, vector in zip(got["documents"], got["metadatas"], got["embeddings"])
        ]
