"""Both gold sets hold together against the reports as the project parses them: labels exist, key facts are in the gold passages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eval.check_gold import DEFAULT_GOLD, DEFAULT_REPORTS, check
from eval.run import read_reports_file

EVAL = Path(__file__).resolve().parents[1] / "eval"


def test_ealing_gold_set_is_consistent_with_the_report():
    errors, _, summary = check(DEFAULT_GOLD, DEFAULT_REPORTS)
    assert errors == [], "\n".join(errors)
    assert "total 158" in summary


def test_five_report_gold_set_is_consistent_with_its_reports():
    reports = read_reports_file(EVAL / "corpus_reports.txt")
    if not all(r.is_file() for r in reports) and not os.environ.get("CI"):
        pytest.skip("the Ofsted corpus is not beside the project")
    errors, _, summary = check(EVAL / "gold_corpus.jsonl", reports)
    assert errors == [], "\n".join(errors)
    assert "total 91" in summary


@pytest.mark.parametrize(
    "name", ["multi_dev", "multi_test", "general_dev", "general_devb", "general_devc", "general_devd", "general_deve", "general_devf", "general_devg", "general_devh", "general_test", "grades_dev", "grades_test", "grades_dev2",
             "grades_dev3", "grades_dev4", "grades_dev5", "grades_dev6", "grades_dev7"])
def test_gold_sets_split_by_authority_are_consistent_with_their_reports(name):
    from eval.check_gold import check_by_id

    # The aggregate questions are over the general sets' reports, but for the later dev sets' own.
    reports_of = name if name.startswith("grades_dev") and name != "grades_dev" else name.replace("grades_", "general_")
    reports = read_reports_file(EVAL / f"{reports_of}_reports.txt")
    if not all(r.is_file() for r in reports) and not os.environ.get("CI"):
        pytest.skip("the Ofsted corpus is not beside the project")
    errors, summary = check_by_id(EVAL / f"gold_{name}.jsonl", reports, facts_in_passages=not name.startswith("grades"))
    assert errors == [], "\n".join(errors)
