"""Report names for citations and the scope of a question, from the manifest alone (no index needed)."""

from __future__ import annotations

from assistant.reports import Catalogue

MANIFEST = {
    "ealing-2016-08-26": {"authority": "Ealing", "inspection_start": "2016-06-13", "published_on": "2016-08-26"},
    "ealing-2019-12-19": {"authority": "Ealing", "inspection_start": "2019-11-04", "published_on": "2019-12-19"},
    "ealing-2024-07-12": {"authority": "Ealing", "inspection_start": "2024-04-22", "published_on": "2024-07-12"},
    "harrow-2017-03-31": {"authority": "Harrow", "inspection_start": "2017-01-16", "published_on": "2017-03-31"},
}


def test_labels_name_the_report_only_when_several_are_loaded():
    many = Catalogue(MANIFEST)
    assert many.label("ealing-2019-12-19", "¶12") == "Ealing 2019 ¶12"
    assert many.resolve("Harrow 2017 Summary for children") == ("harrow-2017-03-31", "Summary for children")
    one = Catalogue({"ealing-2016-08-26": MANIFEST["ealing-2016-08-26"]})
    assert one.label("ealing-2016-08-26", "¶12") == "¶12"


def test_scope_by_naming_authority_and_year():
    c = Catalogue(MANIFEST)
    assert c.scope("In Ealing's 2019 inspection, what needed to improve?") == ["ealing-2019-12-19"]
    assert c.scope("What did Harrow's report say about care leavers?") == ["harrow-2017-03-31"]
    assert c.scope("How has Ealing changed since 2019?") == ["ealing-2019-12-19", "ealing-2024-07-12"]
    assert c.scope("care leavers", authority="ealing", year=2016) == ["ealing-2016-08-26"]
    assert len(c.scope("What about care leavers in 2015-16?")) == 4  # a year no report has narrows nothing
    # one report chosen (the app's report selector) wins over what the question names
    assert c.scope("In Ealing's 2019 inspection, what needed to improve?", report="harrow-2017-03-31") == ["harrow-2017-03-31"]
    assert c.scope("care leavers", report="no-such-report") == []


def test_only_named_reports_are_compared():
    c = Catalogue(MANIFEST)
    everything = list(MANIFEST)
    assert not c.compares("How long did care proceedings take on average?", everything)
    assert c.compares("Compare Ealing and Harrow on private fostering", c.scope("Compare Ealing and Harrow on private fostering"))
    assert c.compares("How has Ealing changed since 2016?", c.scope("How has Ealing changed since 2016?"))
    assert not c.compares("In Ealing's 2019 inspection, what was good?", c.scope("In Ealing's 2019 inspection, what was good?"))
