"""Is a local Chroma folder whole? Checked in a child process before this process opens it.

chromadb loads a collection's HNSW files in native code: random bytes in ``data_level0.bin`` kill
the process that loads them (SIGSEGV), which for the app is the Streamlit server of every user. So a
child reads the files first (sqlite's quick_check, read-only; each HNSW header, every node's level-0
links and label, the id maps' pickle) and then opens the store the same way and touches every segment
(the collections, their counts, a page of records, one vector query each: what loads the HNSW files).
Its exit code or signal becomes one line naming the folder, what is wrong and the safe fix.

When: on every open. chromadb rewrites ``chroma.sqlite3`` and the HNSW files of its small segments
each time it opens a store, even only to read, so a marker of the files' sizes and times would never
match, and hashing 867 MB would cost more than the check. Measured on 2 cores (quiet / busy): 1.5-2.8 s
/ 4-5.7 s on the Ealing index (10 MB), 4.5-7.6 s / 10-17 s on the whole corpus (199,000 windows, 867 MB;
quick_check 1.8-2.9 s of it, the HNSW files 0.65 s); an Assistant over the corpus opened in 32 s, the
check 6.9 s of it. A store this process has open already is not checked again. A server (HttpClient)
is not checked: it owns its files.

chromadb writes on open, so it cannot open a folder it may not write. A read-only index is opened
from a private copy (0.6 s for the corpus with its files cached, about 15 s from a cold disk), deleted
at exit: it answers, and any write (an ingest) is refused before it starts, so nothing is lost.

Run as a script (``python -P integrity.py PATH``) this file is the child: it imports chromadb and numpy,
not the assistant.
"""

from __future__ import annotations

import atexit
import os
import pickle
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

STORE_FILE = "chroma.sqlite3"
SQLITE_WORDS = ("sqlite", "malformed", "log store")  # chromadb's words for a bad chroma.sqlite3
READ_ONLY_WORDS = ("readonly", "read-only", "permission denied")  # its words for a refused write
EXIT_SQLITE, EXIT_VECTORS = 3, 4


def rebuild_advice(path: Path | str) -> str:
    """The safe fix for a damaged index: a new folder, the old one kept (it may be all there is)."""
    return (
        f"rebuild it into a new folder from the report files (`ASSISTANT_INDEX_DIR=NEW_FOLDER python -m assistant "
        f"ingest PATHS`) and point ASSISTANT_INDEX_DIR at the new folder; {path} is left as it is"
    )


class IndexCheck:
    """The check of one folder, run in a child process: started as early as the caller likes (the
    assistant starts it before its model loads, so the two overlap), its verdict read before the store
    is opened."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.child = None
        if (self.path / STORE_FILE).exists():  # a new, empty index: nothing to check yet
            self.child = self._started()

    def _started(self) -> subprocess.Popen:
        # -P: not this folder first on the path, where keyword.py and types.py would hide the standard library's
        return subprocess.Popen(
            [sys.executable, "-P", __file__, str(self.path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def _outcome(self, timeout: float, shown: Path) -> tuple[int, str]:
        """The child's exit code (negative: the signal that killed it) and its error output."""
        from assistant.errors import IndexUnavailable

        try:
            _, stderr = self.child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.cancel()
            raise IndexUnavailable(
                f"the index at {shown} could not be checked within {timeout:g} s; if it is very large, raise "
                "ASSISTANT_INTEGRITY_TIMEOUT, else it may be damaged: " + rebuild_advice(shown)
            ) from None
        return self.child.returncode, stderr

    def cancel(self) -> None:
        if self.child is not None and self.child.poll() is None:
            self.child.kill()
            self.child.wait()

    def verdict(self, timeout: float, shown_as: Path | None = None) -> None:
        """Raise IndexUnavailable, in one line, when the folder cannot be read whole. ``shown_as`` is the
        folder named in the message (the original of a private copy)."""
        from assistant.errors import IndexUnavailable

        if self.child is None:
            return
        shown = shown_as or self.path
        code, stderr = self._outcome(timeout, shown)
        if code < 0 or code in (EXIT_SQLITE, EXIT_VECTORS):
            # Another process opening the same store rewrites its small segments (chromadb does on every
            # open): read mid-write, a header is empty for a few milliseconds. Damage is still there later.
            self.child = self._started()
            code, stderr = self._outcome(timeout, shown)
        if code == 0:
            return
        detail = (stderr.strip().splitlines() or ["no message"])[-1][:200]
        if code < 0:
            what = f"a vector index file is damaged (the check crashed with signal {-code}, {signal.Signals(-code).name})"
        elif code == EXIT_SQLITE:
            what = f"the sqlite database is damaged: {detail}"
        elif code == EXIT_VECTORS:
            what = f"a vector index file is damaged: {detail}"
        else:  # not damage that we know of: e.g. a disk that refuses writes
            raise IndexUnavailable(f"the index at {shown} cannot be opened: {detail}")
        raise IndexUnavailable(f"the index at {shown} is damaged: {what}; {rebuild_advice(shown)}")


def check_index(path: Path, timeout: float, shown_as: Path | None = None) -> None:
    """Raise IndexUnavailable, in one line, when the Chroma folder ``path`` cannot be read whole; the
    check runs in a child process, so a native crash there costs this process nothing."""
    IndexCheck(path).verdict(timeout, shown_as)


def writable(path: Path) -> bool:
    """Can this process write the folder and every file of the store (the ones chromadb rewrites on open)?"""
    if not path.exists():
        return True  # created as a new index
    return all(os.access(p, os.W_OK) for p in [path, *path.rglob("*")])


def private_copy(path: Path) -> Path:
    """A writable copy of a read-only store, in a temporary folder removed when this process exits."""
    folder = Path(tempfile.mkdtemp(prefix="assistant-index-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    copy = folder / path.name
    shutil.copytree(path, copy, copy_function=shutil.copyfile)  # copyfile: the contents, not the read-only modes
    for sub in [copy, *copy.rglob("*")]:
        if sub.is_dir():  # copytree gives folders their original modes
            sub.chmod(0o700)
    return copy


# header.bin of chromadb's hnswlib (format 1): version, offsetLevel0, max_elements, cur_element_count,
# size_data_per_element, label_offset, offsetData, maxlevel, enterpoint_node, maxM, maxM0, M, mult, ef_construction
HNSW_HEADER = struct.Struct("<iQQQQQQiIQQQdQ")


def _check_hnsw(segment: Path) -> None:
    """Raise ValueError unless the HNSW files of one segment are consistent: the header, and every node's
    level-0 links (a count within bounds, each neighbour an existing node) and label (an offset id, 32 bits).

    A query walks only a few nodes, so random bytes elsewhere would crash a later question; this reads all.
    """
    import numpy as np

    header = (segment / "header.bin").read_bytes()
    if len(header) != HNSW_HEADER.size:
        raise ValueError(f"{segment.name}/header.bin holds {len(header)} bytes, not {HNSW_HEADER.size}")
    version, _, capacity, count, size, label_at, data_at, _, entry, _, max_m0, *_ = HNSW_HEADER.unpack(header)
    level0 = segment / "data_level0.bin"
    if version != 1 or count > capacity or data_at != 4 + 4 * max_m0 or label_at + 8 != size or (
        count and entry >= count
    ):
        raise ValueError(f"{segment.name}/header.bin is inconsistent")
    if level0.stat().st_size < count * size:
        raise ValueError(f"{segment.name}/data_level0.bin is shorter than its {count} nodes")
    if not count:
        return
    nodes = np.memmap(level0, dtype=np.uint8, mode="r", shape=(count, size))
    links = nodes[:, :data_at].copy().view("<u4")  # [count (low 16 bits), neighbour ids...]
    degree = links[:, 0] & 0xFFFF
    labels = nodes[:, label_at:].copy().view("<u8")[:, 0]
    used = np.arange(max_m0)[None, :] < degree[:, None]
    if (degree > max_m0).any() or (links[:, 1:][used] >= count).any() or (labels >= 2**32).any():
        raise ValueError(f"{segment.name}/data_level0.bin has links or labels out of range")
    if (metadata := segment / "index_metadata.pickle").exists():
        with metadata.open("rb") as handle:
            mapping = _PlainUnpickler(handle).load()
        if not isinstance(mapping, dict) or not {"id_to_label", "label_to_id"} <= mapping.keys():
            raise ValueError(f"{segment.name}/index_metadata.pickle lacks the id-label maps")


class _PlainUnpickler(pickle.Unpickler):
    """chromadb's index_metadata.pickle holds plain dicts: refuse any class, so a bad file runs no code."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"a class ({module}.{name}) where plain data was expected")


def _probe(path: str, page: int = 100) -> int:
    """The child: touch every segment of the store the way the assistant does; an exit code says what failed."""
    import sqlite3

    import chromadb
    from chromadb.config import Settings as ChromaSettings

    def failed(exc: BaseException, code: int) -> int:
        print(" ".join(str(exc).split()) or type(exc).__name__, file=sys.stderr)
        return code

    try:  # first every page of the database, read-only: chromadb writes to it as it opens, and reads only some
        with sqlite3.connect(f"file:{Path(path, STORE_FILE)}?mode=ro", uri=True) as db:
            problems = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError(" ".join(problems).replace("*** in database main ***", "quick_check:"))
    except sqlite3.Error as exc:
        return failed(exc, EXIT_SQLITE)
    try:
        for header in Path(path).glob("*/header.bin"):
            _check_hnsw(header.parent)
    except Exception as exc:  # noqa: BLE001 - a bad pickle raises many kinds
        return failed(exc, EXIT_VECTORS)
    try:
        client = chromadb.PersistentClient(path=path, settings=ChromaSettings(anonymized_telemetry=False))
        for collection in client.list_collections():
            collection.count()
            got = collection.get(limit=page, include=["documents", "metadatas", "embeddings"])
            if got["ids"]:  # a query walks the HNSW graph: what crashes on a damaged file
                collection.query(query_embeddings=[got["embeddings"][0]], n_results=1, include=["distances"])
    except BaseException as exc:  # noqa: BLE001 - any failure is the answer (a Rust panic is a BaseException)
        message = str(exc).lower()
        if any(word in message for word in READ_ONLY_WORDS):
            return failed(exc, 1)
        # The database passed its check, so what else fails is most likely a vector index (HNSW) file.
        return failed(exc, EXIT_SQLITE if any(word in message for word in SQLITE_WORDS) else EXIT_VECTORS)
    return 0


if __name__ == "__main__":
    sys.exit(_probe(sys.argv[1]))
