"""Indexing report files: one at a time (``index_file``) or every file under folders (``ingest_many``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from assistant.errors import ReportFormatError
from assistant.retrieval.identity import place, renamed, replacement_record, text_digest
from assistant.retrieval.index import ReportIndex
from assistant.settings import Settings
from ingest import iter_report_files
from ingest.files import digest
from ingest.sandbox import ParseJob

log = logging.getLogger(__name__)


def file_digest(path: str | Path) -> str:
    """sha256 of a report file and the parser version: a changed report, or a report an improved
    parser would read differently, is re-indexed on the next ingest (or on first use)."""
    if not Path(path).is_file():
        return ""
    return digest(Path(path).read_bytes())


@dataclass(frozen=True)
class IngestResult:
    report: str
    passages: int
    numbered: int
    windows: int
    seconds: float
    outcome: str = "indexed"  # "indexed", "replaced" (an earlier version, logged) or "unchanged"
    note: str = ""  # what was replaced, or which indexed report it is the same as


@dataclass
class IngestSummary:
    """What a run over many files did: indexed, skipped as unchanged, refused (with the reason)."""

    indexed: list[IngestResult] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)


class Indexes(Protocol):
    """What is written to: read at each use, as a reload may put a reopened index in its place."""

    index: ReportIndex
    settings: Settings


def start_parsing(to: Indexes, path: Path) -> ParseJob:
    return ParseJob(path, **to.settings.report_limits, **to.settings.parse_limits)


def index_file(
    to: Indexes, path: Path, *, force: bool = False, replace: bool = False, parsing: ParseJob | None = None
) -> IngestResult:
    """Parse (or take the parse ``parsing`` started), then under the index's one-writer lock decide which
    report this is (``identity.place``) and write it: the decision and the write see the same index."""
    started, source = time.perf_counter(), str(path.resolve())  # the same file, from wherever it is named
    parsed = (parsing or start_parsing(to, path)).result()
    digest, text_sha = parsed.sha256, text_digest(parsed)  # of the bytes that were parsed
    with to.index.writing(to.settings.writer_wait_seconds):
        placement = place(parsed, source, digest, text_sha, to.index.reports(), replace=replace)
        if placement.action == "refuse":
            raise ReportFormatError(f"{path.name} was not indexed: {placement.reason}")
        parsed = renamed(parsed, placement.report)
        counts = (parsed.report, len(parsed.paragraphs), len(parsed.numbered))
        if placement.action == "unchanged" and not force:
            return IngestResult(*counts, 0, time.perf_counter() - started, "unchanged", placement.reason)
        old = placement.replaces
        history = [*old.get("replaced", []), replacement_record(old, digest, source)] if old else []
        windows = to.index.add_report(
            parsed, source=source, digest=digest, text_sha256=text_sha, replaced=history
        )
    note = ""
    if old:
        note = f"replaced the version indexed from {old.get('source')} (sha256 {old.get('sha256', '')[:12]} → {digest[:12]})"
        log.info("%s: %s", parsed.report, note)
    return IngestResult(
        *counts, windows, time.perf_counter() - started, "replaced" if old else "indexed", note
    )


def ingest_many(
    to: Indexes,
    paths: Iterable,
    *,
    force: bool = False,
    replace: bool = False,
    on_file: Callable[[Path, str], None] | None = None,
) -> IngestSummary:
    """Index every report file named or inside the folders named (``Assistant.ingest_many``).

    The next file to index is parsed, in its child process, while this one is embedded and written:
    the parse (a quarter of a second of one core a report) fills the core the single-threaded write
    leaves idle. A file already indexed is not parsed ahead.
    """
    summary = IngestSummary()
    files = list(iter_report_files(paths))
    digests: dict[Path, str] = {}  # each file read and hashed once, though looked up again at its turn

    def indexed(path: Path) -> bool:
        if force:
            return False
        if path not in digests:
            digests[path] = file_digest(path)
        return to.index.has_file(digests[path])

    ahead: ParseJob | None = None
    try:
        for n, path in enumerate(files):
            parsing, ahead = ahead, None  # started while the file before was written, or None
            try:
                if indexed(path):
                    outcome = "unchanged"
                else:
                    parsing = parsing or start_parsing(to, path)
                    # the next file parses while this one is written, unless it is indexed already
                    rest = files[n + 1 : n + 2]
                    ahead = start_parsing(to, rest[0]) if rest and not indexed(rest[0]) else None
                    result = index_file(to, path, force=force, replace=replace, parsing=parsing)
                    outcome = result.outcome
            except ReportFormatError as refusal:
                summary.refused.append((path, str(refusal)))
                outcome = "refused"
            finally:
                if parsing is not None:  # a no-op once its result was read
                    parsing.cancel()
            if outcome == "unchanged":
                summary.skipped.append(path)
            elif outcome != "refused":
                summary.indexed.append(result)
            if on_file:
                on_file(path, outcome)
    finally:
        if ahead is not None:  # interrupted: no child is left parsing
            ahead.cancel()
    return summary

