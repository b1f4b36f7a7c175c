"""Which reports a question over many reports' grades is answered from: the catalogue's scope,
narrowed or widened by what the ``GradeQuery`` asks ("ever", a history, "now", dates said strictly)."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.reading.grade_queries import GradeQuery, asks_change, read_grade_query, without_dates
from assistant.reading.report_names import YEAR
from assistant.reading.reports import Catalogue, Scope, ScopeReading

_SINCE = re.compile(r"\b(?:since|from|after)\s+(?:(?:its|their|the)\s+)?(?:19|20)\d\d\b", re.I)  # a year said as a start


def grade_table_query(
    catalogue: Catalogue, query: str, reading: ScopeReading, limit: Scope
) -> tuple[GradeQuery, list[str], list[str]] | None:
    """A question over the grades of several reports (or comparing two areas of one), the reports it
    is answered from, and those of them its dates pick (all, unless it asks which were inspected
    when); None when the judgement tables do not answer it as a whole."""
    scope = list(reading.reports)
    if reading.missing or not scope:
        return None
    own = catalogue.named_authorities(query)
    history = [i.id for i in catalogue.infos() if own and len(own) == 1 and i.authority_key == own[0]]
    topic = catalogue.without_authorities(query)
    asked = read_grade_query(topic, authorities=len(reading.authorities),
                             reports=max(len(scope), len(history) if len(reading.authorities) == 1 else 0))
    if asked is None:
        return None
    if asked.ever:
        scope = sorted(history, key=lambda r: catalogue.reports[r].published_on)  # every report of the one authority
    elif asked.intent == "history":
        if len(scope) == 1 and reading.phrases and not (asks_change(topic) or asked.direction):
            return None  # "what did the 2014 SIF judge needed to improve?": the report named, not its history
        # One authority over time: the reports it names ("2014 vs 2022"); one report said better or
        # worse ("worse at its 2023 inspection"): it and those before it; else its reports in date
        # order from the earliest year named.
        before = []
        if len(scope) == 1 and asked.direction and not (asks_change(topic) or _SINCE.search(query)):
            named = catalogue.reports[scope[0]].published_on
            before = [r for r in history if catalogue.reports[r].published_on <= named]
        if len(before) > 1:
            scope = before
        elif len(scope) < 2:
            since = min(YEAR.findall(query), default="")  # the first year of a change over time
            scope = [r for r in history if max({catalogue.reports[r].year,
                                                 *catalogue.reports[r].inspection_years}) >= since] or scope
        scope = sorted(scope, key=lambda r: catalogue.reports[r].published_on)
    elif asked.intent == "trend" and not (limit.report or limit.reports or limit.year):
        # "Which councils improved between their first and latest inspections?": every report of the
        # authorities in scope, whatever "first" or "latest" picked
        keys = {catalogue.reports[r].authority_key for r in scope}
        scope = [i.id for i in catalogue.infos() if i.authority_key in keys]
    elif asked.intent == "metadata" and not (limit.report or limit.reports or limit.year):
        # "Which council was inspected in 2021?" asks which reports have that date: all are searched.
        scope = [i.id for i in catalogue.infos() if not own or i.authority_key in own]
    elif asked.intent == "compare" and len(reading.authorities) > 1:
        order = {key: n for n, key in enumerate(reading.authorities)}  # as the question names them
        scope = sorted(scope, key=lambda r: order.get(catalogue.reports[r].authority_key, len(order)))
    elif asked.intent in ("list", "count", "distribution") and asked.now:
        # "Which councils are now rated good?": each authority's latest report, as "currently" reads.
        latest: dict[str, str] = {}
        for r in sorted(scope, key=lambda r: (catalogue.reports[r].published_on, r)):
            latest[catalogue.reports[r].authority_key] = r
        scope = list(latest.values())
    elif asked.intent in ("list", "count", "missing") and (
        len(undated := catalogue.read(without_dates(query), limit).reports) > 1 or len(scope) > 1
    ):
        # A date in a question over many reports' grades filters them, strictly: "published between
        # 2018 and 2022" with no such report has no answer, not every report's. The reports read
        # without the dates keep the kinds, "latest" and authorities said.
        dated, when = catalogue.dated(list(undated) or scope, query)
        if when:
            return replace(asked, when=when), dated, dated
    single_pair = asked.intent == "compare" and asked.direction and len(asked.areas) >= 2
    if len(scope) < 2 and not (single_pair or asked.intent == "metadata"):
        return None  # one report: its own grade routes answer it
    if not any(catalogue.reports[r].judgements for r in scope):
        return None
    if asked.intent == "metadata":  # "which council was inspected in 2021?": the dates pick the reports
        dated, when = catalogue.dated(scope, query)
        return replace(asked, when=when), scope, dated
    return asked, scope, scope
