"""Client/server mode: the same code against a real Chroma server (`chroma run`) on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import chromadb
import pytest

from assistant import Assistant, IndexUnavailable, Settings

pytestmark = pytest.mark.slow  # starts a server and indexes the report over HTTP (~20-40 s)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    port = _free_port()
    chroma = Path(sys.executable).parent / "chroma"
    path = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
                break
            except Exception:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("chroma server did not start")
                time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_ingest_and_ask_against_a_chroma_server(chroma_server, embeddings, tmp_path):
    settings = Settings(chroma_host="127.0.0.1", chroma_port=chroma_server, index_dir=tmp_path / "unused")
    bot = Assistant(settings, embeddings=embeddings)  # builds the index on the server on first use
    assert bot.info()["index_path"] == f"http://127.0.0.1:{chroma_server}"
    assert not (tmp_path / "unused").exists()
    answer = bot.ask("How long did care proceedings take on average?")
    assert "28 weeks" in answer.answer and {"¶46", "¶117"} & {c.label for c in answer.citations}
    # A second client sees the same index and does not rebuild it.
    again = Assistant(settings, embeddings=embeddings)
    assert again.index.count() == bot.index.count()


def test_a_reader_of_the_server_picks_up_another_client_s_report(chroma_server, embeddings, tmp_path):
    from tests.retrieval.test_identity import STOCKTON_2019

    if not STOCKTON_2019.is_file():
        pytest.skip("the Ofsted corpus is not beside the project")
    settings = Settings(chroma_host="127.0.0.1", chroma_port=chroma_server, index_check_seconds=0)
    reader, writer = (Assistant(settings, embeddings=embeddings) for _ in range(2))
    before = {r.id for r in reader.reports()}
    writer.ingest(STOCKTON_2019)  # a second client (the lock for a server lives in this machine's temp folder)
    assert {r.id for r in reader.reports()} == before | {"stockton-on-tees-2019-07-01"}
    answer = reader.ask("What did inspectors find in Stockton-on-Tees?")
    assert {c.report for c in answer.citations} == {"stockton-on-tees-2019-07-01"}


def test_unreachable_server_is_a_clear_error(embeddings):
    settings = Settings(chroma_host="127.0.0.1", chroma_port=_free_port())
    with pytest.raises(IndexUnavailable, match="check that the Chroma server is running"):
        Assistant(settings, embeddings=embeddings)
