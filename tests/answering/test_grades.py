"""Grade questions are answered from the report's judgement table: which rows a question asks for."""

from __future__ import annotations

import pytest

from assistant.reading.grades import grade_line, grade_question, select

SIF = [
    ("Children's services overall", "Requires improvement"),
    ("Children who need help and protection", "Inadequate"),
    ("Children looked after and achieving permanence", "Requires improvement"),
    ("Adoption performance", "Good"),
    ("Experiences and progress of care leavers", "Good"),
    ("Leadership, management and governance", "Inadequate"),
    ("Local Safeguarding Children Board", "Good"),
]
ILACS = [
    ("The impact of leaders on social work practice with children and families", "Good"),
    ("The experiences and progress of children who need help and protection", "Outstanding"),
    ("The experiences and progress of children in care", "Good"),
    ("The experiences and progress of care leavers", "Requires improvement to be good"),
    ("Overall effectiveness", "Good"),
]
NAMES = {"barsetshire"}


def rows(question: str, judgements: list[tuple[str, str]]) -> list[str] | None:
    asked = grade_question(question)
    assert asked is not None, question
    picked = select(asked, judgements, NAMES)
    return None if picked is None else [area for area, _ in picked]


@pytest.mark.parametrize(
    "question, judgements, expected",
    [
        ("What was Barsetshire's overall judgement?", SIF, ["Children's services overall"]),
        ("What was the overall effectiveness grade?", SIF, ["Children's services overall"]),
        ("What was the overall judgement?", ILACS, ["Overall effectiveness"]),
        ("How was adoption graded?", SIF, ["Adoption performance"]),
        ("How were care leavers rated?", ILACS, ["The experiences and progress of care leavers"]),
        ("What grade did leadership get?", ILACS, [ILACS[0][0]]),
        ("How were the leaders judged?", SIF, ["Leadership, management and governance"]),
        ("What grade did the LSCB get?", SIF, ["Local Safeguarding Children Board"]),
        ("Which areas were judged inadequate?", SIF,
         ["Children who need help and protection", "Leadership, management and governance"]),
        ("What grades did Barsetshire get in 2017?", ILACS, [a for a, _ in ILACS]),
    ],
)
def test_the_rows_a_question_asks_for(question, judgements, expected):
    assert rows(question, judgements) == expected


def test_an_area_this_framework_does_not_grade_is_an_empty_answer():
    assert rows("What grade did the Local Safeguarding Children Board get?", ILACS) == []


def test_a_grade_no_area_has_is_an_empty_answer():
    assert rows("Which areas were judged outstanding?", SIF) == []


@pytest.mark.parametrize(
    "question",
    [
        "How was private fostering judged?",  # a topic, not a graded area: the report's text answers it
        "What rating did the fostering panel give the carers?",
    ],
)
def test_questions_about_other_topics_are_not_grade_questions(question):
    assert rows(question, SIF) is None


@pytest.mark.parametrize(
    "question",
    [
        "Why was Barsetshire judged inadequate?",  # asks for reasons
        "Was Barsetshire judged outstanding?",  # presumes a grade: the premise check answers it
        "What did inspectors say about private fostering?",  # no grade asked
    ],
)
def test_questions_that_do_not_ask_for_grades(question):
    assert grade_question(question) is None


def test_grade_line_quotes_the_report_or_nothing():
    lines = ["Children’s services in Barsetshire require improvement.", "Adoption performance: Good.",
             "The experiences and progress of children care leavers: Requires improvement to be good."]
    assert grade_line("Adoption performance", "Good", lines) == "Adoption performance: Good."
    assert grade_line("Children's services overall", "Requires improvement", lines) == lines[0]
    # The table's own line, spelled a little differently from the area the parser recorded.
    assert grade_line("The experiences and progress of care leavers", "Requires improvement to be good", lines) == lines[2]
    assert grade_line("Leadership, management and governance", "Good", lines) is None  # never made up


def test_every_grade_quoted_from_a_real_report_stands_in_the_passage_cited():
    import os
    from pathlib import Path

    from assistant.reading.grades import grade_evidence
    from eval.metrics import holds
    from assistant.errors import ReportFormatError
    from ingest import parse_path

    pdfs = sorted((Path(__file__).resolve().parents[3] / "shared" / "ofsted" / "pdfs").glob("*/*.pdf"))[::20]
    if not pdfs and not os.environ.get("CI"):
        pytest.skip("the Ofsted corpus is not beside the project")
    quoted = total = 0
    for pdf in pdfs:
        try:
            report = parse_path(pdf)
        except ReportFormatError:
            continue  # one of the seven reports refused whole (README)
        for area, grade in report.judgements:
            passage, line = grade_evidence(report.paragraphs, area, grade)
            assert passage.report == report.report
            total += 1
            if line is not None:
                assert holds(passage.text, line), (report.report, area, line)
                quoted += 1
    assert total and quoted / total >= 0.9  # the rest are printed only as headings or graphics


def test_grade_questions_are_answered_from_the_judgement_table(bot):
    answer = bot.ask("How was adoption performance graded?")
    assert answer.answer == "Adoption performance: Good. [Judgements]"
    assert [c.label for c in answer.citations] == ["Judgements"]
    assert answer.highlights == {"Judgements": ["Adoption performance: Good."]}


def test_which_question_lists_the_areas_with_that_grade(bot):
    answer = bot.ask("Which areas were judged outstanding?")
    assert answer.answer == "Experiences and progress of care leavers: Outstanding. [Judgements]"
    assert not answer.abstained


def test_retrieval_puts_the_judgements_first_for_a_grade_question(bot):
    assert bot.retrieve("What was the overall judgement?", k=3)[0].label == "Judgements"
    assert bot.retrieve("What grade did the LSCB get?", k=3)[0].label == "LSCB executive summary"



def test_a_report_without_an_overall_row_answers_with_the_grades_it_gives():
    without_overall = [row for row in SIF if row[0] != "Children's services overall"]
    assert rows("What was the overall effectiveness grade?", without_overall) == [a for a, _ in without_overall]


@pytest.mark.parametrize("judgements, area", [(SIF, "Children's services overall"), (ILACS, "Overall effectiveness")])
def test_a_presumed_overall_grade_is_checked_against_either_frameworks_overall_row(judgements, area):
    from assistant.answering.report_grades import ReportGradeAnswerer

    answerer = ReportGradeAnswerer(None, lambda _: judgements, lambda _: [], None, set(), 6)
    grade = dict(judgements)[area]
    assert answerer.mismatch("outstanding", "Why was Barsetshire judged outstanding?", "r") == (area, grade, "outstanding")


def _table_answerer(tables: dict[str, list[tuple[str, str]]], dates: bool = False, rest_shown: int = 12):
    """``ask(question)`` over made-up reports (id → judgement table), as ``Assistant.ask`` routes it."""
    from assistant.answering.grade_answers import GradeTableAnswerer
    from assistant.answering.grade_quotes import GradeQuoter
    from assistant.answering.grade_scope import grade_table_query
    from assistant.reading.reports import Catalogue, Scope
    from ingest.records import build_paragraphs

    manifest = {r: {"authority": r.split("-")[0].title(), "judgements": [list(j) for j in t], "published_on": r[-10:],
                    **({"inspection_start": r[-10:-2] + "01", "inspection_end": r[-10:-2] + "10"} if dates else {})}
                for r, t in tables.items()}
    passages = {r: build_paragraphs(r, [(None, "Judgements", "Judgements", "\n".join(f"{a}: {g}." for a, g in t))],
                                    lambda _: "general") for r, t in tables.items()}
    catalogue = Catalogue(manifest)
    answerer = GradeTableAnswerer(GradeQuoter(lambda r: passages[r], catalogue), catalogue, rest_shown)

    def ask(question):
        table = grade_table_query(catalogue, question, catalogue.read(question), Scope())
        assert table is not None, question
        return answerer.run(*table)

    return ask


def test_a_question_across_reports_finds_each_report_with_that_grade():
    ask = _table_answerer({"barsetshire-2015-03-01": SIF, "wessex-2024-05-01": ILACS})

    good = ask("Which councils got a good overall grade?")
    assert good.answer.startswith("1 of the 2 loaded reports") and "Wessex 2024" in good.answer
    assert "Barsetshire" not in good.answer and [c.report for c in good.citations] == ["wessex-2024-05-01"]
    # Across frameworks: "care leavers" is one area in both; "requires improvement to be good" counts.
    leavers = ask("Which reports say care leavers' services require improvement?")
    assert "Wessex 2024" in leavers.answer and "Barsetshire" not in leavers.answer
    both = ask("Which reports rated leadership inadequate but adoption good?")
    assert "Barsetshire 2015" in both.answer and "Wessex" not in both.answer
    none = ask("Which councils had adoption judged outstanding?")
    assert none.abstained and none.answer.startswith("None of the 2 loaded reports")
    assert "Barsetshire" not in none.answer and "Barsetshire 2015" in none.notes[-1]  # what was searched
    count = ask("How many reports rated help and protection outstanding or inadequate?")
    assert count.answer.startswith("2 of the 2 loaded reports")
    ungraded = ask("Which report has no grade for the LSCB?")
    assert "Wessex 2024" in ungraded.answer and "Barsetshire" not in ungraded.answer.split(":")[0]


def test_dates_both_inspections_and_yes_or_no_across_reports():
    ask = _table_answerer({"barsetshire-2015-03-01": SIF, "barsetshire-2024-05-01": ILACS, "wessex-2024-06-01": ILACS},
                          dates=True)

    before = ask("Which reports published before 2020 rated leadership inadequate?")
    assert "Barsetshire 2015" in before.answer and "2024" not in before.answer.split(":")[0]
    none_then = ask("Which councils were judged good overall in reports published between 2017 and 2019?")
    assert none_then.abstained and "between 2017 and 2019" in none_then.answer
    assert ask("Did any report published since 2020 judge help and protection outstanding?").answer.startswith("Yes")
    assert ask("Were any councils rated inadequate overall after 2020?").answer.startswith("No")
    both = ask("Which councils had help and protection judged good or better at both inspections?")
    assert "Wessex" in both.answer and "Barsetshire" not in both.answer
    either = ask("Which councils had adoption or help and protection judged good or better at both inspections?")
    assert "Wessex" in either.answer and "Barsetshire 2015: Adoption performance: Good" in either.answer
    inspected = ask("Which councils were inspected in June 2024?")
    assert "Wessex 2024" in inspected.answer and "Barsetshire 2024" not in inspected.answer
    over_time = ask("How did Barsetshire's help and protection grade change between its inspections?")
    assert over_time.answer.startswith("Help and protection got better: inadequate (Barsetshire 2015), then outstanding")
    which = ask("Barsetshire or Wessex: whose latest leadership grade was higher?")
    assert "Neither" in which.answer.split(":")[0]


def test_which_authorities_improved_or_declined_and_shares():
    ask = _table_answerer({"barsetshire-2015-03-01": SIF, "barsetshire-2024-05-01": ILACS,
                           "wessex-2016-03-01": ILACS, "wessex-2024-06-01": SIF})
    improved = ask("Which councils improved their help and protection grade?")
    assert improved.answer.startswith("1 of the 2 authorities") and "Barsetshire: inadequate (Barsetshire 2015) to " \
        "outstanding (Barsetshire 2024)" in improved.answer and "Wessex" not in improved.answer
    declined = ask("Have any councils seen their overall grade decline?")
    assert declined.answer.startswith("Yes: 1 of the 2 authorities") and "Wessex: good" in declined.answer
    share = ask("What proportion of reports rated leadership good?")
    assert share.answer.startswith("2 of the 4 loaded reports in scope (50%) judged leadership as good")
    latest = ask("Which councils are currently judged good overall?")
    assert latest.answer.startswith("1 of the 2 loaded reports") and "Barsetshire 2024" in latest.answer


def test_named_authorities_and_shares_also_show_the_reports_that_do_not_meet_the_condition():
    tables = {"barsetshire-2015-03-01": SIF, "wessex-2024-05-01": ILACS, "mercia-2023-02-01": SIF}
    ask = _table_answerer(tables)
    named = ask("Of Barsetshire and Wessex, whose help and protection was judged outstanding?")
    meeting, rest = named.answer.split("The other loaded report did not:")
    assert "Wessex 2024" in meeting and "Barsetshire" not in meeting and "Mercia" not in named.answer
    assert "Barsetshire 2015" in rest and "Inadequate" in rest
    assert {c.report for c in named.citations} == {"barsetshire-2015-03-01", "wessex-2024-05-01"}
    unnamed = ask("Which councils had help and protection judged outstanding?")
    assert "Barsetshire" not in unnamed.answer and "did not" not in unnamed.answer
    share = ask("What percentage of reports rated help and protection outstanding?")
    assert share.answer.startswith("1 of the 3 loaded reports in scope (33%)")
    assert "The other 2 loaded reports did not:" in share.answer and len({c.report for c in share.citations}) == 3
    # Above the limit the others are counted, not listed.
    few = _table_answerer(tables, rest_shown=1)("What percentage of reports rated help and protection outstanding?")
    assert "did not" not in few.answer and "Barsetshire" not in few.answer

    ask = _table_answerer({"barsetshire-2015-03-01": SIF, "barsetshire-2024-05-01": ILACS,
                           "wessex-2016-03-01": ILACS, "wessex-2024-06-01": SIF})
    which = ask("Barsetshire v Wessex: which has improved its help and protection grade?")
    improved, other = which.answer.split("The other authority did not:")
    assert "Barsetshire: inadequate (Barsetshire 2015) to outstanding (Barsetshire 2024)" in improved
    assert "Wessex: outstanding (Wessex 2016) to inadequate (Wessex 2024)" in other


def test_transitions_distributions_ever_and_plain_words_for_grades():
    ask = _table_answerer({"barsetshire-2015-03-01": SIF, "barsetshire-2024-05-01": ILACS,
                           "wessex-2016-03-01": ILACS, "wessex-2024-06-01": SIF})
    moved = ask("Which councils went from inadequate to outstanding for help and protection?")
    assert "Barsetshire: inadequate (Barsetshire 2015) to outstanding (Barsetshire 2024)" in moved.answer
    assert "Wessex" not in moved.answer
    spread = ask("What overall grades did the reports give?")
    assert spread.answer.startswith("Overall effectiveness, in 4 loaded reports in scope: 2 good, 2 requires improvement")
    assert {c.report for c in spread.citations} == {"barsetshire-2015-03-01", "barsetshire-2024-05-01",
                                                    "wessex-2016-03-01", "wessex-2024-06-01"}
    ever = ask("Was Wessex ever rated inadequate for anything?")
    assert ever.answer.startswith("Yes: 1 of the 2 loaded reports") and "Wessex 2024" in ever.answer
    failing = ask("Who is failing on leadership?")
    assert "Barsetshire 2015" in failing.answer and "Wessex 2016" not in failing.answer


def test_now_means_each_authoritys_latest_report():
    ask = _table_answerer({"barsetshire-2015-03-01": SIF, "barsetshire-2024-05-01": ILACS, "wessex-2024-06-01": SIF})
    now = ask("Which councils are now rated inadequate for leadership?")
    assert "Wessex 2024" in now.answer and "Barsetshire" not in now.answer


def test_a_grade_said_better_or_worse_at_one_inspection_is_set_against_the_ones_before():
    ask = _table_answerer({"barsetshire-2015-03-01": SIF, "barsetshire-2019-05-01": ILACS,
                           "barsetshire-2024-05-01": SIF, "wessex-2024-06-01": ILACS})
    worse = ask("Did Barsetshire's help and protection grade get worse at its 2024 inspection?")
    assert {c.report for c in worse.citations} == {"barsetshire-2015-03-01", "barsetshire-2019-05-01",
                                                   "barsetshire-2024-05-01"}
    assert "From Barsetshire 2019 to Barsetshire 2024: outstanding to inadequate, worse." in worse.answer
    assert "Wessex" not in worse.answer


def test_ever_shows_the_reports_that_do_not_grade_the_area_too():
    ask = _table_answerer({"barsetshire-2015-03-01": SIF, "barsetshire-2024-05-01": ILACS})
    ever = ask("Was Barsetshire ever rated good for adoption?")
    assert ever.answer.startswith("Yes: 1 of the 2 loaded reports")
    assert "Barsetshire 2024 (" in ever.answer and "gives no grade for adoption" in ever.answer
    assert {c.report for c in ever.citations} == {"barsetshire-2015-03-01", "barsetshire-2024-05-01"}


def test_an_area_the_report_says_it_did_not_judge_is_quoted_from_where_it_says_so():
    from assistant.answering.grade_quotes import Evidence, GradeQuoter
    from assistant.reading.grades import area_asked
    from assistant.reading.reports import Catalogue
    from ingest.records import build_paragraphs

    section = "The experiences and progress of children looked after and achieving permanence"
    passages = build_paragraphs("barsetshire-2016-03-01", [
        (1, section, section, "No child was placed for adoption. Therefore adoption performance was not judged."),
        (2, section, section, "Care leavers were not judged to be at risk.")], lambda _: "general")
    catalogue = Catalogue({"barsetshire-2016-03-01": {"authority": "Barsetshire", "published_on": "2016-03-01"}})
    quoter = GradeQuoter(lambda r: passages, catalogue)
    assert area_asked(grade_question("What grade did Barsetshire get for adoption?")) == "adoption"
    evidence = Evidence()
    said = quoter.ungraded("barsetshire-2016-03-01", "adoption", evidence)
    assert said.startswith("“Therefore adoption performance was not judged.”") and len(evidence.sources) == 1
    # "not judged to be at risk" is a finding, not an area left ungraded
    assert quoter.ungraded("barsetshire-2016-03-01", "care_leavers", Evidence()) == ""
