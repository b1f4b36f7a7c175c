"""The app's Reports tab (ui/reports_page.py): every loaded report's grades in one table, filters,
charts, a CSV of the rows shown, and opening a report in the reader.

The table and filter logic is checked on a made-up catalogue (fast); the tab itself through
streamlit.testing.v1.AppTest against app.py, as in tests/ui/test_app.py: over the default index (Ealing 2016
alone), and over an index of three reports built from the Ofsted corpus (slow).
"""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # the app's own packages (ui/)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import csv
import io
import os

import pandas as pd
import pytest
from conftest import app_over_index, assert_app_ok, open_app
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from assistant.reading.judgements import AREAS, CSV_COLUMNS, grade_table
from assistant.reading.reports import Catalogue
from ui.chat import TAB_READ
from ui.reports_page import (
    Filters,
    TAB_REPORTS,
    filter_reports,
    grade_history,
    overall_by_year,
    report_table,
    selected_report,
)

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180
PDFS = ROOT.parent / "shared" / "ofsted" / "pdfs"
THREE_REPORTS = [ROOT / "data" / "ealing-2016.md", PDFS / "harrow" / "2017-03-31.pdf", PDFS / "harrow" / "2020-03-16.pdf"]

SIF = [["Children's services overall", "Good"], ["Children who need help and protection", "Requires improvement"],
       ["Adoption performance", "Good"], ["Local Safeguarding Children Board", "Inadequate"]]
MANIFEST = {
    "ealing-2016-08-26": {"authority": "Ealing", "kind": "sif", "inspection_start": "2016-06-13",
                          "inspection_end": "2016-07-07", "published_on": "2016-08-26", "judgements": SIF},
    "harrow-2017-03-31": {"authority": "Harrow", "kind": "sif", "published_on": "2017-03-31",
                          "judgements": [["Children's services overall", "Requires improvement"]]},
    "harrow-2020-03-16": {"authority": "Harrow", "kind": "ilacs-short", "published_on": "2020-03-16",
                          "judgements": [["Overall effectiveness", "Good"],
                                         ["The impact of leaders on social work practice", "Outstanding"]]},
    "harrow-2025-03-04": {"authority": "Harrow", "kind": "ilacs-standard", "published_on": "2025-03-04",
                          "judgements": [["The impact of leaders on social work practice", "Good"]]},  # no overall grade
}
INFOS = Catalogue(MANIFEST).infos()
ROWS = grade_table(INFOS)


def _names(filters: Filters) -> list[str]:
    return [i.name for i in filter_reports(INFOS, ROWS, filters)]


# ---------------------------------------------------------------- table and filters, no app
def test_table_has_one_row_per_report_and_a_blank_where_an_area_is_not_graded():
    table = report_table(INFOS, ROWS)
    assert list(table["report"]) == list(MANIFEST)
    assert list(table.columns[-len(AREAS):]) == [a.key for a in AREAS]  # overall first, the LSCB last
    ealing = table.iloc[0]
    assert (ealing["authority"], ealing["kind"], str(ealing["published_on"])) == ("Ealing", "SIF", "2016-08-26")
    assert (ealing["overall"], ealing["help_protection"], ealing["lscb"]) == ("Good", "Requires improvement", "Inadequate")
    assert table.iloc[2]["kind"] == "Short ILACS inspection"
    assert table.iloc[2]["leaders"] == "Outstanding" and pd.isna(table.iloc[2]["lscb"])  # ILACS grades no LSCB
    assert pd.isna(table.iloc[3]["overall"])  # the 2025 framework gives no overall grade


@pytest.mark.parametrize("filters, expected", [
    (Filters(), ["Ealing 2016", "Harrow 2017", "Harrow 2020", "Harrow 2025"]),
    (Filters(authorities=("Ealing",)), ["Ealing 2016"]),
    (Filters(years=(2017, 2020)), ["Harrow 2017", "Harrow 2020"]),
    (Filters(kinds=("SIF",), authorities=("Harrow",)), ["Harrow 2017"]),
    (Filters(grades=("outstanding", "inadequate")), ["Ealing 2016", "Harrow 2020"]),  # any area
    (Filters(area="overall", grades=("good",)), ["Ealing 2016", "Harrow 2020"]),
    (Filters(area="leaders", grades=("good",)), ["Harrow 2025"]),
])
def test_filters_keep_the_reports_that_match_all_of_them(filters, expected):
    assert _names(filters) == expected


def test_chart_data_one_authority_over_time_and_overall_grades_by_year():
    harrow = grade_history(ROWS, "Harrow")
    assert list(harrow["report"]) == ["Harrow 2017", "Harrow 2020", "Harrow 2020", "Harrow 2025"]
    assert set(harrow["grade"]) == {"Requires improvement", "Good", "Outstanding"}
    by_year = overall_by_year(ROWS)
    assert by_year.to_dict("records") == [
        {"year": "2016", "grade": "Good", "reports": 1},
        {"year": "2017", "grade": "Requires improvement", "reports": 1},
        {"year": "2020", "grade": "Good", "reports": 1},
    ]  # Harrow 2025 has no overall grade: not counted


def test_a_selected_row_names_its_report():
    shown = ["ealing-2016-08-26", "harrow-2017-03-31"]
    assert selected_report({"selection": {"rows": [1], "columns": []}}, shown) == "harrow-2017-03-31"
    assert selected_report({"selection": {"rows": [], "columns": []}}, shown) is None
    assert selected_report(None, shown) is None


# ---------------------------------------------------------------- the tab in the app
def _reports_tab() -> AppTest:
    return open_app(TAB_REPORTS, timeout=TIMEOUT)


_assert_ok = assert_app_ok


def _table(at: AppTest):
    tables = [d for d in at.dataframe if d.key == "reports_table"]
    assert len(tables) == 1
    return tables[0].value


def _charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def _csv_downloads(monkeypatch) -> list[str]:
    """The CSV files the app hands to download buttons from now on."""
    recorded: list[str] = []
    original = MediaFileManager.add

    def spy(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if file_name and file_name.endswith(".csv"):
            recorded.append(path_or_data.decode("utf-8") if isinstance(path_or_data, bytes) else path_or_data)
        return original(self, path_or_data, mimetype, coordinates, file_name, is_for_static_download)

    monkeypatch.setattr(MediaFileManager, "add", spy)
    return recorded


def _csv_lines(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    return list(reader)


def test_default_app_lists_its_one_report_with_grades_charts_and_csv(monkeypatch):
    from ui.resources import get_assistant

    downloads = _csv_downloads(monkeypatch)
    at = _reports_tab()
    expected = grade_table(get_assistant().reports())
    table = _table(at)
    assert list(table["authority"]) == ["Ealing"] and list(table["kind"]) == ["SIF"]
    for row in expected:
        assert table.iloc[0][row.area] == row.grade.capitalize()
    assert at.download_button(key="reports_csv").label == "Download CSV"
    lines = _csv_lines(downloads[-1])
    assert [(r["report"], r["area"], r["grade"]) for r in lines] == [(r.report, r.area, r.grade) for r in expected]
    assert len(_charts(at)) == 2  # one authority over time, overall grades by year
    assert any("Only one report on Ealing" in c.value for c in at.caption)  # a single point, said so


def test_every_widget_of_the_tab_has_a_label():
    at = _reports_tab()
    widgets = [*at.multiselect, *at.selectbox, *at.slider, *at.download_button]
    assert all(w.label and w.label.strip() for w in widgets)
    assert {"Authority", "Kind of inspection", "Judgement area", "Grade", "Open a report in the reader",
            "Authority to chart"} <= {w.label for w in widgets}


def test_choosing_a_report_opens_it_in_the_reader():
    at = _reports_tab()
    at.selectbox(key="reports_open").set_value("ealing-2016-08-26").run()
    _assert_ok(at)
    assert at.session_state["main_tab"] == TAB_READ
    assert at.session_state["reader_report"] == "ealing-2016-08-26"
    assert any("Judgements at a glance" in m.value for m in at.markdown)


def test_a_filter_matching_nothing_says_so():
    at = _reports_tab()
    at.multiselect(key="reports_grades").set_value(["inadequate"]).run()
    _assert_ok(at)
    assert not [d for d in at.dataframe if d.key == "reports_table"]
    assert [i.value for i in at.info] == ["No report matches these filters."]


# ---------------------------------------------------------------- three reports, two of one authority
@pytest.fixture(scope="module")
def three_report_index(tmp_path_factory) -> Path:
    """A folder for the index of Ealing 2016, Harrow 2017 and Harrow 2020: built by the first app that
    opens it, reused by the others."""
    if not all(p.is_file() for p in THREE_REPORTS) and not os.environ.get("CI"):
        pytest.skip(f"the Ofsted corpus is not beside the project ({PDFS})")
    return tmp_path_factory.mktemp("three-reports") / "index"


@pytest.fixture
def three_reports(three_report_index, monkeypatch):
    """The app over the three-report index, then back to the default."""
    yield from app_over_index(monkeypatch, three_report_index, THREE_REPORTS)


@pytest.mark.slow
def test_three_reports_filtered_to_one_authority_charted_and_downloaded(three_reports, monkeypatch):
    from ui.resources import get_assistant

    downloads = _csv_downloads(monkeypatch)
    at = _reports_tab()
    table = _table(at)
    assert list(table["report"]) == ["ealing-2016-08-26", "harrow-2017-03-31", "harrow-2020-03-16"]
    expected = grade_table(get_assistant().reports())
    for row in expected:
        assert table.set_index("report").loc[row.report, row.area] == row.grade.capitalize()
    harrow_2020 = table.set_index("report").loc["harrow-2020-03-16"]
    assert pd.isna(harrow_2020["lscb"]) and pd.isna(harrow_2020["adoption"])  # the ILACS grades neither
    assert len(_csv_lines(downloads[-1])) == len(expected)
    assert at.selectbox(key="reports_chart_authority").value == "Harrow"  # the longer history
    assert len(_charts(at)) == 2

    at.multiselect(key="reports_authority").set_value(["Harrow"]).run()
    _assert_ok(at)
    assert list(_table(at)["authority"]) == ["Harrow", "Harrow"]
    assert any(c.value == "Showing 2 of 3 reports." for c in at.caption)
    lines = _csv_lines(downloads[-1])
    assert {r["report"] for r in lines} == {"harrow-2017-03-31", "harrow-2020-03-16"}
    assert len(lines) == len([r for r in expected if r.authority == "Harrow"])  # one line per report and area
    assert at.selectbox(key="reports_chart_authority").options == ["Harrow"]
    assert len(_charts(at)) == 2

    # Opening a report in the reader, then coming back: the filter is as the analyst left it.
    at.selectbox(key="reports_open").set_value("harrow-2020-03-16").run()
    _assert_ok(at)
    assert (at.session_state["main_tab"], at.session_state["reader_report"]) == (TAB_READ, "harrow-2020-03-16")
    at.run()  # a run on the reader: Streamlit drops the hidden tab's widget state
    at.session_state["main_tab"] = TAB_REPORTS
    at.run()
    _assert_ok(at)
    assert at.multiselect(key="reports_authority").value == ["Harrow"]
    assert list(_table(at)["authority"]) == ["Harrow", "Harrow"]


@pytest.mark.slow
def test_three_reports_year_and_grade_filters(three_reports):
    at = _reports_tab()
    assert at.slider(key="reports_years").value == (2016, 2020)
    at.slider(key="reports_years").set_value((2017, 2020)).run()
    _assert_ok(at)
    assert list(_table(at)["report"]) == ["harrow-2017-03-31", "harrow-2020-03-16"]
    at.selectbox(key="reports_area").set_value("help_protection").run()
    at.multiselect(key="reports_grades").set_value(["requires improvement"]).run()
    _assert_ok(at)
    assert list(_table(at)["report"]) == ["harrow-2017-03-31"]  # help and protection: RI in 2017, good in 2020
