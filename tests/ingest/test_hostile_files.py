"""Hostile files (issue: a page-tree bomb ran past 400 s ignoring Ctrl-C, a 1 MB bomb reached 2.75 GB, a file
changed while ingested was stored stale under the new file's hash). Reports are parsed in a child process
(`ingest.sandbox.parse_isolated`) with limits on memory and time; the file is read once and its digest is
of the bytes parsed. The bombs are built here, byte by byte; the parent's memory and the child's peak are
measured in a helper process of their own, so no other child of pytest blurs the figures."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.settings import Settings
from ingest import PARSER_VERSION, parse_path
from ingest.errors import ReportFormatError
from ingest.sandbox import parse_isolated
from tests.conftest import REPORT, ROOT, pdf_bytes

CORPUS = ROOT.parent / "shared" / "ofsted" / "pdfs"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the PDF corpus is not at {CORPUS}")
LIMITS = Settings().report_limits


def _sha(data: bytes) -> str:
    return hashlib.sha256(data + f"|parser {PARSER_VERSION}".encode()).hexdigest()


# --- hashed once ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ealing-2016.md", "ealing/2024-07-12.pdf"])
def test_a_file_rewritten_after_it_is_read_gives_the_digest_of_the_text_parsed(name, tmp_path, monkeypatch):
    """The file is replaced by another version right after parse_path reads it (as an editor or a sync tool
    would): the report and its digest are both of the version read. The old way, hashing the file again
    (`assistant.retrieval.ingesting.file_digest`), gives the new version's digest for the old text."""
    source = REPORT if name.endswith(".md") else CORPUS / name
    other = REPORT.read_bytes().replace(b"28 weeks", b"29 weeks") if name.endswith(".md") else (
        (CORPUS / "ealing" / "2019-12-19.pdf").read_bytes() if source.is_file() else b"")
    if not source.is_file():
        pytest.skip(f"no {source}")
    import ingest.files
    from assistant.retrieval.ingesting import file_digest

    first = source.read_bytes()
    path, unchanged = tmp_path / "live" / "ealing" / source.name, tmp_path / "copy" / "ealing" / source.name
    for file, data in ((path, first), (unchanged, first)):
        file.parent.mkdir(parents=True)
        file.write_bytes(data)
    read = ingest.files.read_report_bytes

    def read_then_rewrite(file: Path) -> bytes:
        data = read(file)
        if file == path:
            path.with_suffix(".tmp").write_bytes(other)
            os.replace(path.with_suffix(".tmp"), path)
        return data

    monkeypatch.setattr(ingest.files, "read_report_bytes", read_then_rewrite)
    parsed = parse_path(path, **LIMITS)
    assert parsed.sha256 == _sha(first) != _sha(other)
    assert replace(parsed, source="") == replace(parse_path(unchanged, **LIMITS), source="")
    assert file_digest(path) == _sha(other)  # what a second read sees: the stale pairing this replaces
    monkeypatch.undo()
    assert parse_path(path).sha256 == file_digest(path) == _sha(other)  # one formula


# --- the child process gives the same report ----------------------------------------------------------

@pytest.mark.parametrize("name", ["ealing-2016.md", "leeds/2015-03-27.pdf", "ealing/2024-07-12.pdf"])
def test_the_isolated_parse_is_the_direct_parse(name):
    path = REPORT if name.endswith(".md") else CORPUS / name
    if not path.is_file():
        pytest.skip(f"no {path}")
    isolated = parse_isolated(path, **LIMITS, **Settings().parse_limits)
    assert isolated == parse_path(path, **LIMITS)
    assert isolated.sha256 == _sha(path.read_bytes())


def test_refusals_come_back_from_the_child_as_they_are(tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    with pytest.raises(ReportFormatError, match=r"^empty\.md is empty \(0 bytes\)$"):
        parse_isolated(tmp_path / "empty.md", **LIMITS)
    with pytest.raises(ReportFormatError, match="no report at"):
        parse_isolated(tmp_path / "absent.pdf", **LIMITS)


# --- the bombs --------------------------------------------------------------------------------------


def page_tree_bomb(levels: int = 6, fan: int = 10) -> bytes:
    """Under 1 KB: each level of the page tree lists the level below ``fan`` times, and the bottom level the one
    page, so the tree holds fan**levels pages (pdfium counts them all when the root gives no /Count)."""
    objects = [b"<< /Type /Catalog /Pages %d 0 R >>" % (levels + 2), b"<< /Type /Page /MediaBox [0 0 595 842] >>"]
    for level in range(1, levels + 1):
        below = b"%d 0 R" % (2 if level == 1 else level + 1)
        objects.append(b"<< /Type /Pages /Kids [%s] >>" % b" ".join([below] * fan))
    return pdf_bytes(objects)


def shared_stream_bomb(inflated_mb: int, pages: int) -> bytes:
    """``pages`` entries of the page tree all naming one page, whose content stream inflates to ``inflated_mb`` MB
    of line drawings (no text, so no character limit applies): pdfium parses it again for every page, and
    holds each drawing as an object, about 20 bytes of stream becoming 400 bytes of memory."""
    chunk = b"1 1 m 2 2 l S\n" * (1024 * 1024 // 14)
    compressor = zlib.compressobj(9)  # fed a MB at a time: the test never holds the inflated stream
    stream = b"".join(compressor.compress(chunk) for _ in range(inflated_mb)) + compressor.flush()
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join([b"3 0 R"] * pages), pages),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])


# Parses one file through parse_isolated in a fresh process and says what it cost: the parent's RSS before and
# after and its peak, the child's peak (RUSAGE_CHILDREN: this process has no other child; an upper bound, as
# Linux carries ru_maxrss over exec and the child starts as a fork of this small process).
MEASURE = """
import json, resource, sys, time
from ingest.errors import ReportFormatError
from ingest.sandbox import parse_isolated

def status_mb(field):  # ru_maxrss would count the pytest process this one was forked from
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(field)) / 1024

path, options = sys.argv[1], json.loads(sys.argv[2])
before, started = status_mb("VmRSS"), time.perf_counter()
try:
    outcome = "parsed " + parse_isolated(path, **options).report
except ReportFormatError as exc:
    outcome = str(exc)
print(json.dumps({
    "outcome": outcome, "seconds": time.perf_counter() - started, "parent_growth_mb": status_mb("VmRSS") - before,
    "parent_peak_mb": status_mb("VmHWM"),
    "child_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def _helper(*args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT, env=env, **popen)


def measured(path: Path, **options) -> dict:
    helper = _helper("-c", MEASURE, str(path), json.dumps({**LIMITS, **options}))
    out, err = helper.communicate(timeout=120)
    assert helper.returncode == 0, err.decode()
    return json.loads(out)


def _bounded(cost: dict, memory_mb: int) -> None:
    """The parent stayed small and the child under its limit."""
    assert cost["parent_growth_mb"] < 10 and cost["parent_peak_mb"] < 100, cost
    assert cost["child_peak_mb"] <= memory_mb, cost


def test_a_page_tree_claiming_a_million_pages_is_refused_by_the_page_limit(tmp_path):
    path = tmp_path / "tree.pdf"
    path.write_bytes(page_tree_bomb())
    assert path.stat().st_size < 1024
    cost = measured(path, timeout_s=30, memory_mb=1024)
    assert cost["outcome"] == ("tree.pdf has 1,000,000 pages; a report has at most 250: is it several reports "
                               "joined into one file? Ingest each report as its own PDF"), cost
    assert cost["seconds"] < 10, cost
    _bounded(cost, 1024)


def test_pages_sharing_one_costly_stream_are_stopped_by_the_time_limit(tmp_path):
    """250 pages (the page limit) that are one page of 4 MB of drawings: about a minute of pdfium unchecked."""
    path = tmp_path / "slow.pdf"
    path.write_bytes(shared_stream_bomb(inflated_mb=4, pages=250))
    assert path.stat().st_size < 20_000
    cost = measured(path, timeout_s=2, memory_mb=1024)
    assert cost["outcome"] == "slow.pdf took longer than 2 s to parse; refused", cost
    assert cost["seconds"] < 4, cost
    _bounded(cost, 1024)


@pytest.mark.slow  # builds a 200 MB stream (1-2 s) and lets the child fill its 1 GB
def test_a_compression_bomb_is_refused_at_the_memory_limit(tmp_path):
    """400 KB that inflate to 200 MB of drawings, which pdfium would hold in about 4 GB."""
    memory_mb = Settings().parse_memory_mb
    path = tmp_path / "bomb.pdf"
    path.write_bytes(shared_stream_bomb(inflated_mb=200, pages=1))
    assert path.stat().st_size < 500_000
    cost = measured(path, timeout_s=Settings().parse_timeout_s, memory_mb=memory_mb)
    assert cost["outcome"] == f"bomb.pdf needed more than {memory_mb:,} MB to parse; refused", cost
    assert cost["seconds"] < 20, cost
    _bounded(cost, memory_mb)


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"  # a zombie has stopped
    except FileNotFoundError:
        return True


def test_ctrl_c_kills_the_child_at_once_and_interrupts_the_caller(tmp_path):
    """Ctrl-C as a terminal sends it, to the caller's process group, while the child is deep in pdfium
    (with a minute still to go before the time limit)."""
    path = tmp_path / "slow.pdf"
    path.write_bytes(shared_stream_bomb(inflated_mb=4, pages=250))
    script = "import sys; from ingest.sandbox import parse_isolated; parse_isolated(sys.argv[1], timeout_s=60)"
    # As from a terminal: a shell that starts jobs in the background hands them SIGINT ignored.
    caller = _helper("-c", script, str(path), start_new_session=True,
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 20
    while not (children := _children(caller.pid)):
        assert caller.poll() is None and time.monotonic() < deadline, caller.communicate()
        time.sleep(0.05)
    time.sleep(1.0)  # the child is parsing now
    assert not _gone(children[0])
    interrupted = time.perf_counter()
    os.killpg(caller.pid, signal.SIGINT)
    _, err = caller.communicate(timeout=30)
    assert time.perf_counter() - interrupted < 15  # at once, against the minute the time limit would take
    assert caller.returncode == -signal.SIGINT and b"KeyboardInterrupt" in err, err.decode()
    deadline = time.monotonic() + 5
    while not _gone(children[0]):
        assert time.monotonic() < deadline, "the child outlived its caller"
        time.sleep(0.05)
