"""Report names for citations and the scope of a question, from the manifest alone (no index needed)."""

from __future__ import annotations

import pytest

from assistant.reading.report_info import citation_line
from assistant.reading.reports import Catalogue, Scope

MANIFEST = {
    "ealing-2016-08-26": {"authority": "Ealing", "kind": "sif", "inspection_start": "2016-06-13",
                          "inspection_end": "2016-07-07", "published_on": "2016-08-26"},
    "ealing-2019-12-19": {"authority": "Ealing", "kind": "ilacs-short", "inspection_start": "2019-11-04",
                          "inspection_end": "2019-11-08", "published_on": "2019-12-19"},
    "ealing-2024-07-12": {"authority": "Ealing", "kind": "ilacs-standard", "inspection_start": "2024-04-22",
                          "inspection_end": "2024-05-03", "published_on": "2024-07-12"},
    "harrow-2017-03-31": {"authority": "Harrow", "kind": "sif", "inspection_start": "2017-01-16",
                          "inspection_end": "2017-02-09", "published_on": "2017-03-31"},
    # Inspected in one year, published in the next; one report spells its authority differently.
    "solihull-2016-03-30": {"authority": "Solihull", "kind": "sif", "inspection_start": "2016-01-11",
                            "inspection_end": "2016-02-04", "published_on": "2016-03-30"},
    "solihull-2023-01-20": {"authority": "Solihull Metropolitan", "kind": "ilacs-standard",
                            "inspection_start": "2022-10-31", "inspection_end": "2022-11-11", "published_on": "2023-01-20"},
    "solihull-2026-02-02": {"authority": "Solihull", "kind": "ilacs-short", "inspection_start": "2025-11-17",
                            "inspection_end": "2025-11-21", "published_on": "2026-02-02"},
}
ALL = Catalogue(MANIFEST)


def reports(question: str, **kwargs) -> list[str]:
    return list(ALL.read(question, **kwargs).reports)


def test_labels_name_the_report_by_its_year_of_publication():
    assert ALL.label("solihull-2023-01-20", "¶12") == "Solihull 2023 ¶12"
    assert ALL.resolve("Harrow 2017 Summary for children") == ("harrow-2017-03-31", "Summary for children")
    one = Catalogue({"ealing-2016-08-26": MANIFEST["ealing-2016-08-26"]})
    assert one.label("ealing-2016-08-26", "¶12") == "¶12"


def test_one_authority_is_one_name_however_a_report_spells_it():
    assert {i.authority for i in ALL.infos() if i.id.startswith("solihull")} == {"Solihull"}


def test_two_reports_of_one_year_are_told_apart_by_month():
    both = Catalogue({
        "surrey-2015-06-03": {"authority": "Surrey", "published_on": "2015-06-03"},
        "surrey-2015-08-03": {"authority": "Surrey", "published_on": "2015-08-03"},
    })
    assert [i.name for i in both.infos()] == ["Surrey June 2015", "Surrey August 2015"]


@pytest.mark.parametrize("question, expected", [
    ("What did the 2023 Solihull report say about adoption?", ["solihull-2023-01-20"]),  # year on the cover
    ("What did Solihull's 2022 inspection find about adoption?", ["solihull-2023-01-20"]),  # year inspected
    ("In Solihull, inspected in November 2025, how were care leavers doing?", ["solihull-2026-02-02"]),
    ("What did Solihull's SIF say about adoption?", ["solihull-2016-03-30"]),
    ("What did the short inspection of Solihull find?", ["solihull-2026-02-02"]),
    ("What did the most recent Solihull report say about adoption?", ["solihull-2026-02-02"]),
    ("What did Solihull's latest inspection find?", ["solihull-2026-02-02"]),
    ("What did Solihull's first inspection find?", ["solihull-2016-03-30"]),
    ("What did the previous Solihull inspection say?", ["solihull-2023-01-20"]),
])
def test_reports_named_as_people_name_them(question, expected):
    assert reports(question) == expected


def test_counting_back_in_a_conversation_starts_from_the_report_it_was_on():
    for own, previous, expected in [
        ("And last time?", ("solihull-2026-02-02",), ["solihull-2023-01-20"]),
        ("What about before that?", ("solihull-2023-01-20",), ["solihull-2016-03-30"]),
    ]:
        assert reports(f"{own} (solihull adoption)", own=own, previous=previous) == expected
    # A follow-up that names no report keeps the one the conversation is on.
    assert reports("What about care leavers? (solihull 2026)", own="What about care leavers?",
                   previous=("solihull-2023-01-20",)) == ["solihull-2023-01-20"]
    before_first = ALL.read("And before that? (solihull)", own="And before that?", previous=("solihull-2016-03-30",))
    assert not before_first.reports and "2016" in before_first.missing


def test_a_question_in_a_conversation_that_names_no_report_stays_with_the_one_it_was_on():
    # Not read as a follow-up (it has a topic of its own), yet it names no council: the same report.
    question = "What was going wrong in the care leavers' service?"
    assert reports(question, previous=("harrow-2017-03-31",)) == ["harrow-2017-03-31"]
    assert len(reports(question)) == len(MANIFEST)  # asked first, it is asked of every report
    # Naming another council, or asking across councils, leaves the conversation's report behind.
    assert reports("What did Solihull's SIF say about care leavers?", previous=("harrow-2017-03-31",)) == [
        "solihull-2016-03-30"]
    assert len(reports("Which councils had weak care leaver services?", previous=("harrow-2017-03-31",))) > 1


def test_a_year_with_no_report_says_which_reports_exist():
    reading = ALL.read("What was the overall judgement in Solihull's 2019 inspection?")
    assert reading.reports == ()
    assert "2019" in reading.missing
    assert all(year in reading.missing for year in ("2016", "2023", "2026"))
    kind = ALL.read("What did the Harrow focused visit find?")
    assert kind.reports == () and "focused visit" in kind.missing and "2017" in kind.missing


def test_a_date_that_dates_a_figure_names_no_report():
    mentioned = lambda word, reports: True  # noqa: E731 - the reports' text uses the year
    reading = ALL.read("How many children were looked after in Harrow at 31 March 2015?", mentions=mentioned)
    assert reading.reports == ("harrow-2017-03-31",) and not reading.missing
    assert reports("What did Ealing say about 2015-16 referrals?", mentions=mentioned) == ["ealing-2024-07-12"]


def test_one_authority_named_without_a_report_gets_its_latest_and_says_so():
    reading = ALL.read("What did inspectors say about Ealing's care leavers?")
    assert reading.reports == ("ealing-2024-07-12",)
    assert "Ealing 2024" in reading.note and "2016" in reading.note and "2019" in reading.note


def test_no_authority_named_means_every_report_each_under_its_name():
    reading = ALL.read("What did inspectors say about private fostering?")
    assert reading.mode == "best" and len(reading.reports) == len(MANIFEST)


def test_comparisons_and_change_over_time_are_report_by_report_in_date_order():
    compared = ALL.read("Compare Ealing and Harrow on care leavers")
    assert compared.mode == "each" and compared.reports == ("harrow-2017-03-31", "ealing-2024-07-12")
    since = ALL.read("How has Ealing changed since 2019?")
    assert since.mode == "each" and since.reports == ("ealing-2019-12-19", "ealing-2024-07-12")
    between = ALL.read("Did Solihull's grade for adoption improve between 2016 and 2023?")
    assert between.reports == ("solihull-2016-03-30", "solihull-2023-01-20")
    assert ALL.read("What does Ealing need to improve?").mode == "one"  # "improve" is not a change over time


def test_the_callers_limit_wins():
    assert reports("In Ealing's 2019 inspection, what needed to improve?",
                   limit=Scope(report="harrow-2017-03-31")) == ["harrow-2017-03-31"]
    assert reports("care leavers", limit=Scope(authority="ealing", year=2016)) == ["ealing-2016-08-26"]
    assert ALL.read("care leavers", limit=Scope(report="no-such-report")).missing
    assert ALL.read("care leavers", limit=Scope(authority="Hounslow")).missing


def test_report_info_describes_the_report():
    info = ALL.reports["solihull-2023-01-20"]
    assert info.year == "2023" and info.inspection_years == {"2022"}
    assert info.describe() == ("Solihull, standard ILACS inspection, inspected 31 October – 11 November 2022, "
                               "published 20 January 2023")


def test_a_citation_to_paste_names_the_report_its_date_and_the_paragraph():
    assert citation_line(ALL.reports["ealing-2016-08-26"], "¶46") == (
        "Ofsted, Ealing children's services inspection, published 26 August 2016, ¶46")
    solihull = ALL.reports["solihull-2023-01-20"]  # the name citations use, not the report's own spelling
    assert citation_line(solihull, "¶3").startswith("Ofsted, Solihull children's services inspection, published 20")
    visit = Catalogue({"leeds-2024": {"authority": "Leeds", "kind": "focused-visit", "inspection_start": "2024-02-06",
                                      "inspection_end": "2024-02-07"}}).reports["leeds-2024"]
    assert citation_line(visit, "Summary") == (
        "Ofsted, Leeds children's services focused visit, inspected 6–7 February 2024, Summary")


def test_a_kind_the_named_report_talks_about_is_its_topic_not_its_scope():
    # Harrow 2017 is a SIF: a monitoring visit it mentions is what the question asks about ...
    assert reports("What did the monitoring visit find, according to Harrow's 2017 report?") == ["harrow-2017-03-31"]
    # ... but "the 2017 monitoring visit" names a report that is not loaded.
    assert ALL.read("What did Harrow's 2017 monitoring visit find?").missing
    assert ALL.read("What did the focused visit to Harrow in 2017 find?").missing
    assert reports("When was Harrow's last focused visit before its 2017 inspection?") == ["harrow-2017-03-31"]


def test_a_bare_year_range_filters_grade_questions_by_the_date_said():
    dated, said = ALL.dated(list(ALL.reports), "published 2016-2019")
    assert said == "between 2016 and 2019"
    assert set(dated) == {"ealing-2016-08-26", "ealing-2019-12-19", "harrow-2017-03-31", "solihull-2016-03-30"}
    # published in 2023 but inspected in 2022: outside "published 2017 to 2022", inside "inspected 2017 to 2022"
    assert "solihull-2023-01-20" not in ALL.dated(list(ALL.reports), "published 2017 to 2022")[0]
    assert "solihull-2023-01-20" in ALL.dated(list(ALL.reports), "inspected 2017 to 2022")[0]
    assert ALL.dated(list(ALL.reports), "published pre-2017")[1] == "before 2017"
    since, said = ALL.dated(list(ALL.reports), "since the start of 2024")
    assert said == "since 2024" and set(since) == {"ealing-2024-07-12", "solihull-2026-02-02"}
    # "2016-19" is a span of years; "2015-16", one year on, a financial year, which names no span
    assert ALL.dated(list(ALL.reports), "the single inspections of 2016-19")[1] == "between 2016 and 2019"
    assert ALL.dated(list(ALL.reports), "adoption in 2015-16")[1] != "between 2015 and 2016"


def catalogue_of(**authorities: str) -> Catalogue:
    """A catalogue of one report per authority, by report id (its date last) and the authority's name."""
    return Catalogue({report.replace("_", "-"): {"authority": name, "published_on": report[-10:].replace("_", "-")}
                      for report, name in authorities.items()})


def test_authorities_by_the_short_names_and_initials_staff_use():
    both = catalogue_of(kingston_upon_hull_2019_05_17="Kingston upon Hull",
                        bcp_2022_02_11="Bournemouth, Christchurch and Poole",
                        kingston_upon_thames_2019_01_01="Kingston upon Thames")
    assert both.read("What did Hull's report say?").reports == ("kingston-upon-hull-2019-05-17",)
    assert both.read("How did BCP do?").reports == ("bcp-2022-02-11",)
    assert both.read("What about Poole?").reports == ("bcp-2022-02-11",)
    stoke = catalogue_of(stoke_on_trent_2019_01_01="Stoke-on-Trent", leeds_2019_01_01="Leeds")
    assert stoke.read("How is Stoke doing?").reports == ("stoke-on-trent-2019-01-01",)
    # "Kingston" names two authorities: it is no one's short name
    assert len(both.read("What about Kingston?").reports) != 1
    counties = catalogue_of(north_lincolnshire_2017_09_04="North Lincolnshire", lincolnshire_2019_01_01="Lincolnshire",
                            bracknell_forest_2022_07_29="Bracknell Forest", waltham_forest_2019_01_01="Waltham Forest")
    assert counties.read("And North Lincs?").reports == ("north-lincolnshire-2017-09-04",)
    assert counties.read("What did Lincs's report find?").reports == ("lincolnshire-2019-01-01",)
    assert counties.read("How is Bracknell doing?").reports == ("bracknell-forest-2022-07-29",)
    # "Forest" is in two names, and a common word: no one's short name
    assert len(counties.read("What about the forest school?").reports) != 1
    # A county's name is not the short name of a part of it: Gloucestershire is not South Gloucestershire
    south = catalogue_of(south_gloucestershire_2019_01_01="South Gloucestershire", leeds_2019_01_01="Leeds")
    assert south.read("What did South Glos's report find?").reports == ("south-gloucestershire-2019-01-01",)
    assert south.read("What did Gloucestershire's report find?").reports != ("south-gloucestershire-2019-01-01",)
    # Initials as staff write them: with the "and" of a long name, and "&" between two words
    joined = catalogue_of(cheshire_west_and_chester_2024_01_01="Cheshire West and Chester",
                          hammersmith_and_fulham_2024_01_01="Hammersmith and Fulham", leeds_2019_01_01="Leeds")
    assert joined.read("Did CWAC's care leavers do better?").reports == ("cheshire-west-and-chester-2024-01-01",)
    assert joined.read("What did H&F's report say about early help?").reports == ("hammersmith-and-fulham-2024-01-01",)
    assert joined.read("What did the hand-over of cases look like in Leeds?").reports == ("leeds-2019-01-01",)


def test_the_lscb_reviews_asked_for_are_the_sif_reports_that_hold_them():
    assert set(reports("Which LSCB reviews judged the board good?")) == {
        "ealing-2016-08-26", "harrow-2017-03-31", "solihull-2016-03-30"}
