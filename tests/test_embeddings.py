"""The encoders of the one model: the ONNX export gives torch's vectors, int8 nearly, each named apart."""

from __future__ import annotations

import numpy as np
import pytest

from assistant import Settings
from assistant.embeddings import idle_cores, load_embeddings

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
