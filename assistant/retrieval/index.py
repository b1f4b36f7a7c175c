"""Paragraphs → Chroma: each passage embedded in windows that all map back to the one passage.

A passage gets one window for its opening (the model reads at most 256 word pieces) and one per
sentence, so a long paragraph is still found by its later sentences. Ids derive from the report
and the passage label, so re-ingesting a report replaces its windows and never duplicates them.
"""

from __future__ import annotations

import fcntl
import functools
import json
import logging
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import chromadb
import numpy as np
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from assistant.errors import IndexUnavailable
from assistant.retrieval.integrity import READ_ONLY_WORDS, IndexCheck, private_copy, rebuild_advice, writable
from assistant.retrieval.passage_windows import paragraph_from, window_prefix, windows_of
from assistant.text import embeddable, words
from assistant.retrieval.word_vectors import WordVectors
from ingest import ParsedReport, Paragraph, split_sentences

log = logging.getLogger(__name__)

WRITE_BATCH = 2000  # windows per Chroma write
READ_PAGE = 5000  # records per Chroma read
VERSION_ID = "~version"  # the manifest record every write changes, so readers know to reload


def chroma_client(path: Path, host: str | None = None, port: int = 8000) -> chromadb.ClientAPI:
    """The embedded store on local disk, or a Chroma server when a host is configured."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if host:
        return chromadb.HttpClient(host=host, port=port, settings=settings)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def _writes(method):
    """A write to a read-only index is refused in one line: before it starts, or when the disk refuses it."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        if self.read_only:
            raise IndexUnavailable(self.read_only_message())
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            if isinstance(exc, PermissionError) or any(word in str(exc).lower() for word in READ_ONLY_WORDS):
                raise IndexUnavailable(self.read_only_message()) from exc
            raise

    return guarded


def open_here(path: Path) -> bool:
    """Has chromadb this store open in this process already? Then this open reads none of its files, and a
    check would be a second process on files this one writes."""
    return str(path) in getattr(SharedSystemClient, "_identifier_to_system", {})


class ReportIndex:
    """A Chroma collection of passage windows, plus a small manifest of the reports in it.

    The manifest (titles, dates, judgements) is a collection of its own, so a Chroma server holds
    everything the assistant needs and several app servers can share it.
    """

    def __init__(
        self,
        path: Path,
        collection: str,
        embeddings: Embeddings,
        host: str | None = None,
        port: int = 8000,
        integrity_timeout: float | None = 120.0,
        started_check: IndexCheck | None = None,
    ):
        self.path = Path(path)
        self.location = f"http://{host}:{port}" if host else str(self.path)
        self._server = (host, port)
        self.embeddings = embeddings
        self._manifest: tuple[str, dict[str, dict]] | None = None  # (version, reports) as last read
        self._manifest_lock = threading.Lock()  # answering threads read it while an ingest writes
        self._manifest_writes = 0  # this object's own writes to the manifest
        # chromadb writes as it opens a store: a folder this process may not write is read from a copy.
        self.read_only = not host and not writable(self.path)
        opened = self.path
        if self.read_only:
            try:
                opened = private_copy(self.path)
            except OSError as exc:
                raise IndexUnavailable(f"cannot read the index at {self.path} ({exc})") from exc
        # A server owns its files; a damaged local one must not crash us. None: checked when first opened.
        if not host and integrity_timeout is not None and not open_here(opened):
            check = started_check if started_check is not None and started_check.path == opened else IndexCheck(opened)
            check.verdict(integrity_timeout, shown_as=self.path)
        if started_check is not None:
            started_check.cancel()  # not needed after all (a private copy, or a store open already)
        try:
            client = chroma_client(opened, host, port)
            self.manifest = client.get_or_create_collection(f"{collection}-reports", embedding_function=None)
            # The words the reports use, each embedded alone: to put a question's other words in theirs.
            self.words = WordVectors(client.get_or_create_collection(
                f"{collection}-words", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            ), embeddings, READ_PAGE, WRITE_BATCH)
            self.store = Chroma(
                client=client,
                collection_name=collection,
                embedding_function=embeddings,
                collection_configuration={"hnsw": {"space": "cosine"}},
            )
        except Exception as exc:  # Chroma raises many kinds on a damaged store or an absent server
            fix = (
                "check that the Chroma server is running and reachable"
                if host
                else rebuild_advice(self.path)
            )
            raise IndexUnavailable(f"cannot open the index at {self.location} ({exc}); {fix}") from exc
        self.collection_name = collection

    def read_only_message(self) -> str:
        return (
            f"the index at {self.path} is read-only: nothing was ingested, and it answers from the reports it "
            "already holds; to add reports give this process write access to that folder, or ingest them all into a "
            "new folder (`ASSISTANT_INDEX_DIR=NEW_FOLDER python -m assistant ingest PATHS`)"
        )

    # --- reports -------------------------------------------------------------------------
    def reports(self) -> dict[str, dict]:
        """Report id → what the report says about itself (title, dates, judgements). Read again only
        when the index's version has changed: a corpus ingest asks four times a report, and at 425
        reports each read took 70 ms."""
        version = self.version()
        with self._manifest_lock:
            cached, writes = self._manifest, self._manifest_writes
        if cached is None or cached[0] != version:
            got = self.manifest.get(include=["documents"])
            reports = {
                report: json.loads(doc) for report, doc in sorted(zip(got["ids"], got["documents"])) if report != VERSION_ID
            }
            cached = (version, reports)
            with self._manifest_lock:
                if self._manifest_writes == writes:  # kept only if no write of ours came during the read
                    self._manifest = cached
                    self._current = {report: entry.get("generation", "") for report, entry in reports.items()}
        return dict(cached[1])

    def _manifest_written(self) -> None:
        """This writer changed the manifest: what was read before is stale."""
        with self._manifest_lock:
            self._manifest, self._manifest_writes = None, self._manifest_writes + 1

    def _is_current(self, meta: dict) -> bool:
        """Is a window part of its report's indexed version (not a half-written or stale one)?"""
        if not hasattr(self, "_current"):
            self.reports()
        return self._current.get(meta["report"]) == meta.get("generation", "")

    def has_file(self, digest: str) -> bool:
        """Is a report with exactly these file contents indexed (sha256 of the file)?"""
        for report, entry in self.reports().items():
            if entry.get("sha256") == digest:
                return bool(self.store.get(where={"report": report}, limit=1)["ids"])
        return False

    def version(self) -> str:
        """Changes with every write by any process: a reader that saw another value reloads."""
        got = self.manifest.get(ids=[VERSION_ID], include=["documents"])
        return got["documents"][0] if got["ids"] else ""

    def _stamp(self) -> None:
        stamp = uuid.uuid4().hex
        self.manifest.upsert(ids=[VERSION_ID], documents=[stamp], embeddings=[[0.0]])
        with self._manifest_lock:  # read after this writer's own last change (its only writer now): still current
            if self._manifest is not None:
                self._manifest = (stamp, self._manifest[1])

    def reopened(self) -> ReportIndex:
        """The same index opened afresh. Chroma keeps one store per folder per process and reads its
        vector index once, so another process's later writes are unseen (or fail with "Error finding
        id") until that store is dropped; those still using the old one finish with it."""
        if self._server[0] is None:  # Chroma names an embedded store by its folder
            SharedSystemClient._identifier_to_system.pop(str(self.path), None)
            SharedSystemClient._identifier_to_refcount.pop(str(self.path), None)
        # Not checked again: it was when first opened, and another process may be writing its files now.
        return ReportIndex(self.path, self.collection_name, self.embeddings, *self._server, integrity_timeout=None)

    @contextmanager
    def writing(self, wait_seconds: float) -> Iterator[None]:
        """One writer at a time, across processes: an exclusive lock on a file beside the index (for a
        Chroma server, in this machine's temp folder: writers on other machines are not held back)."""
        host, port = self._server
        lock_path = (
            Path(tempfile.gettempdir()) / f"ofsted-assistant-{host}-{port}-{self.collection_name}.lock"
            if host else self.path / ".writer.lock"
        )
        if self.read_only:
            raise IndexUnavailable(self.read_only_message())
        try:
            handle = lock_path.open("a")
        except OSError as exc:  # made read-only since it was opened
            raise IndexUnavailable(self.read_only_message()) from exc
        with handle:
            deadline = time.monotonic() + wait_seconds
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise IndexUnavailable(
                            f"another ingest has been writing to the index at {self.location} for over "
                            f"{wait_seconds:.0f} s; try again when it has finished"
                        ) from None
                    time.sleep(0.2)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @_writes
    def add_report(self, parsed: ParsedReport, source: str = "", digest: str = "", **about) -> int:
        """Index a parsed report, replacing any earlier copy of it (and store the words it uses that
        are not stored yet); returns the number of windows. ``about`` is stored with the report's
        manifest entry (its text hash, its replacement history).

        New windows are upserted before stale ones are deleted and the manifest is written last, so
        a failure part-way leaves the report marked as stale (re-indexed on next use), never mixed.
        """
        generation = (digest or parsed.report)[:12]
        docs = [doc for paragraph in parsed.paragraphs for doc in windows_of(paragraph, generation)]
        self.words.add(embeddable(w for p in parsed.paragraphs for w in words(f"{p.section} {p.text}")))
        before = set(self.store.get(where={"report": parsed.report}, include=[])["ids"])
        try:
            for start in range(0, len(docs), WRITE_BATCH):
                self._write_windows(docs[start : start + WRITE_BATCH])
        except BaseException:
            # Take back what this attempt wrote; the version indexed before stays as it was.
            written = sorted({d.id for d in docs} - before)
            try:
                for start in range(0, len(written), WRITE_BATCH):
                    self.store.delete(ids=written[start : start + WRITE_BATCH])
            except Exception as undo:  # e.g. the disk refuses writes: the manifest still names the old version
                log.warning("could not take back the new windows of %s (%s); they are not used", parsed.report, undo)
            raise
        entry = {
            "generation": generation,
            "title": parsed.title,
            "authority": parsed.authority,
            "kind": parsed.kind,
            "inspection_start": parsed.inspection_start,
            "inspection_end": parsed.inspection_end,
            "published_on": parsed.published_on,
            "inspection_dates": parsed.inspection_dates,
            "published": parsed.published,
            "judgements": parsed.judgements,
            "passages": len(parsed.paragraphs),
            "numbered": len(parsed.numbered),
            "windows": len(docs),
            "source": source,
            "sha256": digest,
            **about,
        }
        # Chroma wants a vector with every record; the manifest is looked up by id only.
        self.manifest.upsert(ids=[parsed.report], documents=[json.dumps(entry, ensure_ascii=False)], embeddings=[[0.0]])
        self._manifest_written()
        self.reports()
        stale = sorted(before - {d.id for d in docs})  # the previous version, now replaced
        for start in range(0, len(stale), WRITE_BATCH):
            self.store.delete(ids=stale[start : start + WRITE_BATCH])
        self._stamp()
        return len(docs)

    def _write_windows(self, windows: list[Document]) -> None:
        """Embed and upsert windows (same id, same passage). A sentence window is stored without its
        text: it is its passage's sentence ``i``, read back from the passage, and Chroma's full-text
        index of the sentences, which nothing searches, was a third of the write."""
        self.store._collection.upsert(
            ids=[w.id for w in windows],
            embeddings=self.embeddings.embed_documents([w.page_content for w in windows]),
            metadatas=[w.metadata for w in windows],
            documents=[w.page_content if w.metadata["kind"] == "paragraph" else None for w in windows],
        )

    @_writes
    def remove_report(self, report: str) -> None:
        self.store.delete(where={"report": report})
        self.manifest.delete(ids=[report])
        self._manifest_written()
        self._stamp()

    # --- reading -------------------------------------------------------------------------
    def paragraphs(self, report: str | None = None) -> list[Paragraph]:
        """Every passage, in document order."""
        where = {"kind": "paragraph"} if report is None else {"$and": [{"kind": "paragraph"}, {"report": report}]}
        paragraphs = []
        for offset in range(0, 10**9, READ_PAGE):  # Chroma (SQLite) refuses very large single reads
            got = self.store.get(where=where, include=["documents", "metadatas"], limit=READ_PAGE, offset=offset)
            paragraphs += [
                paragraph_from(text, meta)
                for text, meta in zip(got["documents"], got["metadatas"])
                if self._is_current(meta)
            ]
            if len(got["ids"]) < READ_PAGE:
                break
        return sorted(paragraphs, key=lambda p: (p.report, p.order))

    def count(self) -> int:
        return self.store._collection.count()

    def search_windows(
        self, vector: list[float], n: int, reports: list[str] | None = None
    ) -> list[tuple[dict, float]]:
        """The metadata of the windows nearest a query vector (within some reports), with cosine
        similarity (higher is closer)."""
        where = {"report": {"$in": reports}} if reports else None
        got = self.store._collection.query(
            query_embeddings=[vector], n_results=n, where=where, include=["metadatas", "distances"]
        )
        # A window another process deletes as this reads comes back without its metadata.
        return [(meta, 1.0 - distance) for meta, distance in zip(got["metadatas"][0], got["distances"][0])
                if meta and self._is_current(meta)]

    def window_ids(self, paragraph: Paragraph) -> list[str]:
        """The ids of a passage's current windows (its opening, then each sentence), as ``windows_of`` names them."""
        prefix = window_prefix(paragraph.key, self._generation(paragraph.report))
        return [f"{prefix}:p", *(f"{prefix}:s{i}" for i in range(len(split_sentences(paragraph.text))))]

    def nearest_among(self, vector: list[float], ids: list[str], n: int) -> list[tuple[str, float]]:
        """The ``n`` windows of ``ids`` nearest a query vector, with cosine similarity: read by id and
        compared one by one, where a filtered HNSW query scans the whole collection's metadata."""
        if not ids:  # none to compare (a report not loaded): Chroma refuses an empty list of ids
            return []
        got = self.store.get(ids=ids, include=["embeddings"])
        if not got["ids"]:
            return []
        windows = np.asarray(got["embeddings"], dtype=np.float32)
        query = np.asarray(vector, dtype=np.float32)
        similarity = windows @ query / (np.linalg.norm(windows, axis=1) * np.linalg.norm(query) + 1e-12)
        top = np.argsort(-similarity, kind="stable")[:n]
        return [(got["ids"][i], float(similarity[i])) for i in top]

    def _generation(self, report: str) -> str:
        """The report's indexed version, as its window ids name it ("" for an index without versions)."""
        return self._current.get(report, "") if hasattr(self, "_current") else ""

    def read_passages(
        self, report: str, labels: list[str], at_most: dict[str, int] | None = None
    ) -> tuple[list[tuple[str, str, int, list[float]]], dict[str, list[float]]]:
        """The sentences of the given passages, (label, sentence, index, vector), and each passage's
        opening-window vector by label, in one read.

        With ``at_most`` (label → an upper bound on its sentences) the windows are read by id, which
        stays fast however large the index; a metadata filter scans it.
        """
        include = ["documents", "metadatas", "embeddings"]
        if at_most is not None:
            prefixes = {label: window_prefix(f"{report}:{label}", self._generation(report)) for label in labels}
            ids = [f"{prefixes[label]}:p" for label in labels]
            ids += [f"{prefixes[label]}:s{i}" for label in labels for i in range(at_most.get(label, 0))]
            got = self.store.get(ids=ids, include=include)
        else:
            where = {"$and": [{"report": report}, {"label": {"$in": labels}}]}
            got = self.store.get(where=where, include=include)
        current = [(text, meta, vector) for text, meta, vector in zip(got["documents"], got["metadatas"], got["embeddings"])
                   if meta and self._is_current(meta)]
        split = {meta["label"]: split_sentences(text) for text, meta, _ in current if meta["kind"] == "paragraph" and text}
        sentences, openings = [], {}
        for _, meta, vector in current:
            label = meta["label"]
            if meta["kind"] == "paragraph":
                openings[label] = vector
            elif int(meta["i"]) < len(split.get(label, ())):  # its passage was read with it
                sentences.append((label, split[label][int(meta["i"])], int(meta["i"]), vector))
        return sentences, openings
