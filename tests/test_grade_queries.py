"""Questions over many reports' grades, read into a GradeQuery; the areas and grades of the one
table (assistant.judgements) across frameworks."""

from __future__ import annotations

import pytest

from assistant.grade_queries import ANY_AREA, Condition, read_grade_query
from assistant.judgements import area_keys, grade_key, report_rows, to_csv
from assistant.reports import ReportInfo


def read(topic: str, authorities: int = 0, reports: int = 20):
    return read_grade_query(topic, authorities=authorities, reports=reports)


@pytest.mark.parametrize(
    "printed, keys",
    [
        ("Children's services overall", ("overall",)),
        ("Overall effectiveness", ("overall",)),
        ("Leadership, management and governance", ("leaders",)),
        ("The impact of leaders on social work practice with children and families is", ("leaders",)),
        ("Children who need help and protection", ("help_protection",)),
        ("The experiences and progress of children looked after and achieving permanence", ("children_in_care",)),
        ("The experiences and progress of children in care and care leavers", ("children_in_care", "care_leavers")),
        ("The experiences and progress of children care leavers", ("care_leavers",)),  # as printed from 2025
        ("2.1 Adoption performance", ("adoption",)),
        ("Local Safeguarding Children Board", ("lscb",)),
        # a row glued to the one before it by the PDF's text layer keeps its own area
        ("Requires improvement to be good The experiences and progress of care leavers", ("care_leavers",)),
    ],
)
def test_every_frameworks_area_names_map_to_one_plain_area(printed, keys):
    assert area_keys(printed) == keys


def test_grades_in_every_wording():
    assert grade_key("Requires improvement to be good") == "requires improvement"
    assert grade_key("requiring improvement") == "requires improvement"
    assert grade_key("Outstanding") == "outstanding" and grade_key("no grade") is None


def test_a_combined_row_counts_for_both_areas_and_exports_one_line_each():
    info = ReportInfo("wessex-2019-05-01", "Wessex", "ilacs-standard", "2019-03-01", "2019-03-12", "2019-05-01",
                      judgements={"The experiences and progress of children in care and care leavers": "Good",
                                  "Overall effectiveness": "Requires improvement to be good"}, name="Wessex 2019")
    rows = report_rows(info)
    assert [(r.area, r.grade) for r in rows] == [
        ("overall", "requires improvement"), ("children_in_care", "good"), ("care_leavers", "good")]
    lines = to_csv(rows).splitlines()
    assert lines[0].startswith("report,name,authority,kind") and len(lines) == 4
    assert lines[1].startswith("wessex-2019-05-01,Wessex 2019,Wessex,ilacs-standard")


@pytest.mark.parametrize(
    "topic, intent, conditions",
    [
        ("Which authorities were rated outstanding overall?", "list", [("overall", {"outstanding"})]),
        ("List the councils graded inadequate", "list", [("overall", {"inadequate"})]),
        ("How many reports judged the LSCB good?", "count", [("lscb", {"good"})]),
        ("Which reports rated care leavers and adoption outstanding?", "list",
         [("adoption", {"outstanding"}), ("care_leavers", {"outstanding"})]),
        ("Which reports rated care leavers or adoption outstanding?", "list",
         [("adoption", {"outstanding"}, {"care_leavers"})]),
        ("Which councils had help and protection rated good but leadership inadequate?", "list",
         [("help_protection", {"good"}), ("leaders", {"inadequate"})]),
        ("Whose looked after children services were found to be requiring improvement?", "list",
         [("children_in_care", {"requires improvement"})]),
        ("Which reports gave an inadequate grade in any area?", "list", [(ANY_AREA, {"inadequate"})]),
        ("How many councils were judged good or outstanding overall?", "count", [("overall", {"good", "outstanding"})]),
    ],
)
def test_conditions_join_each_grade_to_the_area_it_is_said_of(topic, intent, conditions):
    asked = read(topic)
    assert asked.intent == intent
    assert sorted(asked.conditions, key=lambda c: c.area) == sorted(
        (Condition(a, frozenset(g), alternatives=frozenset(rest[0] if rest else ())) for a, g, *rest in conditions),
        key=lambda c: c.area)


def test_change_over_time_comparisons_and_missing_areas():
    history = read("How did 's grade for children in care move across its inspections?", authorities=1, reports=3)
    assert history.intent == "history" and history.shown_areas == ("children_in_care",)
    compared = read("Was 's leadership rated higher than 's?", authorities=2, reports=2)
    assert compared.intent == "compare" and compared.direction == "better" and compared.areas == ("leaders",)
    two_areas = read("Was adoption graded worse than care leavers?", authorities=1, reports=1)
    assert two_areas.intent == "compare" and two_areas.areas == ("adoption", "care_leavers")
    missing = read("Which reports do not give an overall judgement?")
    assert missing.intent == "missing" and missing.shown_areas == ("overall",)
    metadata = read("Which local authorities were inspected in 2019?")
    assert metadata.intent == "metadata"


@pytest.mark.parametrize(
    "topic",
    [
        "Why was leadership judged inadequate?",  # asks why: the report's reasons, not the table
        "What did inspectors say about care leavers' accommodation?",
        "How good is the support for care leavers?",  # "good" as a word, no grade asked across reports
    ],
)
def test_questions_that_are_not_about_many_reports_grades(topic):
    assert read(topic, reports=1) is None
    assert read(topic, reports=20) is None


def test_every_area_exclusions_and_ranges():
    every = read("Which reports rated every area outstanding?")
    assert every.conditions == (Condition(ANY_AREA, frozenset({"outstanding"}), every=True),)
    excluded = read("Which councils had no area judged inadequate?")
    assert excluded.conditions == (Condition(ANY_AREA, frozenset({"inadequate"}), excluded=True),)
    at_least = read("Which reports judged leadership good or better?")
    assert at_least.conditions == (Condition("leaders", frozenset({"good", "outstanding"})),) and not at_least.direction
    below = read("How many reports rated care leavers below good?")
    assert below.conditions == (Condition("care_leavers", frozenset({"requires improvement", "inadequate"})),)


def test_yes_no_questions_and_every_report_of_an_authority():
    assert read("Have any reports judged adoption inadequate?").yes_no
    assert read("In the latest reports, were any councils rated inadequate overall?").yes_no
    assert not read("Which reports judged adoption inadequate?").yes_no
    both = read("Which councils were rated good overall at both of their inspections?")
    assert both.every_report and both.intent == "list"
    assert not read("Which councils were rated good overall?").every_report
