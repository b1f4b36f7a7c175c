"""A report is known by what it says (authority, inspection dates, text), never by its file's name or path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from assistant import Assistant, ReportFormatError, Settings
from assistant.retrieval.identity import place, text_digest
from ingest import Paragraph, ParsedReport, parse_path
from tests.conftest import ROOT

CORPUS = ROOT.parent / "shared" / "ofsted" / "pdfs"
CAMBS_2019 = CORPUS / "cambridgeshire" / "2019-02-18.pdf"
CAMBS_2024 = CORPUS / "cambridgeshire" / "2024-05-16.pdf"
STOCKTON_2019 = CORPUS / "stockton-on-tees" / "2019-07-01.pdf"


def _parsed(report="x-2020-01-01", authority="X", start="2020-01-01", text="Text.") -> ParsedReport:
    paragraph = Paragraph(report=report, number=1, label="¶1", section="S", area="", text=text, tokens=1, order=0)
    return ParsedReport(report=report, title="t", paragraphs=[paragraph], authority=authority,
                        inspection_start=start, inspection_end=start)


def _entry(parsed: ParsedReport, source: str) -> dict:
    return {"authority": parsed.authority, "inspection_start": parsed.inspection_start,
            "inspection_end": parsed.inspection_end, "source": source, "sha256": "old",
            "text_sha256": text_digest(parsed)}


def test_placing_follows_what_the_report_says():
    indexed = _parsed()
    entries = {indexed.report: _entry(indexed, "/reports/x.pdf")}
    # The same text under another id and path: the same report.
    copy = _parsed(report="elsewhere")
    assert place(copy, "/tmp/copy.pdf", "new", text_digest(copy), entries).action == "unchanged"
    # The same inspection with other text: from its own file it is a new version; from another, refused.
    edited = _parsed(text="Edited.")
    assert place(edited, "/reports/x.pdf", "new", text_digest(edited), entries).replaces is not None
    refused = place(edited, "/tmp/other.pdf", "new", text_digest(edited), entries)
    assert refused.action == "refuse" and "--replace" in refused.reason
    assert place(edited, "/tmp/other.pdf", "new", text_digest(edited), entries, replace=True).action == "index"
    # Another inspection whose file name gives an id already taken: refused, naming both.
    other = _parsed(authority="Y", start="2021-05-05")
    clash = place(other, "/tmp/x-2020-01-01.pdf", "new", text_digest(other), entries)
    assert clash.action == "refuse" and "Y's inspection" in clash.reason and "X's inspection" in clash.reason
    # Another inspection under a free id: indexed as itself.
    free = _parsed(report="y-2021", authority="Y", start="2021-05-05")
    assert place(free, "/tmp/y.pdf", "new", text_digest(free), entries) .action == "index"


# --- against a real index --------------------------------------------------------------------------
needs_corpus = pytest.mark.skipif(
    not CAMBS_2019.is_file() and not os.environ.get("CI"), reason="the Ofsted corpus is not beside the project"
)


def _two_reports(index_dir: Path, embeddings) -> Assistant:
    """Cambridgeshire 2019 and Stockton-on-Tees 2019, from the corpus (6-20 s to index)."""
    bot = Assistant(Settings(index_dir=index_dir, reports=[]), embeddings=embeddings)
    bot.ingest_many([CAMBS_2019, STOCKTON_2019])
    return bot


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory, embeddings) -> Assistant:
    """Shared by the tests that leave the index as it was."""
    return _two_reports(tmp_path_factory.mktemp("identity") / "index", embeddings)


@pytest.fixture
def own_two_reports(tmp_path, embeddings) -> Assistant:
    return _two_reports(tmp_path / "index", embeddings)


def _copy(source: Path, to: Path) -> Path:
    to.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, to)
    return to


@pytest.mark.slow
@needs_corpus
def test_a_renamed_or_resaved_copy_is_the_same_report(two_reports, tmp_path):
    ids = [r.id for r in two_reports.reports()]
    renamed = _copy(CAMBS_2019, tmp_path / "copies" / "cambs final (2).pdf")
    assert two_reports.ingest(renamed).outcome == "unchanged"
    resaved = tmp_path / "copies" / "resaved.pdf"
    pdfium.PdfDocument(str(CAMBS_2019)).save(str(resaved))  # other bytes, the same report
    assert resaved.read_bytes() != CAMBS_2019.read_bytes()
    result = two_reports.ingest(resaved)
    assert result.outcome == "unchanged" and "cambridgeshire-2019-02-18" in result.note
    assert [r.id for r in two_reports.reports()] == ids


@pytest.mark.slow
@needs_corpus
def test_a_report_filed_under_another_authority_never_replaces_it(two_reports, tmp_path):
    count = two_reports.index.count()
    # Stockton's report saved where Cambridgeshire's would be: it is still Stockton's, already indexed.
    misfiled = _copy(STOCKTON_2019, tmp_path / "cambridgeshire" / "2019-02-18.pdf")
    assert parse_path(misfiled).authority == "Stockton-on-Tees"
    assert two_reports.ingest(misfiled).outcome == "unchanged"
    cambs = next(r for r in two_reports.reports() if r.id == "cambridgeshire-2019-02-18")
    assert cambs.authority == "Cambridgeshire" and two_reports.index.count() == count
    answer = two_reports.ask("What did inspectors find in Cambridgeshire?")
    assert answer.citations and {c.report for c in answer.citations} == {"cambridgeshire-2019-02-18"}


@pytest.mark.slow
@needs_corpus
def test_another_inspection_under_a_taken_name_is_refused_unless_replace(own_two_reports, tmp_path):
    two_reports = own_two_reports
    count, before = two_reports.index.count(), two_reports.paragraphs("cambridgeshire-2019-02-18")
    clash = _copy(CAMBS_2024, tmp_path / "cambridgeshire" / "2019-02-18.pdf")
    with pytest.raises(ReportFormatError, match="already Cambridgeshire's inspection.*--replace"):
        two_reports.ingest(clash)
    assert two_reports.index.count() == count and two_reports.paragraphs("cambridgeshire-2019-02-18") == before

    result = two_reports.ingest(clash, replace=True)
    assert result.outcome == "replaced" and "sha256" in result.note
    entry = two_reports.index.reports()["cambridgeshire-2019-02-18"]
    [record] = entry["replaced"]
    assert record["old_source"] == str(CAMBS_2019.resolve()) and record["new_source"] == str(clash.resolve())
    assert record["old_sha256"] != record["new_sha256"] == entry["sha256"]
    assert entry["inspection_start"].startswith("2024")


@pytest.mark.slow
@needs_corpus
def test_the_cli_refuses_a_clash_and_replaces_when_told(tmp_path):
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(tmp_path / "index"), "ASSISTANT_REPORTS": "[]"}
    clash = _copy(CAMBS_2024, tmp_path / "cambridgeshire" / "2019-02-18.pdf")

    def ingest(*args):
        return subprocess.run([sys.executable, "-m", "assistant", "ingest", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300)

    assert ingest(str(CAMBS_2019)).returncode == 0
    refused = ingest(str(clash))
    assert refused.returncode != 0 and "--replace" in refused.stderr and "Traceback" not in refused.stderr
    replaced = ingest("--replace", str(clash))
    assert replaced.returncode == 0 and "replaced the version indexed from" in replaced.stdout
    manifest = Assistant(Settings(index_dir=tmp_path / "index", reports=[])).index.reports()
    assert json.dumps(manifest["cambridgeshire-2019-02-18"]["replaced"])


@pytest.mark.slow
@needs_corpus
def test_a_file_rewritten_while_it_is_ingested_is_read_again_next_time(tmp_path, embeddings, monkeypatch):
    """The digest stored is of the bytes parsed, so the newer contents are not taken as indexed."""
    import assistant.retrieval.ingesting as ingesting

    path = _copy(CAMBS_2019, tmp_path / "reports" / "latest.pdf")
    start = ingesting.start_parsing

    class ParseThenRewrite:
        def __init__(self, job):
            self.job = job

        def result(self):
            parsed = self.job.result()
            shutil.copyfile(STOCKTON_2019, path)  # saved over while the first version is being indexed
            return parsed

        def cancel(self):
            self.job.cancel()

    bot = Assistant(Settings(index_dir=tmp_path / "index", reports=[]), embeddings=embeddings)
    monkeypatch.setattr(ingesting, "start_parsing", lambda to, file: ParseThenRewrite(start(to, file)))
    bot.ingest(path)
    monkeypatch.setattr(ingesting, "start_parsing", start)
    assert [r.authority for r in bot.reports()] == ["Cambridgeshire"]
    summary = bot.ingest_many([path])
    assert not summary.skipped and len(summary.indexed) == 1
    assert sorted(r.authority for r in bot.reports()) == ["Cambridgeshire", "Stockton-on-Tees"]
