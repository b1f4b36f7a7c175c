"""The encoders of the one model: the ONNX export gives torch's vectors, int8 nearly, each named apart."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

from assistant import Settings
from assistant.retrieval.embeddings import idle_cores, load_embeddings

TEXTS = [
    "Care proceedings were completed in an average of 28 weeks.",
    "Care leavers are well supported into education, employment and training.",
    "Return home interviews are not always offered to children who go missing.",
    "The Local Safeguarding Children Board is good.",
]


def test_every_encoder_has_a_collection_of_its_own():
    names = {e: Settings(encoder=e).collection_name for e in ("onnx-fp32", "onnx-int8", "torch-fp32")}
    assert len(set(names.values())) == 3


@pytest.mark.slow  # loads torch and sentence-transformers (~10 s), and quantises the export once
def test_the_onnx_export_gives_the_torch_vectors_and_int8_nearly(embeddings):
    onnx = np.array(embeddings.embed_documents(TEXTS))
    torch_fp32 = np.array(load_embeddings(Settings(encoder="torch-fp32")).embed_documents(TEXTS))
    int8 = np.array(load_embeddings(Settings(encoder="onnx-int8")).embed_documents(TEXTS))
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert (np.sum(onnx * torch_fp32, axis=1) > 0.9999).all()
    assert (np.sum(int8 * torch_fp32, axis=1) > 0.97).all()
    # one query alone gives the vector it gets in a batch (padding does not leak into the mean)
    assert np.dot(embeddings.embed_query(TEXTS[1]), onnx[1]) > 0.9999


def test_a_busy_core_is_never_counted_idle():
    assert 1 <= idle_cores() <= max(1, len(__import__("os").sched_getaffinity(0)))


def test_batches_hold_texts_of_like_length_within_the_token_budget(embeddings):
    texts = [" ".join(["child"] * n) for n in (3, 40, 7, 250, 12, 90, 5, 60)] * 4
    encodings = embeddings.tokenizer.encode_batch(texts)
    batches = embeddings._batches(encodings)
    assert sorted(row for batch in batches for row in batch) == list(range(len(texts)))
    lengths = [[len(encodings[row].ids) for row in batch] for batch in batches]
    assert all(ls == sorted(ls) for ls in lengths) and [ls[0] for ls in lengths] == sorted(ls[0] for ls in lengths)
    # padded to its longest text, a batch stays within the budget; only a text longer than it goes alone
    assert all(len(ls) * max(ls) <= embeddings.batch_tokens or len(ls) == 1 for ls in lengths)
    assert len(batches) < len(texts) / 2


@pytest.fixture
def counted(monkeypatch):
    """A fresh encoder keeping the vectors of two texts, counting the texts it runs through the model."""
    encoder = load_embeddings(Settings(encode_recent_texts=2))
    runs: list[int] = []
    run_batch = encoder._encode_batch
    monkeypatch.setattr(encoder, "_encode_batch", lambda session, rows: runs.append(len(rows)) or run_batch(session, rows))
    return encoder, runs


def test_a_text_repeated_is_encoded_once_and_the_last_ones_are_not_encoded_again(counted, embeddings):
    encoder, runs = counted
    vectors = np.array(encoder.embed_documents([*TEXTS, TEXTS[0], TEXTS[2]]))
    assert sum(runs) == len(TEXTS)
    assert np.array_equal(vectors[4], vectors[0]) and np.array_equal(vectors[5], vectors[2])
    assert np.allclose(vectors[:4], embeddings.embed_documents(TEXTS), atol=1e-5)
    runs.clear()
    again = encoder.embed_documents([TEXTS[-1], TEXTS[0]])  # the last two kept; the first forgotten
    assert sum(runs) == 1 and len(encoder._recent) == 2
    assert np.allclose(again, vectors[[3, 0]], atol=1e-5)


def test_batches_on_two_workers_give_the_vectors_of_one(embeddings):
    texts = [f"{text} ({n})" for n in range(12) for text in TEXTS]
    one = np.array(embeddings._encode(texts, 1))
    embeddings._recent.clear()
    two = np.array(embeddings._encode(texts, 2))
    assert np.allclose(one, two, atol=1e-5)


def test_this_process_s_own_running_child_is_its_own_work():
    from assistant.retrieval.embeddings import _running_here

    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        deadline = time.monotonic() + 10
        while _running_here() < 2:  # this thread, and the child once it runs
            assert time.monotonic() < deadline, "the child never showed as running"
            time.sleep(0.05)
    finally:
        busy.kill()
        busy.wait()


def test_a_one_piece_word_is_read_from_the_table_with_the_vector_the_model_gives_it(counted, embeddings):
    encoder, runs = counted
    words = ["dental", "housing", "safeguarding", "placements"]  # the last two are several word pieces
    pieces = [len(encoder.tokenizer.encode(w).ids) - 2 for w in words]
    assert pieces[:2] == [1, 1] and min(pieces[2:]) > 1
    table = encoder.one_piece_vectors()  # made once per model: on a fresh install, here
    assert table.shape == (encoder.tokenizer.get_vocab_size(), encoder.dimensions)
    runs.clear()
    vectors = np.array(encoder.embed_documents(words))
    assert sum(runs) == 2  # only the words of several pieces ran through the model
    alone = np.array([embeddings.embed_query(w) for w in words])
    assert (np.sum(vectors * alone, axis=1) > 0.99999).all()
