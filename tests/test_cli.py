"""The command line, run as a user runs it: a real process, the real index, no network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # each run loads the model in a new process (~10-20 s)

# Runs the CLI with every way of opening a network connection replaced by an error.
NO_NETWORK = textwrap.dedent(
    """
    import socket, sys
    def refuse(*args, **kwargs):
        raise OSError("network access attempted: " + repr(args[:2]))
    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    from assistant.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", NO_NETWORK, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


PDF = ROOT.parent / "shared" / "ofsted" / "pdfs" / "ealing" / "2019-12-19.pdf"


def test_ingest_and_ask_offline_from_an_empty_index(tmp_path):
    env = {"ASSISTANT_INDEX_DIR": str(tmp_path / "index")}
    ingest = run_cli("ingest", str(ROOT / "data" / "ealing-2016.md"), *([str(PDF)] if PDF.is_file() else []), env=env)
    assert ingest.returncode == 0, ingest.stderr
    assert "143 numbered paragraphs" in ingest.stdout
    assert not PDF.is_file() or "ealing-2019-12-19" in ingest.stdout
    asked = run_cli("ask", "How long did care proceedings take on average?", "--json", "--year", "2016", env=env)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert "28 weeks" in answer["answer"]
    assert {"46", "117"} & {str(c["paragraph"]) for c in answer["citations"]}
    assert "network access attempted" not in asked.stderr + ingest.stderr
    grades = run_cli("grades", "--csv", env=env)
    assert grades.returncode == 0, grades.stderr
    lines = grades.stdout.splitlines()
    assert lines[0].startswith("report,name,authority,kind,")
    assert any(line.startswith("ealing-2016") and ",overall," in line for line in lines)
    assert not PDF.is_file() or any(line.startswith("ealing-2019-12-19,") for line in lines)
    one_year = run_cli("grades", "--year", "2016", env=env)
    assert one_year.returncode == 0 and "ealing-2019" not in one_year.stdout
    unknown = run_cli("grades", "--authority", "Atlantis", env=env)
    assert unknown.returncode == 2 and "no report on Atlantis" in unknown.stderr


def test_errors_are_one_line_and_a_non_zero_exit(tmp_path):
    empty = run_cli("ask", "   ")
    assert empty.returncode == 2
    assert empty.stderr.strip().startswith("error: the question is empty")
    assert "Traceback" not in empty.stderr and len(empty.stderr.strip().splitlines()) == 1
    broken = tmp_path / "broken.md"
    broken.write_text("# A report\n\n1. First.\n\n3. Third.\n", encoding="utf-8")
    refused = run_cli("ingest", str(broken), env={"ASSISTANT_INDEX_DIR": str(tmp_path / "index")})
    assert refused.returncode == 2
    assert "missing 2" in refused.stderr and "Traceback" not in refused.stderr


def test_an_ingest_that_finds_nothing_says_so_and_fails(tmp_path):
    env = {"ASSISTANT_INDEX_DIR": str(tmp_path / "index")}
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.txt").write_text("not a report", encoding="utf-8")
    nothing = run_cli("ingest", str(empty), env=env)
    assert nothing.returncode == 2, nothing.stdout
    assert nothing.stderr.strip() == (f"error: no report found in {empty}: nothing was ingested "
                                      "(reports are .pdf, .md or .markdown files)")
    notes = tmp_path / "notes"
    notes.mkdir()
    for n in range(3):
        (notes / f"note-{n}.md").write_text(f"# Note {n}\n\n1. Buy milk.\n2. Call the office.\n", encoding="utf-8")
    refused = run_cli("ingest", str(notes), env=env)
    assert refused.returncode == 2, refused.stdout
    assert refused.stderr.count("is not an Ofsted children's services inspection report") == 3
    assert refused.stderr.strip().endswith(
        "error: none of the 3 files could be ingested (the reasons are above): nothing was indexed")
    assert "Traceback" not in refused.stderr
