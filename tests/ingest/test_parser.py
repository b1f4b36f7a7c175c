"""The parser mends the PDF-to-Markdown faults of the report in code, never by editing the file."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.errors import ReportFormatError
from ingest import parse_markdown, parse_report, split_sentences
from tests.conftest import REPORT


@pytest.fixture(scope="module")
def parsed():
    return parse_report(REPORT)


@pytest.fixture(scope="module")
def by_label(parsed):
    return {p.label: p for p in parsed.paragraphs}


def test_paragraphs_1_to_143_once_each(parsed):
    numbers = [p.number for p in parsed.numbered]
    assert sorted(numbers) == list(range(1, 144))
    assert len(numbers) == len(set(numbers))


@pytest.mark.parametrize(
    "number, ending",
    [
        (22, "overcome cultural differences."),
        (34, "takes swift action to address them."),
        (28, "subsequently achieved. (Recommendation)"),
        (83, "outside of the national threshold of 121 days."),
        (89, "as well as adults who have been adopted."),
        (117, "compared to the London average of 30 weeks."),
    ],
)
def test_page_break_paragraphs_are_whole(by_label, number, ending):
    assert by_label[f"¶{number}"].text.endswith(ending)


@pytest.mark.parametrize("number", [48, 60, 73, 94, 98, 102, 109, 130, 134, 139])
def test_continuations_join_their_paragraph(by_label, report_text, number):
    text = by_label[f"¶{number}"].text
    # Every line of the file that carries on this paragraph is inside it, and no other paragraph starts in it.
    assert text.rstrip().endswith((".", ".'", ")", "’"))
    assert not re.search(r"\s\d{1,3}\.\s+[A-Z]", text[:-1] + " ")


def test_recommendations_are_numbered_paragraphs(by_label):
    assert by_label["¶1"].section == "The local authority > Recommendations"
    assert by_label["¶123"].text.startswith("Ensure that the annual report and business plan")
    assert by_label["¶127"].section == "The Local Safeguarding Children Board (LSCB) > Recommendations"


def test_section_paths(by_label):
    assert by_label["¶82"].section == (
        "The experiences and progress of children looked after and achieving permanence > Adoption performance"
    )
    assert by_label["¶82"].area == "adoption"
    assert by_label["¶92"].area == "care leavers"
    assert by_label["¶140"].area == "lscb"


def test_no_markup_or_footnotes_in_text(parsed):
    for p in parsed.paragraphs:
        assert "<" not in p.text and "**" not in p.text, p.label
        assert "Ofsted produces this report under its power to combine reports" not in p.text, p.label


def test_judgement_table_rows_are_not_paragraphs(parsed, by_label):
    assert ("Children who need help and protection", "Good") in parsed.judgements
    assert ("Experiences and progress of care leavers", "Outstanding") in parsed.judgements
    assert ("Local Safeguarding Children Board", "Requires improvement") in parsed.judgements
    assert not by_label["¶1"].text.startswith("Children who need help")


def test_unnumbered_sections_are_passages(by_label):
    for label in [
        "Judgements",
        "Executive summary",
        "Information about this local authority area",
        "Summary for children",
        "Summary: children who need help and protection",
        "Summary: children looked after and achieving permanence",
        "Summary: leadership, management and governance",
        "LSCB executive summary",
        "Information about this inspection",
    ]:
        assert by_label[label].number is None
        assert by_label[label].tokens > 50
    assert "Lead inspector: Karen Wareing" in by_label["Information about this inspection"].text
    assert "372 children" in by_label["Information about this local authority area"].text
    assert "Contents" not in by_label


def test_token_counts_are_cl100k(by_label):
    assert by_label["¶86"].tokens == 20


def test_document_order(parsed):
    labels = [p.label for p in parsed.paragraphs]
    assert labels.index("Summary: children who need help and protection") == labels.index("¶11") - 1
    assert labels.index("LSCB executive summary") < labels.index("¶123")
    assert [p.order for p in parsed.paragraphs] == list(range(len(labels)))


def _without_paragraphs(text: str, numbers: set[int]) -> str:
    return "\n".join(
        line for line in text.splitlines() if not (m := re.match(r"^(?:- )?(\d+)\. ", line)) or int(m.group(1)) not in numbers
    )


def test_gap_is_named(report_text):
    with pytest.raises(ReportFormatError, match=r"missing 57, 58"):
        parse_markdown(_without_paragraphs(report_text, {57, 58}), "broken")


def test_repeat_is_named(report_text):
    doubled = report_text.replace("86. Seven children", "85. Seven children")
    with pytest.raises(ReportFormatError, match=r"missing 86; repeated 85"):
        parse_markdown(doubled, "broken")


@settings(max_examples=25, deadline=None)
@given(st.sets(st.integers(min_value=1, max_value=142), min_size=1, max_size=5))
def test_any_gap_is_reported_with_its_numbers(report_text, numbers):
    with pytest.raises(ReportFormatError) as error:
        parse_markdown(_without_paragraphs(report_text, numbers), "broken")
    assert f"missing {', '.join(map(str, sorted(numbers)))}" in str(error.value)


@pytest.mark.parametrize(
    "content, message",
    [("", "empty"), ("   \n\n", "empty"), ("# A title\n\nSome prose without numbers.\n", "no numbered paragraphs")],
)
def test_malformed_reports_are_refused(content, message):
    with pytest.raises(ReportFormatError, match=message):
        parse_markdown(content, "bad")


def test_non_utf8_and_missing_files_are_refused(tmp_path):
    binary = tmp_path / "report.md"
    binary.write_bytes(b"\xff\xfe\x00binary\x80")
    with pytest.raises(ReportFormatError, match="not UTF-8"):
        parse_report(binary)
    with pytest.raises(ReportFormatError, match="no report at"):
        parse_report(tmp_path / "absent.md")


def test_sentences_keep_list_context():
    text = "Children looked after in this area:\n- At 31 March 2016, 372 children were looked after.\n- 24 children are asylum seekers."
    assert split_sentences(text) == [
        "Children looked after in this area: At 31 March 2016, 372 children were looked after.",
        "Children looked after in this area: 24 children are asylum seekers.",
    ]


def test_recommendation_marker_stays_with_its_sentence():
    assert split_sentences("Plans lack detail. (Recommendation)") == ["Plans lack detail. (Recommendation)"]
