"""Answers over the grades of many reports, exact from their judgement tables and each report cited
to the passage that states its grade: which reports have a grade, how many, one authority's grades
over time, comparisons, the reports that do not grade an area, and which reports were inspected when.

An empty result says so plainly; the reports searched go in the notes. Reports that do not meet the
condition follow those that do, with their grades, only when asked for: named, or a share's whole.
"""

from __future__ import annotations

from assistant.reading.grade_queries import ANY_AREA, Condition, GradeQuery
from assistant.answering.grade_quotes import Evidence, GradeQuoter
from assistant.reading.judgements import AREA_BY_KEY, GRADE_RANK, GRADES, GradeRow, report_rows
from assistant.reading.reports import Catalogue, ReportInfo
from assistant.types import Answer


class GradeTableAnswerer:
    """Answers a ``GradeQuery`` over the reports in scope from their judgement tables."""

    def __init__(self, quoter: GradeQuoter, catalogue: Catalogue, rest_shown: int = 12):
        self.quoter = quoter
        self.catalogue = catalogue
        self.rest_shown = rest_shown  # at most this many reports not meeting the condition are listed
        self._rows = {i.id: report_rows(i) for i in catalogue.infos()}  # read once per load, not per question

    def rows(self, info: ReportInfo) -> list[GradeRow]:
        return self._rows.get(info.id) or report_rows(info)

    def run(self, asked: GradeQuery, scope: list[str], dated: list[str]) -> Answer:
        """The answer from the judgement tables of the reports in ``scope`` (of which ``dated``: those
        the question's dates pick, when it asks which were inspected when)."""
        infos = [self.catalogue.reports[r] for r in scope if r in self.catalogue.reports]
        if not infos:  # a date no loaded report has ("published between 2018 and 2022")
            return _none(f"No loaded report in scope was {_verb(asked)} {_in(asked.when)}.")
        if asked.intent == "metadata":
            answer = self._metadata(asked, infos, dated)
        else:
            answer = {
                "list": self._matching, "count": self._matching, "missing": self._missing,
                "history": self._side_by_side, "compare": self._side_by_side,
                "trend": self._trend, "distribution": self._distribution,
            }[asked.intent](asked, infos)
        if asked.yes_no and asked.intent in ("list", "count", "trend") and not answer.answer.startswith("No:"):
            answer.answer = f"{'No' if answer.abstained else 'Yes'}: {answer.answer}"
        answer.notes.append(f"Searched the judgement tables of {_reports(len(infos))}: "
                            f"{', '.join(i.name for i in infos)}.")
        return answer

    # --- which reports have a grade, how many ----------------------------------------------------
    def _matching(self, asked: GradeQuery, infos: list[ReportInfo]) -> Answer:
        matches = [(i, rows) for i in infos if (rows := _meets(self.rows(i), asked.conditions))]
        condition, searched = _said(asked.conditions), _searched(infos, asked.when)
        if asked.every_report:
            return self._every_report(asked, infos, dict((i.id, rows) for i, rows in matches), condition)
        if not matches and asked.ever:  # "was X ever rated good?": no, and what it was rated instead
            return self._never(asked, infos, condition)
        if not matches:
            return _none(f"None of the {searched} judged {condition}.")
        evidence = Evidence()
        lines = [f"{i.name}: {self._quote(i, rows, evidence)}" for i, rows in matches]
        authorities = len({i.authority_key for i, _ in matches})
        of = f", {authorities} authorities" if authorities != len(matches) else ""
        lead = f"{len(matches)} of the {searched}{_share(len(matches), len(infos))}{of} judged {condition}:"
        shown = [i.id for i, _ in matches]
        others = [i for i in infos if i.id not in shown]
        # "Was X ever rated inadequate?": its other reports too. Other authorities only when asked for (``whole``).
        if others and (asked.ever or (asked.whole and len(others) <= self.rest_shown)):
            lines += ["Its other reports:" if asked.ever else f"{_the_other(len(others), 'loaded report', 'loaded reports')} did not:",
                      *self._others(others, asked, evidence)]
            shown += [i.id for i in others]
        return _answer([lead, *lines], evidence, shown)

    def _area_rows(self, infos: list[ReportInfo], asked: GradeQuery) -> list[tuple[ReportInfo, list[GradeRow]]]:
        """Each report's rows for the areas a question asks about (every row for "any area")."""
        areas = {c.area for c in asked.conditions} | set(asked.shown_areas)
        return [(i, [r for r in self.rows(i) if r.area in areas or ANY_AREA in areas]) for i in infos]

    def _others(self, infos: list[ReportInfo], asked: GradeQuery, evidence: Evidence) -> list[str]:
        """Each report's grades in the areas asked about, cited; a report that grades none of them
        says so, cited to its judgements."""
        lines = []
        for info, rows in self._area_rows(infos, asked):
            if rows:
                lines.append(f"{info.name}: {self._quote(info, rows, evidence)}")
            else:
                areas = " or ".join(AREA_BY_KEY[a].label for a in asked.shown_areas) or "these areas"
                lines.append(f"{info.name} ({info.kind_label}) gives no grade for {areas}. {self._cite_table(info, evidence)}")
        return lines

    def _never(self, asked: GradeQuery, infos: list[ReportInfo], condition: str) -> Answer:
        evidence = Evidence()
        lines = self._others(infos, asked, evidence)
        lead = f"No: none of the {_reports(len(infos))} on {infos[0].authority} judged {condition}."
        return _answer([lead, *lines], evidence, [i.id for i in infos])

    def _every_report(self, asked: GradeQuery, infos: list[ReportInfo], matches: dict, condition: str) -> Answer:
        """"Which councils were good at both of their inspections?": the authorities all of whose
        reports in scope meet the condition, each report cited."""
        by_authority = _by_authority(infos)
        kept = {k: mine for k, mine in by_authority.items() if all(i.id in matches for i in mine)}
        if not kept:
            return _none(f"None of the {len(by_authority)} authorities in scope had {condition} in every one of "
                         f"its loaded reports.")
        evidence = Evidence()
        lines = [f"{mine[0].authority}: " + " ".join(f"{i.name}: {self._quote(i, matches[i.id], evidence)}" for i in mine)
                 for mine in kept.values()]
        lead = (f"{len(kept)} of the {len(by_authority)} authorities in scope had {condition} in every one of their "
                f"loaded reports:")
        return _answer([lead, *lines], evidence, [i.id for mine in kept.values() for i in mine])

    def _missing(self, asked: GradeQuery, infos: list[ReportInfo]) -> Answer:
        """The reports that give no grade in an area ("which report gives no overall grade?")."""
        area = asked.shown_areas[0] if asked.shown_areas else "overall"
        label = AREA_BY_KEY[area].label
        lacking = [i for i in infos if area not in {r.area for r in self.rows(i)} and self.rows(i)]
        if not lacking:
            return _none(f"Every one of the {_reports(len(infos))} in scope gives a grade for {label}.")
        evidence = Evidence()
        lines = [f"{i.name} ({i.kind_label}) gives no grade for {label}. {self.quoter.ungraded(i.id, area, evidence)}"
                 f"Its judgements: {self._quote(i, self.rows(i), evidence)}" for i in lacking]
        verb = "gives" if len(lacking) == 1 else "give"
        lead = f"{len(lacking)} of the {_reports(len(infos))} in scope {verb} no grade for {label}:"
        return _answer([lead, *lines], evidence, [i.id for i in lacking])

    def _trend(self, asked: GradeQuery, infos: list[ReportInfo]) -> Answer:
        """"Which councils improved their overall grade?": each authority with two or more reports in
        scope whose grade in the area rose (or fell) from its first of them to its latest; the
        conditions, if any, hold for the latest ("improved to good")."""
        area = asked.shown_areas[0] if asked.shown_areas else "overall"
        by_authority = _by_authority(sorted(infos, key=lambda i: i.published_on))
        moved, unmoved, compared = [], [], 0
        for mine in by_authority.values():
            graded = [(i, r) for i in mine for r in self.rows(i) if r.area == area]
            if len(graded) < 2:
                continue
            compared += 1
            mine_moved = [pair for pair in _pairs(graded, asked.pairs) if self._moved(asked, pair)]
            moved += mine_moved
            if not mine_moved:
                unmoved.append((graded[0], graded[-1]))
        label = AREA_BY_KEY[area].label
        verb = {"better": "improved", "worse": "declined", "same": "stayed the same"}[asked.direction]
        if asked.transition:
            start, end = asked.transition
            verb = f"went from {start} to {end}" if end else f"went from {start} to a lower grade"
        if not moved:
            return _none(f"None of the {compared} authorities with two or more graded reports in scope {verb} in {label}.")
        between = {"first-latest": "from their first to their latest loaded report",
                   "consecutive": "from one inspection to the next", "last-two": "at their latest inspection against the one before"}
        lead = (f"{len(moved)} of the {compared} authorities with two or more graded reports in scope {verb} in "
                f"{label}, {between[asked.pairs]}:")
        evidence = Evidence()
        lines = [lead, *(self._step(pair, evidence) for pair in moved)]
        if asked.whole and unmoved and len(unmoved) <= self.rest_shown:  # "A v B: which improved?": the other too
            lines += [f"{_the_other(len(unmoved), 'authority', 'authorities')} did not:", *(self._step(pair, evidence) for pair in unmoved)]
            moved += unmoved
        return _answer(lines, evidence, [i.id for pair in moved for i, _ in pair])

    def _step(self, pair, evidence: Evidence) -> str:  # "Newcastle: requires improvement (Newcastle 2017) to good (…)"
        (first, a), (last, b) = pair
        return f"{first.authority}: {a.grade} ({first.name}) to {b.grade} ({last.name}). " + \
            f"{self._quote(first, [a], evidence)} {self._quote(last, [b], evidence)}"

    def _moved(self, asked: GradeQuery, pair) -> bool:
        """Did the grade move as asked from the earlier report's row ``a`` to the later one's ``b``?"""
        (_, a), (last, b) = pair
        if asked.transition:
            start, end = asked.transition
            return a.grade == start and (b.grade == end if end else GRADE_RANK[b.grade] < GRADE_RANK[start])
        rose, fell = GRADE_RANK[b.grade] > GRADE_RANK[a.grade], GRADE_RANK[b.grade] < GRADE_RANK[a.grade]
        return ({"better": rose, "worse": fell, "same": a.grade == b.grade}[asked.direction]
                and (not asked.conditions or _meets(self.rows(last), asked.conditions)))

    def _distribution(self, asked: GradeQuery, infos: list[ReportInfo]) -> Answer:
        """"What overall grades did the short inspections give?": the reports in scope by grade, each cited."""
        evidence = Evidence()
        lines = []
        for area in asked.shown_areas or ("overall",):
            graded = [(i, r) for i in infos for r in self.rows(i) if r.area == area]
            if not graded:
                lines.append(f"None of the {_reports(len(infos))} in scope gives a grade for {AREA_BY_KEY[area].label}.")
                continue
            counts = [(g, [(i, r) for i, r in graded if r.grade == g]) for g in GRADES]
            said = ", ".join(f"{len(group)} {g}" for g, group in counts if group)
            lines.append(f"{AREA_BY_KEY[area].label.capitalize()}, in {_reports(len(infos))} in scope: {said}"
                         + (f"; {len(infos) - len(graded)} give no grade for it." if len(graded) < len(infos) else "."))
            for g, group in counts:
                if group:
                    cited = ", ".join(f"{i.name} {self._cite_row(i, r, evidence)}" for i, r in group)
                    lines.append(f"{g.capitalize()} ({len(group)}): {cited}")
        if not evidence.sources:  # not one grade of that area to show
            return _none("\n\n".join(lines))
        return _answer(lines, evidence, [i.id for i in infos])

    def _cite_row(self, info: ReportInfo, row: GradeRow, evidence: Evidence) -> str:
        """The citation of the passage stating a row's grade (its line highlighted), without quoting it."""
        source, line, verbatim = self.quoter.quotes(info.id, [(row.area_printed, row.grade_printed)])[0]
        return evidence.cite(source, *([line] if verbatim else []))

    # --- one authority over time, or several side by side ----------------------------------------
    def _side_by_side(self, asked: GradeQuery, infos: list[ReportInfo]) -> Answer:
        graded = {i.id: self.rows(i) for i in infos}
        areas = asked.shown_areas or _common_areas(graded)
        evidence = Evidence()
        lines = []
        for info in infos:
            rows = [r for r in self.rows(info) if r.area in areas]
            if rows:
                lines.append(f"{info.name}: {self._quote(info, rows, evidence)}")
            else:
                given = self.rows(info)
                missing = " and ".join(AREA_BY_KEY[a].label for a in areas)
                lines.append(f"{info.name} gives no grade for {missing}"
                             + (f"; its judgements: {self._quote(info, given, evidence)}" if given else "."))
        verdict = _verdict(asked, infos, areas, graded)
        return _answer([verdict, *lines] if verdict else lines, evidence, [i.id for i in infos])

    # --- which reports were inspected or published when ------------------------------------------
    def _metadata(self, asked: GradeQuery, infos: list[ReportInfo], dated: list[str]) -> Answer:
        chosen, when = [self.catalogue.reports[r] for r in dated], asked.when
        verb = _verb(asked)
        if not chosen:
            return _none(f"None of the {_reports(len(infos))} in scope was {verb} {_in(when)}.")
        evidence = Evidence()
        lines = []
        for info in chosen:
            rows = [r for r in self.rows(info) if r.area in (asked.areas or ("overall",))]
            grades = self._quote(info, rows, evidence) if rows else self._cite_table(info, evidence)
            lines.append(f"{info.name}: {info.describe()}. {grades}")
        were = "was" if len(chosen) == 1 else "were"
        lead = f"{len(chosen)} of the {_reports(len(infos))} in scope {were} {verb}" + (f" {_in(when)}:" if when else ":")
        return _answer([lead, *lines], evidence, [i.id for i in chosen])

    def _quote(self, info: ReportInfo, rows: list[GradeRow], evidence: Evidence) -> str:
        """The grades in plain words first ("leadership good; adoption requires improvement"), then
        as the report states them, cited."""
        printed = list(dict.fromkeys((r.area_printed, r.grade_printed) for r in rows))
        quoted = self.quoter.quote(info.id, printed, evidence)
        if all(f"{area}: {grade}".lower() in quoted.lower() for area, grade in printed):
            return quoted  # the table's own lines say it plainly already ("Overall effectiveness: Good.")
        plain = "; ".join(f"{AREA_BY_KEY[r.area].label}: {r.grade}" for r in rows)
        return f"{plain}. {quoted}"

    def _cite_table(self, info: ReportInfo, evidence: Evidence) -> str:
        """The report's judgements passage, cited for its dates when no grade is asked for."""
        return evidence.cite(self.quoter.table(info.id))


def _pairs(graded: list, pairs: str) -> list:
    """The (earlier, later) reports a trend compares: first and latest, each with the next, or the last two."""
    if pairs == "consecutive":
        return list(zip(graded, graded[1:]))
    return [(graded[-2], graded[-1])] if pairs == "last-two" else [(graded[0], graded[-1])]


def _meets(rows: list[GradeRow], conditions: tuple[Condition, ...]) -> list[GradeRow]:
    """The rows that show a report meets every condition; [] when it does not (or grades nothing)."""
    shown: list[GradeRow] = []
    for condition in conditions:
        if condition.than:
            if not (pair := _graded_against(rows, condition)):
                return []
            shown += [r for r in pair if r not in shown]
            continue
        about = [r for r in rows if condition.area in (ANY_AREA, r.area) or r.area in condition.alternatives]
        hits = [r for r in about if r.grade in condition.grades]
        if condition.excluded:
            if hits:
                return []
            continue
        if not hits or (condition.every and len(hits) < len(about)):
            return []
        shown += [r for r in hits if r not in shown]
    return shown if shown or not rows else rows  # only exclusions: the grades that show it


def _graded_against(rows: list[GradeRow], condition: Condition) -> list[GradeRow]:
    """The two rows when the report grades ``condition.area`` better (or worse) than ``condition.than``."""
    mine = next((r for r in rows if r.area == condition.area), None)
    theirs = next((r for r in rows if r.area == condition.than), None)
    if not mine or not theirs:
        return []
    rank, other = GRADE_RANK[mine.grade], GRADE_RANK[theirs.grade]
    return [mine, theirs] if (rank > other if condition.direction == "better" else rank < other) else []


def _said(conditions: tuple[Condition, ...]) -> str:
    """"help and protection as good and leadership as inadequate", "any area as inadequate"."""
    parts = []
    for c in conditions:
        if c.than:
            higher = "higher" if c.direction == "better" else "lower"
            parts.append(f"{AREA_BY_KEY[c.area].label} {higher} than {AREA_BY_KEY[c.than].label}")
            continue
        area = "every area" if c.every else "any area" if c.area == ANY_AREA else " or ".join(
            AREA_BY_KEY[a].label for a in (*sorted(c.alternatives), c.area))
        grades = " or ".join(g for g in GRADES if g in c.grades)
        parts.append(f"{'no area' if c.excluded and c.area == ANY_AREA else area} as {'not ' if c.excluded else ''}{grades}")
    return " and ".join(parts)


def _by_authority(infos: list[ReportInfo]) -> dict[str, list[ReportInfo]]:
    """The reports of each authority, in the order given."""
    grouped: dict[str, list[ReportInfo]] = {}
    for info in infos:
        grouped.setdefault(info.authority_key, []).append(info)
    return grouped


def _searched(infos: list[ReportInfo], when: str) -> str:
    """"17 loaded reports in scope", "5 loaded reports published since 2023"."""
    return f"{_reports(len(infos))} {'published ' + _in(when) if when else 'in scope'}"


def _verb(asked: GradeQuery) -> str:  # the dates of a question: "inspected" or "published"
    return "inspected" if asked.inspected else "published"


def _common_areas(graded: dict[str, list[GradeRow]]) -> tuple[str, ...]:
    """Every area any of the reports grades, in the table's order."""
    seen = {r.area for rows in graded.values() for r in rows}
    return tuple(a for a in AREA_BY_KEY if a in seen)


def _verdict(asked: GradeQuery, infos: list[ReportInfo], areas: tuple[str, ...], graded: dict[str, list[GradeRow]]) -> str:
    """One line that answers before the evidence: better or worse, or how a grade moved over time."""
    if asked.intent == "compare" and asked.direction and (pair := _pair_compared(infos, areas, graded)):
        (first, a), (second, b) = pair
        higher = GRADE_RANK[a.grade] > GRADE_RANK[b.grade]
        lower = GRADE_RANK[a.grade] < GRADE_RANK[b.grade]
        yes = higher if asked.direction == "better" else lower
        what = "the same grade" if a.grade == b.grade else f"{a.grade} against {b.grade}"
        said = f"{first} was judged {a.grade} and {second} {b.grade} ({what})."
        if asked.yes_no:
            return f"{'Yes' if yes else 'No'}: {said}"
        if a.grade == b.grade:
            return f"Neither: {said}"
        return f"{first if higher else second} was judged higher: {said}"
    if asked.intent == "history" and len(areas) == 1:
        label = AREA_BY_KEY[areas[0]].label
        path = [(i, r) for i in infos for r in graded[i.id] if r.area == areas[0]]
        latest = infos[-1]
        if asked.now and asked.conditions and path:  # "is X still rated inadequate?": its latest report says
            now = next((r for r in graded[latest.id] if r.area == areas[0]), None)
            wanted = asked.conditions[0].grades
            if now is None:
                return f"No: {latest.name}, the latest loaded report, gives no grade for {label}."
            return f"{'Yes' if now.grade in wanted else 'No'}: {latest.name}, the latest loaded report, judged {label} {now.grade}."
        if len(path) > 1:
            steps = ", then ".join(f"{r.grade} ({i.name})" for i, r in path)
            ranks = [GRADE_RANK[r.grade] for _, r in path]
            trend = ("got better" if ranks[-1] > ranks[0] else "got worse" if ranks[-1] < ranks[0]
                     else "stayed the same" if len(set(ranks)) == 1 else "changed and came back")
            said = f"{label.capitalize()} {trend}: {steps}."
            if asked.direction and len(path) > 2:  # "worse at its 2023 inspection?": that one against the one before
                (before, a), (after, b) = path[-2:]
                step = ("better" if ranks[-1] > ranks[-2] else "worse" if ranks[-1] < ranks[-2] else "the same grade")
                said += f" From {before.name} to {after.name}: {a.grade} to {b.grade}, {step}."
            return said
    return ""


def _pair_compared(infos: list[ReportInfo], areas: tuple[str, ...], graded: dict[str, list[GradeRow]]):
    """The two things compared: two reports in one area, or two areas of one report."""
    if len(infos) >= 2 and areas:
        found = [(i.name, next((r for r in graded[i.id] if r.area == areas[0]), None)) for i in infos[:2]]
    elif len(infos) == 1 and len(areas) >= 2:
        rows = {r.area: r for r in graded[infos[0].id]}
        found = [(AREA_BY_KEY[a].label, rows.get(a)) for a in areas[:2]]
    else:
        return None
    return found if all(r for _, r in found) else None


def _in(when: str) -> str:
    """"in March 2019", "since 2020", "between 2015 and 2018", "before 2020"."""
    return when if when.startswith(("since", "between", "before")) else f"in {when}"


def _share(part: int, whole: int) -> str:
    """" (29%)": the share a count is of the reports searched."""
    return f" ({round(100 * part / whole)}%)" if whole > 1 else ""


def _the_other(n: int, one: str, many: str) -> str:
    return f"The other {one}" if n == 1 else f"The other {n} {many}"  # "The other authority", "… 5 authorities"


def _reports(n: int) -> str:
    return f"{n} loaded report{'s' if n != 1 else ''}"


def _none(text: str) -> Answer:
    """A plain empty result: the question has no report that answers it (an abstention by design)."""
    return Answer(question="", answer=text, abstained=True)


def _answer(lines: list[str], evidence: Evidence, reports: list[str]) -> Answer:
    return evidence.answer(lines, reports)
