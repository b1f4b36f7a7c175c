"""Questions over many reports' grades, read into a GradeQuery; the areas and grades of the one
table (assistant.reading.judgements) across frameworks."""

from __future__ import annotations

import pytest

from assistant.reading.grade_queries import ANY_AREA, Condition, area_summarised, read_grade_query
from assistant.reading.grades import grade_question
from assistant.reading.judgements import area_keys, grade_key, report_rows, to_csv
from assistant.reading.question import NOT_TOPIC
from assistant.reading.reports import ReportInfo


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


@pytest.mark.parametrize(
    "topic, conditions",
    [
        # shorthand staff write: RI in capitals, CLA/LAC for children in care, plain words in the plural
        ("Which councils got RI for leadership?", [("leaders", {"requires improvement"})]),
        ("Which reports rated LAC inadequate?", [("children_in_care", {"inadequate"})]),
        ("Who got top grades for adoption?", [("adoption", {"outstanding"})]),
    ],
)
def test_shorthand_for_areas_and_grades(topic, conditions):
    assert read(topic).conditions == tuple(Condition(a, frozenset(g)) for a, g in conditions)


def test_a_grade_said_again_in_the_negative_narrows_the_same_area():
    for topic in ("Which reports rated care leavers good (not outstanding)?",
                  "Which reports rated care leavers good but not outstanding?"):
        assert read(topic).conditions == (Condition("care_leavers", frozenset({"good"})),)
    # "at least good, not outstanding" leaves good alone
    assert read("Which reports judged adoption at least good, not outstanding?").conditions == (
        Condition("adoption", frozenset({"good"})),)


def test_every_judgement_graded_and_one_authority_ever_or_over_its_inspections():
    every = read("How many reports gave every single judgement a good?")
    assert every.intent == "count" and every.conditions == (Condition(ANY_AREA, frozenset({"good"}), every=True),)
    ever = read("Has ever had an inadequate for its LSCB?", authorities=1, reports=2)
    assert ever.ever and ever.conditions == (Condition("lscb", frozenset({"inadequate"})),)
    tracked = read("Follow 's adoption grade over its three inspections", authorities=1, reports=3)
    assert tracked.intent == "history" and tracked.shown_areas == ("adoption",)
    against = read("Is overall better or worse now, compared with its first inspection?", authorities=1, reports=2)
    assert against.intent == "history"


def test_still_needs_improvement_and_trends_said_as_a_worse_grade():
    merely = read("Which councils were good overall where leadership was still only requiring improvement?")
    assert not merely.now and set(merely.conditions) == {
        Condition("overall", frozenset({"good"})), Condition("leaders", frozenset({"requires improvement"}))}
    assert read("No. of reports where care leavers needed improvement?").conditions == (
        Condition("care_leavers", frozenset({"requires improvement"})),)
    assert read("No. of reports where care leavers needed improvement?").intent == "count"
    worse = read("Did any council receive a lower overall grade at its latest inspection than its first?")
    assert worse.intent == "trend" and worse.direction == "worse"
    better = read("Which councils improved overall?")
    assert better.intent == "trend" and better.direction == "better"
    still = read("Is adoption still rated good?", authorities=1, reports=3)
    assert still.intent == "history" and still.now


def test_an_area_in_an_aside_does_not_take_a_grade_outside_it():
    every = read("Which reports judged every area (the board too, where there was one) inadequate?")
    assert every.conditions == (Condition(ANY_AREA, frozenset({"inadequate"}), every=True),)
    # an aside that names the same area again
    again = read("Which reports judged care leavers (young people leaving care) good?")
    assert again.conditions == (Condition("care_leavers", frozenset({"good"})),)


def test_search_box_queries_and_grades_said_as_avoided():
    assert read("inadequate leadership 2016").conditions == (Condition("leaders", frozenset({"inadequate"})),)
    assert read("reports rated good for care leavers").intent == "list"
    avoided = read("Which councils were good overall but avoided an inadequate for adoption?")
    assert Condition("adoption", frozenset({"inadequate"}), excluded=True) in avoided.conditions
    assert not read("Which councils were inadequate overall but still good for adoption?").now


def test_trends_over_two_points_in_time_and_unchanged_grades():
    lower = read("Which councils are rated worse for care leavers now than at their first inspection?")
    assert lower.intent == "trend" and lower.direction == "worse" and lower.shown_areas == ("care_leavers",)
    same = read("Whose leadership grade stayed the same from first to latest inspection?")
    assert same.intent == "trend" and same.direction == "same"
    pair = read(" v : which improved its adoption grade since the SIF?", authorities=2, reports=4)
    assert pair.intent == "trend" and pair.direction == "better"
    two = read("adoption 2015 vs 2023", authorities=1, reports=3)
    assert two.intent == "history" and two.shown_areas == ("adoption",)
    then_now = read("What was the overall grade at the first inspection and what is it now?", authorities=1, reports=3)
    assert then_now.intent == "history"


def test_a_report_named_by_its_place_in_time_is_not_a_grade_history():
    topic = "In the previous inspection, the one before the latest, what did inspectors say about care leavers' homes?"
    assert read(topic, authorities=1, reports=3) is None


def test_which_two_reports_a_trend_compares():
    lost = read("Which authorities dropped from good at the following inspection?")
    assert lost.intent == "trend" and lost.transition == ("good", "") and lost.pairs == "consecutive"
    last = read("Which councils had a lower overall grade in their latest report than in the one before?")
    assert last.intent == "trend" and last.direction == "worse" and last.pairs == "last-two"
    wide = read("Which councils moved from requires improvement in their first report to good in their newest?")
    assert wide.intent == "trend" and wide.transition == ("requires improvement", "good")
    assert read("Which councils improved their help and protection grade?").pairs == "first-latest"


def test_one_area_graded_against_another_in_the_same_report():
    higher = read("Which reports rated care leavers better than children in care?")
    assert higher.intent == "list"
    assert higher.conditions[-1].area == "care_leavers" and higher.conditions[-1].than == "children_in_care"
    assert higher.conditions[-1].direction == "better"
    lower = read("how many reports had leadership good but help and protection rated worse")
    assert lower.intent == "count"
    assert (lower.conditions[-1].area, lower.conditions[-1].than) == ("help_protection", "leaders")
    assert Condition("leaders", frozenset({"good"})) in lower.conditions
    # a bound on a grade is not another area: "good or better", "worse than good"
    assert all(not c.than for c in read("Which councils had adoption and leadership good or better?").conditions)


def test_still_and_proportions_said_of_grades():
    still = read("Is it still rated inadequate?", authorities=1, reports=3)
    assert still is not None and still.conditions[0].grades == frozenset({"inadequate"})
    share = read("What proportion of the reports came out good overall?")
    assert share.intent == "count" and share.conditions == (Condition("overall", frozenset({"good"})),)


@pytest.mark.parametrize("topic", [
    "Did 's care leavers grade drop between the two inspections?",
    "Has the overall grade gone up?",
    "Did its leadership rating slip?",
])
def test_a_grade_moving_said_in_any_tense_is_one_authoritys_history(topic):
    moved = read(topic, authorities=1, reports=2)
    assert moved.intent == "history"


@pytest.mark.parametrize("topic, direction", [
    ("Which councils' overall grades dropped?", "worse"),
    ("Which councils saw care leavers fall to inadequate?", "worse"),
    ("Which authorities' adoption grade rose?", "better"),
    ("Which councils' leadership grade has gone up?", "better"),
])
def test_grades_moving_across_councils_in_any_tense_are_trends(topic, direction):
    trend = read(topic)
    assert trend.intent == "trend" and trend.direction == direction


def test_grading_asked_as_a_verb():
    assert grade_question("How did Ofsted rate adoption performance?") is not None
    assert grade_question("How would inspectors judge the front door?") is not None
    assert grade_question("What is the rate of re-referrals?") is None
    assert grade_question("How did the judge describe the quality of court work?") is None  # a judge, not judging
    assert read("Which councils did inspectors judge outstanding?").conditions == (
        Condition("overall", frozenset({"outstanding"})),)


@pytest.mark.parametrize("topic, area", [
    ("Summarise what the report says about care leavers.", "care_leavers"),
    ("What did inspectors find about the LSCB?", "lscb"),
    ("What did inspectors say about care leavers' health?", None),  # a topic within the area
    ("What did inspectors say about private fostering?", None),
    ("What did inspectors say about adoption and care leavers?", None),  # two areas: no one grade leads
])
def test_a_summary_of_one_judgement_area_and_nothing_else(topic, area):
    assert area_summarised(topic, NOT_TOPIC) == area
