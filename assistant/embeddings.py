"""The sentence-transformers model behind the index, as a LangChain ``Embeddings``, loaded offline."""

from __future__ import annotations

import os
import threading

# The model comes from a package folder: never let transformers ask a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
import transformers  # noqa: E402
from langchain_core.embeddings import Embeddings  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

# Progress bars and length warnings from transformers are noise in a CLI or a server log.
transformers.logging.set_verbosity_error()
transformers.logging.disable_progress_bar()


class SentenceEmbeddings(Embeddings):
    """Normalised MiniLM vectors; one query at a time on ``query_threads`` torch threads."""

    def __init__(self, model_path: str, query_threads: int = 1, batch_threads: int = 2):
        self.model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        self.max_tokens = self.model.max_seq_length
        self.query_threads = query_threads
        self.batch_threads = batch_threads
        self._lock = threading.Lock()  # torch thread settings are process-wide

    def _encode(self, texts: list[str], threads: int) -> list[list[float]]:
        with self._lock:
            torch.set_num_threads(threads)
            vectors = self.model.encode(
                texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )
        return vectors.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts), self.batch_threads)

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], self.query_threads)[0]

    def count_word_pieces(self, text: str) -> int:
        return len(self.model.tokenizer.tokenize(text))
