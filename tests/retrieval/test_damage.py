"""A damaged or read-only index, against a real index of the Ealing report: one clear line, the folder
left as it was, never a crash, and an index in another folder still answering in the same process."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant, IndexUnavailable, Settings
from assistant.retrieval.integrity import HNSW_HEADER, IndexCheck, check_index, rebuild_advice
from tests.conftest import REPORT, ROOT, app_over_index

QUESTION = "How long did care proceedings take on average?"


def run(*args: str, index: Path, unprivileged: bool = False, **env: str) -> subprocess.CompletedProcess:
    """A command in a fresh process over ``index``; ``unprivileged``: without root's power to write anything."""
    prefix = DROP_WRITE_OVERRIDE if unprivileged and os.geteuid() == 0 else []
    return subprocess.run(
        [*prefix, sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT), "ASSISTANT_INDEX_DIR": str(index), **env},
    )


# Root writes through chmod a-w; without these capabilities it obeys file modes like any user.
DROP_WRITE_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def assert_one_clear_line(stderr: str, *phrases: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr and all(phrase in lines[0] for phrase in phrases), stderr


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """An index of the Ealing report built by the CLI in its own process, so its files are complete on disk."""
    index = tmp_path_factory.mktemp("pristine") / "index"
    built = run("-m", "assistant", "ingest", str(REPORT), index=index)
    assert built.returncode == 0, built.stderr
    return index


@pytest.fixture(scope="module")
def good_bot(pristine, tmp_path_factory, embeddings) -> Assistant:
    """An assistant over a healthy copy, in this process, asked again after each damaged one is refused."""
    index = tmp_path_factory.mktemp("good") / "index"
    shutil.copytree(pristine, index)
    return Assistant(Settings(index_dir=index), embeddings=embeddings, ensure_reports=False)


def vector_segment(index: Path) -> Path:
    """The largest HNSW segment (the one with an index_metadata.pickle beside its files)."""
    return max((p.parent for p in index.glob("*/data_level0.bin")), key=lambda p: (p / "data_level0.bin").stat().st_size)


def random_bytes_in_level0(index: Path) -> None:
    """Random bytes over every node's neighbour ids (their counts kept): chromadb's query segfaults."""
    segment = vector_segment(index)
    fields = HNSW_HEADER.unpack((segment / "header.bin").read_bytes())
    count, size, data_at = fields[3], fields[4], fields[6]
    level0 = bytearray((segment / "data_level0.bin").read_bytes())
    rng = random.Random(1)
    for node in range(count):
        level0[node * size + 4 : node * size + data_at] = rng.randbytes(data_at - 4)
    (segment / "data_level0.bin").write_bytes(bytes(level0))


def bad_sqlite_page(index: Path) -> None:
    with (index / "chroma.sqlite3").open("r+b") as handle:
        handle.seek(200 * 4096)
        handle.write(random.Random(2).randbytes(4096))


def empty_header(index: Path) -> None:
    (vector_segment(index) / "header.bin").write_bytes(b"")


def bad_pickle(index: Path) -> None:
    (vector_segment(index) / "index_metadata.pickle").write_bytes(b"garbage, not a pickle\n")


DAMAGE = {
    random_bytes_in_level0: "a vector index file is damaged",
    bad_sqlite_page: "the sqlite database is damaged",
    empty_header: "a vector index file is damaged",
    bad_pickle: "a vector index file is damaged",
}


@pytest.fixture(params=list(DAMAGE), ids=lambda damage: damage.__name__)
def damaged(request, pristine, tmp_path) -> tuple[Path, str]:
    index = tmp_path / "index"
    shutil.copytree(pristine, index)
    request.param(index)
    return index, DAMAGE[request.param]


@pytest.mark.slow
def test_chromadb_itself_crashes_on_random_bytes_in_a_vector_file(pristine, tmp_path):
    """The case of the issue, without the check: the process that queries dies of a segfault."""
    index = tmp_path / "index"
    shutil.copytree(pristine, index)
    random_bytes_in_level0(index)
    raw = (
        "import sys, chromadb\n"
        "client = chromadb.PersistentClient(path=sys.argv[1])\n"
        "for c in client.list_collections():\n"
        "    got = c.get(limit=1, include=['embeddings'])\n"
        "    c.query(query_embeddings=[got['embeddings'][0]], n_results=1)\n"
    )
    crashed = subprocess.run([sys.executable, "-c", raw, str(index)], capture_output=True, timeout=120)
    assert crashed.returncode == -signal.SIGSEGV


@pytest.mark.slow
def test_a_damaged_index_is_one_clear_line_and_left_as_it_was(damaged, good_bot, embeddings):
    index, what = damaged
    before = snapshot(index)
    with pytest.raises(IndexUnavailable) as refused:
        Assistant(Settings(index_dir=index), embeddings=embeddings, ensure_reports=False)
    message = str(refused.value)
    assert "\n" not in message and message.startswith(f"the index at {index} is damaged: {what}")
    assert "rebuild it into a new folder" in message and f"{index} is left as it is" in message
    assert "delete" not in message
    assert snapshot(index) == before  # nothing deleted, nothing rewritten
    assert "28 weeks" in good_bot.ask(QUESTION).answer  # this process and its other index unharmed


@pytest.mark.slow
def test_a_store_already_open_in_this_process_is_not_checked_again(good_bot, embeddings, monkeypatch):
    """chromadb reads no file for it, and a child would open files this process is writing."""
    from assistant.retrieval import index as index_module

    import assistant.core as core_module

    for module in (index_module, core_module):
        monkeypatch.setattr(module, "IndexCheck", lambda *a, **k: pytest.fail("checked an open store"))
    again = Assistant(Settings(index_dir=good_bot.index.path), embeddings=embeddings, ensure_reports=False)
    assert "28 weeks" in again.ask(QUESTION).answer


@pytest.mark.slow
def test_the_cli_on_a_crashing_index_prints_one_line(pristine, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(pristine, index)
    random_bytes_in_level0(index)
    asked = run("-m", "assistant", "ask", QUESTION, index=index)
    assert asked.returncode == 2
    assert_one_clear_line(asked.stderr, f"the index at {index} is damaged", "rebuild it into a new folder")


@pytest.mark.slow
def test_the_app_over_a_crashing_index_shows_the_line_and_keeps_running(pristine, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    index = tmp_path / "index"
    shutil.copytree(pristine, index)
    random_bytes_in_level0(index)
    for _ in app_over_index(monkeypatch, index, [REPORT]):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.run()  # the server's process: a segfault here would end the test run
        assert not at.exception, [e.value for e in at.exception]
        [shown] = [e.value for e in at.error]
        assert shown.startswith(f"The assistant could not start: the index at {index} is damaged: a vector index")
        assert shown.endswith(rebuild_advice(index))


def unprivileged_write_refused(tmp_path: Path) -> bool:
    """Can a child process here be refused a write by file modes (not root, or root without its override)?"""
    probe = tmp_path / "probe"
    probe.write_text("")
    probe.chmod(0o444)
    try:
        wrote = run("-c", f"open({str(probe)!r}, 'a')", index=tmp_path, unprivileged=True)
    except FileNotFoundError:  # no setpriv
        return False
    return wrote.returncode != 0 and "PermissionError" in wrote.stderr


@pytest.fixture
def read_only(pristine, tmp_path) -> Path:
    if not unprivileged_write_refused(tmp_path):
        pytest.skip("cannot make a folder read-only for a child process here")
    index = tmp_path / "index"
    shutil.copytree(pristine, index)
    subprocess.run(["chmod", "-R", "a-w", str(index)], check=True)
    yield index
    subprocess.run(["chmod", "-R", "u+w", str(index)], check=True)


@pytest.mark.slow
def test_a_read_only_index_answers_and_refuses_an_ingest_in_one_line(read_only, tmp_path, embeddings):
    before = snapshot(read_only)
    temp = tmp_path / "tmp"
    temp.mkdir()
    asked = run("-m", "assistant", "ask", QUESTION, index=read_only, unprivileged=True, TMPDIR=str(temp))
    assert asked.returncode == 0 and "28 weeks" in asked.stdout, asked.stderr
    assert not list(temp.glob("assistant-index-*"))  # its private copy is gone
    ingest = run("-m", "assistant", "ingest", "--force", str(REPORT), index=read_only, unprivileged=True)
    assert ingest.returncode == 2
    assert_one_clear_line(ingest.stderr, f"the index at {read_only} is read-only", "new folder")
    assert snapshot(read_only) == before
    subprocess.run(["chmod", "-R", "u+w", str(read_only)], check=True)
    bot = Assistant(Settings(index_dir=read_only), embeddings=embeddings, ensure_reports=False)
    assert "28 weeks" in bot.ask(QUESTION).answer


LATE = """
import subprocess, sys
from pathlib import Path
from assistant import Assistant, IndexUnavailable, Settings
bot = Assistant(Settings(index_dir=Path(sys.argv[1])), ensure_reports=False)
subprocess.run(["chmod", "-R", "a-w", sys.argv[1]], check=True)  # made read-only while open
try:
    bot.ingest_many([sys.argv[2]], force=True)
except IndexUnavailable as exc:
    print("refused:", exc)
print(bot.ask(sys.argv[3]).answer)
"""


@pytest.mark.slow
def test_an_index_made_read_only_while_open_refuses_the_ingest_and_keeps_its_report(read_only, embeddings):
    subprocess.run(["chmod", "-R", "u+w", str(read_only)], check=True)  # writable as it opens
    late = run("-c", LATE, str(read_only), str(REPORT), QUESTION, index=read_only, unprivileged=True)
    assert late.returncode == 0, late.stderr
    assert f"refused: the index at {read_only} is read-only" in late.stdout and "28 weeks" in late.stdout
    assert "Traceback" not in late.stderr
    subprocess.run(["chmod", "-R", "u+w", str(read_only)], check=True)
    bot = Assistant(Settings(index_dir=read_only), embeddings=embeddings, ensure_reports=False)
    assert "28 weeks" in bot.ask(QUESTION).answer


def test_a_file_read_while_another_process_opens_the_store_is_not_called_damage(pristine, tmp_path):
    """chromadb rewrites a store's small segments each time a process opens it: a check that reads one
    mid-write finds it empty. Looked at again, it is whole, and the index opens."""
    index = tmp_path / "index"
    shutil.copytree(pristine, index)
    header = vector_segment(index) / "header.bin"
    whole = header.read_bytes()
    empty_header(index)
    check = IndexCheck(index)
    check.child.wait()  # the first look found the header empty
    header.write_bytes(whole)  # the other process's write is done
    check.verdict(timeout=60)


def test_a_database_that_is_not_one_is_reported_without_opening_it(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    (index / "chroma.sqlite3").write_text("not a database")
    with pytest.raises(IndexUnavailable, match=f"the index at {index} is damaged: the sqlite database is damaged"):
        check_index(index, timeout=60)
    assert (index / "chroma.sqlite3").read_text() == "not a database"


def test_a_new_folder_needs_no_check(tmp_path):
    check_index(tmp_path / "absent", timeout=0.001)  # no child started: no store yet


def test_a_chroma_server_is_not_checked_here(monkeypatch, embeddings):
    from assistant.retrieval import index as index_module

    monkeypatch.setattr(index_module, "IndexCheck", lambda *a, **k: pytest.fail("checked a server's store"))
    with pytest.raises(IndexUnavailable, match="check that the Chroma server is running"):
        index_module.ReportIndex(Path("unused"), "c", embeddings, host="127.0.0.1", port=9)


def test_a_crash_of_the_check_is_named_by_its_signal(tmp_path, monkeypatch):
    """Damage the file checks miss but chromadb's native code trips on: the child dies, this process says so."""
    import assistant.retrieval.integrity as integrity

    (tmp_path / "chroma.sqlite3").write_bytes(b"")
    popen = subprocess.Popen
    crashing = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]
    monkeypatch.setattr(integrity.subprocess, "Popen", lambda args, **k: popen(crashing, **k))  # a real crash
    with pytest.raises(IndexUnavailable) as refused:
        check_index(tmp_path, timeout=60)
    assert str(refused.value) == (
        f"the index at {tmp_path} is damaged: a vector index file is damaged (the check crashed with signal 11, "
        f"SIGSEGV); {rebuild_advice(tmp_path)}"
    )
