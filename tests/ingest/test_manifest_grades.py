"""The parser's grades checked against the record: every report in Ofsted's manifest with an overall
grade gets the same overall grade from its own PDF, and every report published under the framework
that gives none gets none. Slow: parses the whole corpus (about 40–75 s on two cores)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from assistant.errors import ReportFormatError
from assistant.reading.judgements import GRADES, area_keys, grade_key
from ingest import parse_path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "ofsted"
pytestmark = pytest.mark.slow


def _overall(judgements: list[tuple[str, str]]) -> str | None:
    return next((grade_key(g) for a, g in judgements if area_keys(a) == ("overall",)), None)


def test_every_parsed_overall_grade_agrees_with_the_manifest():
    if not (CORPUS / "manifest.csv").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the Ofsted corpus is missing at {CORPUS}")
        pytest.skip("the Ofsted corpus is not beside the project")
    disagreements, checked, ungraded = [], 0, 0
    for row in csv.DictReader((CORPUS / "manifest.csv").open(encoding="utf-8")):
        recorded = row["overall"].strip().lower()
        if recorded not in GRADES and recorded != "not_reported_post_reform":
            continue  # the manifest has no overall grade for it
        try:
            parsed = _overall(parse_path(CORPUS / "pdfs" / row["file"]).judgements)
        except ReportFormatError:
            continue  # one of the seven reports refused whole (README)
        if recorded == "not_reported_post_reform":
            ungraded += 1
            if parsed is not None:
                disagreements.append(f"{row['file']}: manifest gives no overall grade, parsed {parsed!r}")
            continue
        checked += 1
        if parsed != recorded:
            disagreements.append(f"{row['file']}: manifest {recorded!r}, parsed {parsed!r}")
    print(f"{checked} overall grades and {ungraded} reports without one checked against the manifest")
    assert checked >= 250 and ungraded >= 10
    assert not disagreements, "\n".join(disagreements)
