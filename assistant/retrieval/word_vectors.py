"""The words the reports use, each embedded alone in their own Chroma collection: a question's word
the reports do not use is searched with the reports' words nearest it (``vocabulary.ReportWords``)."""

from __future__ import annotations

from collections.abc import Iterable

from chromadb.api.models.Collection import Collection
from langchain_core.embeddings import Embeddings


class WordVectors:
    """One vector per word; a word is stored once, whichever report used it first."""

    def __init__(self, collection: Collection, embeddings: Embeddings, read_page: int, write_batch: int):
        self.collection = collection
        self.embeddings = embeddings
        self.read_page, self.write_batch = read_page, write_batch
        self._stored: set[str] | None = None

    def add(self, vocabulary: Iterable[str]) -> int:
        """Embed and store the words not stored yet (an index built before words were kept gets
        them on first use); returns how many were added."""
        if self._stored is None:  # read once: a corpus ingest asks before every report
            self._stored = set()
            for offset in range(0, 10**9, self.read_page):
                got = self.collection.get(include=[], limit=self.read_page, offset=offset)
                self._stored.update(got["ids"])
                if len(got["ids"]) < self.read_page:
                    break
        new = sorted(set(vocabulary) - self._stored)
        for start in range(0, len(new), self.write_batch):
            chunk = new[start : start + self.write_batch]
            self.collection.upsert(ids=chunk, embeddings=self.embeddings.embed_documents(chunk))  # upsert: a word
            self._stored.update(chunk)  # another writer stored meanwhile is stored again, the same
        return len(new)

    def nearest(self, vector: list[float], n: int) -> list[tuple[str, float]]:
        """The ``n`` stored words nearest a vector, with cosine similarity, nearest first."""
        if not (stored := self.collection.count()):
            return []
        got = self.collection.query(query_embeddings=[vector], n_results=min(n, stored), include=["distances"])
        return [(word, 1.0 - distance) for word, distance in zip(got["ids"][0], got["distances"][0])]
