"""The "Reports" tab: every loaded report's grades in one table, with filters, two charts and a CSV.

All of it comes from ``Assistant.reports()`` and ``assistant.reading.judgements``: this module only arranges
those rows for the screen. It never changes which report the chat answers from.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import streamlit as st

from assistant.reading.judgements import AREA_BY_KEY, AREAS, GRADE_RANK, GRADES, GradeRow, grade_table, to_csv
from assistant.reading.reports import ReportInfo
from ui.chat import open_in_reader

if TYPE_CHECKING:  # pandas and Altair load when the tab first opens: the chat's cold start stays as it was
    import altair as alt
    import pandas as pd

logger = logging.getLogger("ofsted_app")

TAB_REPORTS = "Reports"  # plain: see TAB_ASK

ANY_AREA = "any"
# Widget keys of the filters. Streamlit forgets a widget's value while its tab is hidden, so the
# values are also kept under SAVED and put back when the tab opens again.
AUTHORITY, YEARS, KIND, AREA, GRADE, CHART_AUTHORITY = (
    "reports_authority", "reports_years", "reports_kind", "reports_area", "reports_grades", "reports_chart_authority",
)
SAVED = "reports_saved_filters"
TABLE = "reports_table"
OPEN = "reports_open"

# The reader's badge colours (ui/reader.py), as hex for the charts: best grade first.
GRADE_COLOURS = ("#803fa5", "#21883e", "#e07b00", "#d32f2f")


def capitalised(text: str) -> str:
    """"requires improvement" → "Requires improvement"; "the LSCB" → "The LSCB" (a cell, a header, a legend)."""
    return text[:1].upper() + text[1:]


def kind_label(info: ReportInfo) -> str:
    """"short ILACS inspection" → "Short ILACS inspection"."""
    return capitalised(info.kind_label)


def _day(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso[:10])
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- filtering (no Streamlit)
@dataclass(frozen=True)
class Filters:
    """What the analyst chose; empty means "all"."""

    authorities: tuple[str, ...] = ()
    years: tuple[int, int] | None = None  # publication years, inclusive
    kinds: tuple[str, ...] = ()  # kind labels as shown in the table
    area: str = ANY_AREA  # an area key, or ANY_AREA
    grades: tuple[str, ...] = ()  # grade keys

    def keeps(self, info: ReportInfo, grades: dict[str, str]) -> bool:
        """Does the report ``info``, whose ``grades`` are {area key: grade}, pass every filter?"""
        if self.authorities and info.authority not in self.authorities:
            return False
        if self.years and not (info.year.isdigit() and self.years[0] <= int(info.year) <= self.years[1]):
            return False
        if self.kinds and kind_label(info) not in self.kinds:
            return False
        if self.grades:
            given = grades.values() if self.area == ANY_AREA else [grades.get(self.area)]
            return any(g in self.grades for g in given)
        return True


def grades_by_report(rows: Iterable[GradeRow]) -> dict[str, dict[str, str]]:
    """{report id: {area key: grade}}."""
    table: dict[str, dict[str, str]] = {}
    for row in rows:
        table.setdefault(row.report, {})[row.area] = row.grade
    return table


def filter_reports(infos: Sequence[ReportInfo], rows: Sequence[GradeRow], filters: Filters) -> list[ReportInfo]:
    grades = grades_by_report(rows)
    return [i for i in infos if filters.keeps(i, grades.get(i.id, {}))]


# ---------------------------------------------------------------- tables and chart data
def report_table(infos: Sequence[ReportInfo], rows: Sequence[GradeRow]) -> pd.DataFrame:
    """One line per report: who, what kind, when, and one column per area (blank where not graded)."""
    import pandas as pd

    grades = grades_by_report(rows)
    records = [
        {
            "report": i.id,
            "authority": i.authority,
            "kind": kind_label(i),
            "inspection_start": _day(i.inspection_start),
            "inspection_end": _day(i.inspection_end),
            "published_on": _day(i.published_on),
            **{a.key: capitalised(grades.get(i.id, {}).get(a.key, "")) or None for a in AREAS},
        }
        for i in infos
    ]
    columns = ["report", "authority", "kind", "inspection_start", "inspection_end", "published_on",
               *[a.key for a in AREAS]]
    return pd.DataFrame.from_records(records, columns=columns)


def table_columns() -> dict[str, Any]:
    """Headers and formats of the table; the report id is kept but hidden (it is what a row opens)."""
    config: dict[str, Any] = {
        "report": None,
        "authority": st.column_config.TextColumn("Authority", pinned=True),
        "kind": st.column_config.TextColumn("Kind"),
        "inspection_start": st.column_config.DateColumn("Inspection began", format="D MMM YYYY"),
        "inspection_end": st.column_config.DateColumn("Inspection ended", format="D MMM YYYY"),
        "published_on": st.column_config.DateColumn("Published", format="D MMM YYYY"),
    }
    for area in AREAS:
        config[area.key] = st.column_config.TextColumn(capitalised(area.label), help=f"Grade for {area.label}")
    return config


def grade_history(rows: Sequence[GradeRow], authority: str) -> pd.DataFrame:
    """One authority's grades, one line per report and area, for the chart over time."""
    import pandas as pd

    return pd.DataFrame.from_records(
        [
            {"published": r.published_on[:10], "report": r.name, "area": capitalised(AREA_BY_KEY[r.area].label),
             "grade": capitalised(r.grade), "printed": r.grade_printed}
            for r in rows if r.authority == authority and r.published_on
        ],
        columns=["published", "report", "area", "grade", "printed"],
    )


def overall_by_year(rows: Sequence[GradeRow]) -> pd.DataFrame:
    """How many reports got each overall grade, by year of publication."""
    import pandas as pd

    counts = Counter((r.year, capitalised(r.grade)) for r in rows if r.area == "overall" and r.year)
    records = [{"year": year, "grade": grade, "reports": n} for (year, grade), n in sorted(counts.items())]
    return pd.DataFrame.from_records(records, columns=["year", "grade", "reports"])


def selected_report(selection: Any, shown: Sequence[str]) -> str | None:
    """The report id of the row selected in the table, if any (``shown``: ids in table order)."""
    try:
        rows = selection["selection"]["rows"]
    except (KeyError, TypeError):
        return None
    return shown[rows[0]] if rows and 0 <= rows[0] < len(shown) else None


# ---------------------------------------------------------------- charts
_AREA_ORDER = [capitalised(a.label) for a in AREAS]


def history_chart(data: pd.DataFrame) -> alt.Chart:
    """Grades over time: best grade at the top, one colour per area, areas side by side within a grade."""
    import altair as alt

    best_first = [capitalised(g) for g in sorted(GRADES, key=GRADE_RANK.get, reverse=True)]
    return (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=80, filled=True))
        .encode(
            x=alt.X("published:T", title="Published", axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("grade:O", title=None, scale=alt.Scale(domain=best_first, type="band"),
                    axis=alt.Axis(labelLimit=200)),
            yOffset=alt.YOffset("area:N", sort=_AREA_ORDER),
            color=alt.Color("area:N", title="Judgement area", sort=_AREA_ORDER),
            tooltip=[alt.Tooltip("report:N", title="Report"), alt.Tooltip("area:N", title="Area"),
                     alt.Tooltip("printed:N", title="Grade"),
                     alt.Tooltip("published:T", title="Published", format="%-d %B %Y")],
        )
        .properties(height=300)
    )


def overall_chart(data: pd.DataFrame) -> alt.Chart:
    """Reports per year, stacked by overall grade in the reader's colours, best grade on top."""
    import altair as alt

    order = [capitalised(g) for g in GRADES]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year of publication", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("reports:Q", title="Reports", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("grade:N", title="Overall grade", sort=order,
                            scale=alt.Scale(domain=order, range=list(GRADE_COLOURS))),
            order=alt.Order("rank:Q", sort="descending"),  # the best grade on top, as in the legend
            tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("grade:N", title="Overall grade"),
                     alt.Tooltip("reports:Q", title="Reports")],
        )
        .transform_calculate(rank=f"indexof({order!r}, datum.grade)")
        .properties(height=260)
    )


# ---------------------------------------------------------------- widgets
def _initialise(key: str, default: Any, options: Sequence[Any]) -> None:
    """Before a filter is drawn: keep its value if still an option, else bring back the value it had
    when the tab was last open, else ``default``.

    Setting the value here rather than passing a default keeps Streamlit from warning that a widget
    got a value both ways."""
    ss = st.session_state
    if key in ss and _among(ss[key], options):
        return
    saved = ss.get(SAVED, {}).get(key, default)
    ss[key] = saved if _among(saved, options) else default


def _among(value: Any, options: Sequence[Any]) -> bool:
    return all(v in options for v in (value if isinstance(value, (list, tuple)) else [value]))


def _save_filters() -> None:
    keys = (AUTHORITY, YEARS, KIND, AREA, GRADE, CHART_AUTHORITY)
    st.session_state[SAVED] = {k: st.session_state[k] for k in keys if k in st.session_state}


def render_filters(infos: Sequence[ReportInfo]) -> Filters:
    authorities = sorted({i.authority for i in infos})
    kinds = sorted({kind_label(i) for i in infos})
    years = sorted({int(i.year) for i in infos if i.year.isdigit()})
    area_options = [ANY_AREA, *[a.key for a in AREAS]]
    for key, default, options in ((AUTHORITY, [], authorities), (KIND, [], kinds), (GRADE, [], list(GRADES)),
                                  (AREA, ANY_AREA, area_options)):
        _initialise(key, default, options)

    who, what = st.columns(2)
    who.multiselect("Authority", authorities, key=AUTHORITY, placeholder="All authorities")
    what.multiselect("Kind of inspection", kinds, key=KIND, placeholder="All kinds")
    if len(years) > 1:
        _initialise(YEARS, (years[0], years[-1]), years)
        st.slider("Year of publication", min_value=years[0], max_value=years[-1], key=YEARS, step=1)
    area, grade = st.columns(2)
    area.selectbox("Judgement area", area_options, key=AREA,
                   format_func=lambda k: "Any area" if k == ANY_AREA else capitalised(AREA_BY_KEY[k].label),
                   help="The area whose grade the grade filter looks at.")
    grade.multiselect("Grade", list(GRADES), key=GRADE, format_func=capitalised, placeholder="Any grade",
                      help="Keep only the reports given one of these grades in the area chosen.")
    ss = st.session_state
    return Filters(
        authorities=tuple(ss[AUTHORITY]), years=tuple(ss[YEARS]) if len(years) > 1 else None,
        kinds=tuple(ss[KIND]), area=ss[AREA], grades=tuple(ss[GRADE]),
    )


def _open_selected_row(shown: list[str]) -> None:
    """Open the report of the table row just selected in the reader (callback)."""
    report = selected_report(st.session_state.get(TABLE), shown)
    if report:
        _open(report)


def _open_chosen() -> None:
    """Open the report chosen in the "Open in the reader" box (callback)."""
    report = st.session_state.get(OPEN)
    if report:
        _open(report)


def _open(report: str) -> None:
    # No paragraph and no section: the reader opens the report at its first section.
    open_in_reader("", "", report)


def render_table(shown: Sequence[ReportInfo], rows: Sequence[GradeRow]) -> None:
    ids = [i.id for i in shown]
    st.dataframe(
        report_table(shown, rows), key=TABLE, hide_index=True, column_config=table_columns(),
        on_select=lambda: _open_selected_row(ids), selection_mode="single-row", placeholder="",
        alt="Grades of the loaded inspection reports, one row per report",
    )
    names = {i.id: i.name for i in shown}
    pick, download = st.columns([3, 2], vertical_alignment="bottom")
    pick.selectbox(
        "Open a report in the reader", ids, index=None, key=OPEN, format_func=names.get,
        placeholder="Choose a report", on_change=_open_chosen,
        help="Or select a row of the table.",
    )
    download.download_button(
        "Download CSV", data=to_csv(rows), file_name="ofsted-grades.csv",
        mime="text/csv", key="reports_csv", on_click="ignore", icon=":material/download:", width="stretch",
        help="The grades of the reports shown: one line per report and judgement area.",
    )


def render_history(shown: Sequence[ReportInfo], rows: Sequence[GradeRow]) -> None:
    st.subheader("One authority's grades over time", anchor=False)
    counts = Counter(i.authority for i in shown)
    authorities = sorted(counts)
    busiest = max(authorities, key=lambda a: counts[a])  # the most reports: the longest history
    _initialise(CHART_AUTHORITY, busiest, authorities)
    authority = st.selectbox("Authority to chart", authorities, key=CHART_AUTHORITY)
    data = grade_history(rows, authority)
    if data.empty:
        st.caption(f"No grades could be read from the reports on {authority}.")
        return
    st.altair_chart(history_chart(data), key="reports_history_chart",
                    alt=f"Line chart of {authority}'s grades over time, one line per judgement area")
    if counts[authority] == 1:
        st.caption(f"Only one report on {authority} is shown, so there is no trend to draw.")


def render_overall(shown: Sequence[ReportInfo], rows: Sequence[GradeRow]) -> None:
    st.subheader("Overall grades by year", anchor=False)
    data = overall_by_year(rows)
    if data.empty:
        st.caption("None of the reports shown gives an overall grade.")
        return
    st.altair_chart(overall_chart(data), key="reports_overall_chart",
                    alt="Stacked bar chart of reports per year of publication, by overall grade")
    ungraded = len(shown) - int(data["reports"].sum())
    if ungraded:
        st.caption(f"{ungraded} of the reports shown {'gives' if ungraded == 1 else 'give'} no overall grade "
                   f"and {'is' if ungraded == 1 else 'are'} not counted.")


def render_reports_page(bot: Any) -> None:
    st.subheader("Grades across the loaded reports", anchor=False)
    try:
        infos = list(bot.reports())
    except Exception:  # noqa: BLE001 - the other tabs keep working
        logger.exception("reports() failed")
        st.error("The list of reports could not be read.")
        return
    if not infos:
        st.info("No reports are loaded.")
        return
    rows = grade_table(infos)
    st.caption("The judgements each report prints, one row per report. Blank: the report's framework does "
               "not grade that area. Select a row to read the report.")
    try:
        shown = filter_reports(infos, rows, render_filters(infos))
        if not shown:
            st.info("No report matches these filters.")
            return
        shown_rows = [r for r in rows if r.report in {i.id for i in shown}]
        st.caption(f"Showing {len(shown)} of {len(infos)} report{'s' if len(infos) != 1 else ''}.")
        render_table(shown, shown_rows)
        render_history(shown, shown_rows)
        render_overall(shown, shown_rows)
    finally:
        _save_filters()
