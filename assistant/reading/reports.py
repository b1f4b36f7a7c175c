"""The reports in the index: what each one is, how citations name it, and which of them a question
is about, read the way people name reports ("the 2023 report", "the 2022 inspection", "the SIF",
"the latest", "last time")."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from assistant.reading.authorities import short_names
from assistant.reading.report_info import ReportInfo, citation_name, month_year
from assistant.reading.report_names import (
    ABOUT_MANY,
    AUTHORITY_FILLER,
    COMPARING,
    FIRST,
    GENERIC_ALIASES,
    INSPECTION_WORDS,
    KIND,
    KIND_LABELS,
    KIND_OF_PHRASE,
    KIND_OF_YEAR,
    LATEST,
    MONTH_SPAN,
    MONTHS,
    ON_SITE,
    PREVIOUS,
    PUBLISHED,
    REPORT_YEAR,
    THIS_YEAR,
    VISITED,
    YEAR,
    is_kind,
    relative_named,
    span_said,
    years_named,
)
from assistant.text import any_of, squashed, words


@dataclass(frozen=True)
class Scope:
    """What a caller limits answers to: an authority, a year, or one report by id; nothing means every report."""

    authority: str | None = None
    year: str | int | None = None
    report: str | None = None
    reports: tuple[str, ...] = ()  # several reports by id, each answered in turn


@dataclass(frozen=True)
class ScopeReading:
    """Which reports a question is about, read once from its words and the caller's limit."""

    reports: tuple[str, ...]  # each authority's oldest first; by date when compared over time
    # "one" report; "each" report in turn (comparisons, change over time, several named); the "best"
    # matching reports, each under its name (no authority named)
    mode: str = "one"
    missing: str = ""  # nothing matches: what to tell the user, naming the reports that exist
    note: str = ""  # what the answer must say about the choice ("From Leeds 2025, the most recent of …")
    phrases: tuple[str, ...] = ()  # the words that named the scope: not the question's topic
    authorities: tuple[str, ...] = ()  # the authorities the question (or the caller) named, by key


class Catalogue:
    """Report names, and the scope of a question: the reports it names by authority, year, kind or order."""

    def __init__(self, manifest: dict[str, dict]):
        infos = [_info(report, entry) for report, entry in manifest.items()]
        spellings: dict[str, Counter] = defaultdict(Counter)
        for i in infos:
            spellings[i.authority_key][_tidy_authority(i.authority)] += 1
        display = {key: max(c, key=lambda s: (c[s], -len(s))) for key, c in spellings.items()}
        infos = [replace(i, authority=display[i.authority_key]) for i in infos]
        base = Counter((i.authority_key, i.year) for i in infos)
        self.reports = {
            i.id: replace(i, name=citation_name(i, base)) for i in sorted(infos, key=_chronological)
        }
        self._by_name = {i.name: i.id for i in self.reports.values()}
        # Every spelling of every authority, longest first, so "Kingston upon Hull" is not read as "Hull".
        aliases: dict[str, str] = {}
        for key, c in spellings.items():
            for spelling in [*c, display[key], key.replace("-", " ")]:
                alias = _alias(spelling)
                if alias and alias not in GENERIC_ALIASES:
                    aliases.setdefault(alias, key)
        for key in spellings:  # after every authority's own names: a loaded "Poole" keeps its own
            for short in short_names(display[key]):
                aliases.setdefault(_alias(short), key)
        self._aliases = aliases
        names = any_of(aliases)
        self._authority_pattern = re.compile(rf"\b({names})(?:['’]s?)?(?![\w-])", re.I) if names else None
        # The same names in running text, where commas may stand between their words ("Bournemouth, Christchurch").
        loose = "|".join(r"[\s,.]+".join(map(re.escape, a.split())) for a in sorted(aliases, key=len, reverse=True))
        self._authority_in_text = re.compile(rf"\b(?:{loose})(?:['’]s?)?(?![\w-])", re.I) if loose else None

    @property
    def many(self) -> bool:
        return len(self.reports) > 1

    def infos(self) -> list[ReportInfo]:
        """Every loaded report, each authority's oldest first."""
        return list(self.reports.values())

    def label(self, report: str, passage_label: str) -> str:
        """How an answer cites a passage: "¶38" with one report loaded, "Leeds 2022 ¶38" with more."""
        info = self.reports.get(report)
        return f"{info.name} {passage_label}" if self.many and info else passage_label

    def resolve(self, label: str) -> tuple[str | None, str]:
        """(report id, passage label) of a citation label; report None when the label names none."""
        for name, report in sorted(self._by_name.items(), key=lambda nr: -len(nr[0])):
            if label.startswith(name + " "):
                return report, label[len(name) + 1 :]
        return None, label

    def authorities(self) -> set[str]:
        """Every spelling of the loaded reports' authorities, lower case, "&" written "and"."""
        return set(self._aliases)

    def authority_words(self) -> set[str]:
        """Words that say which report, not what about: authority names, and years once several are loaded."""
        names = {w for alias in self._aliases for w in re.findall(r"[a-z]+", alias)}
        years = {i.year for i in self.reports.values() if i.year} if self.many else set()
        return names | years

    def without_authorities(self, text: str) -> str:
        """The text with every loaded authority's name taken out ("Kensington and Chelsea's leadership"
        → "leadership"): what it asks, not whom about."""
        if not self._authority_in_text:
            return text
        return squashed(self._authority_in_text.sub(" ", text.replace("&", "and")))

    def named_authorities(self, text: str) -> list[str]:
        """The authority keys a text names, in the order it names them."""
        if not self._authority_pattern:
            return []
        found = (self._aliases[_alias(m.group(1))] for m in self._authority_pattern.finditer(_alias(text)))
        return list(dict.fromkeys(found))

    # --- the scope of a question ------------------------------------------------------------------
    def read(self, question: str, limit: Scope = Scope(), *, own: str | None = None,
             previous: tuple[str, ...] = (), mentions: Callable[[str, tuple[str, ...]], bool] | None = None) -> ScopeReading:
        """The reports ``question`` is about, within ``limit``.

        ``own`` is what the user typed when ``question`` is a follow-up made standalone: the authority,
        years, kind and relative names it uses win over those carried from earlier turns. In a
        conversation (``previous``: the reports of the answer before) a question that names no
        authority and no report stays with those reports, follow-up or not ("what was going wrong in
        the care leavers' service?" after a question on Plymouth 2019), unless it asks about many
        ("which councils…", "in all the reports"); "last time" and "before that" count back from them.
        ``mentions(word, reports)`` tells whether those reports' text uses a word: a year that no report
        has but the text uses ("in 2015-16") dates a figure.
        """
        own = question if own is None else own
        if limit.reports:
            known = tuple(r for r in limit.reports if r in self.reports)
            return ScopeReading(known, "each" if len(known) > 1 else "one", authorities=self._keys_of(known),
                                missing="" if known else f"none of the reports {', '.join(limit.reports)} is loaded")
        if limit.report:
            if limit.report in self.reports:
                return ScopeReading((limit.report,), authorities=self._keys_of((limit.report,)))
            return ScopeReading((), missing=f"no report {limit.report!r} is loaded")
        keys = self.named_authorities(limit.authority or "") or (
            [] if limit.authority else self.named_authorities(own) or self.named_authorities(question)
        )
        if limit.authority and not keys:
            return ScopeReading((), missing=f"no report on {limit.authority} is loaded")
        follow_up = bool(previous) and (own != question or not ABOUT_MANY.search(own))
        if follow_up and not self.named_authorities(own) and not self._names_report(own):
            mode = "each" if len(previous) > 1 else "one"
            return ScopeReading(tuple(previous), mode, authorities=self._keys_of(previous))  # keeps its scope
        phrases: list[str] = []
        pool = [i for i in self.reports.values() if not keys or i.authority_key in keys]
        who = self._who(keys)

        # A follow-up that names its report itself ("and the short inspection?", "and in 2022?", "and
        # before that?") leaves the year and kind carried from earlier turns behind.
        carried = "" if follow_up and self._names_report(own) else question
        year_text = str(limit.year) if limit.year is not None else own if YEAR.search(own) else carried
        years, figure_years, since, span, months = years_named(year_text)
        named_year = False
        if years or since or span:
            if since:
                dated = [i for i in pool if max({i.year, *i.inspection_years}) >= since]
            elif span:
                dated = [i for i in pool if any(span[0] <= y <= span[1] for y in {i.year, *i.inspection_years})]
            else:
                dated = _match_years(pool, years, months, bool(INSPECTION_WORDS.search(year_text)))
            names_a_report = limit.year is not None or REPORT_YEAR.search(year_text) or not mentions or not all(
                mentions(y, tuple(i.id for i in pool)) for y in years)
            if dated:
                pool, named_year = dated, True
                phrases += [m.group(0) for m in MONTH_SPAN.finditer(year_text)] + YEAR.findall(year_text)
            elif (keys or limit.year is not None) and names_a_report:
                asked = f"since {since}" if since else span_said(span) if span else _or(sorted(years))
                return ScopeReading((), missing=f"No report on {who} was published or inspected in {asked}. "
                                    f"{self._listing(pool)}", phrases=tuple(phrases), authorities=tuple(keys))
            # else: a year no report has, and no authority named: it dates a figure
        elif figure_years and len(pool) > 1 and (dated := _match_years(pool, figure_years, set(), False)):
            pool, named_year = dated, True  # "at 31 March 2014": the figure of the report of that year

        kind_text = own if KIND.search(own) else carried
        kinds = list(dict.fromkeys(KIND_OF_PHRASE[m.group(1).lower()] for m in KIND.finditer(kind_text)))
        # Of the authorities named, each one's reports of that kind ("Ealing's 2016 inspection and
        # Birmingham's re-inspection"); with none named, the reports of that kind.
        of_kind = {i.authority_key for i in pool if any(is_kind(i.kind, k) for k in kinds)}
        if of_kind:
            phrases += [m.group(0) for m in KIND.finditer(kind_text)]
            pool = [i for i in pool if (keys and i.authority_key not in of_kind) or any(is_kind(i.kind, k) for k in kinds)]
        elif kinds and (not named_year or KIND_OF_YEAR.search(kind_text)):
            asked = KIND_LABELS.get(kinds[0], kinds[0])
            return ScopeReading((), missing=f"{who} has no {asked} among the loaded reports. {self._listing(pool)}",
                                phrases=tuple(phrases), authorities=tuple(keys))
        # else a kind that the report named by its year talks about ("the focused visit that found…,
        # according to the 2019 report"): the question's topic
        kinds = kinds if of_kind else []

        if relative := (None if named_year and YEAR.search(own) else relative_named(own)):
            phrases += [m.group(0) for p in (LATEST, PREVIOUS, FIRST) for m in p.finditer(own)]
            chosen = self._relative(pool, relative, previous)
            if not chosen:
                start = _and([self.reports[r].name for r in previous]) or "the earliest report"
                none = f"No loaded report on {who}" if keys else who  # who: "None of the loaded reports"
                return ScopeReading((), missing=f"{none} comes before {start}. {self._listing(pool)}",
                                    phrases=tuple(phrases), authorities=tuple(keys))
            mode = "one" if len(chosen) == 1 else "each" if keys else "best"
            return ScopeReading(tuple(chosen), mode, phrases=tuple(phrases), authorities=tuple(keys))

        compares = len(keys) > 1 or (len(keys) == 1 and bool(COMPARING.search(question)))
        if len(keys) > 1 and not (named_year or kinds):
            pool = [self._latest(pool, key) for key in keys]  # authorities compared: each one's latest
        elif not compares and len({i.authority_key for i in pool}) == 1 and len(pool) > 1 and not (named_year or kinds):
            latest = self._latest(pool, pool[0].authority_key)  # one authority, no report named: its latest, said
            others = _and([i.year for i in pool if i.id != latest.id])
            note = (f"From {latest.name}, the most recent of the {len(pool)} loaded reports on {latest.authority} "
                    f"(the others were published in {others}): name a year to ask about another.")
            return ScopeReading((latest.id,), note=note, phrases=tuple(phrases), authorities=tuple(keys))
        pool = sorted(pool, key=_by_date) if compares else pool
        mode = "one" if len(pool) == 1 else "each" if keys or compares else "best"
        return ScopeReading(tuple(i.id for i in pool), mode, phrases=tuple(phrases), authorities=tuple(keys))

    def dated(self, reports: list[str], text: str) -> tuple[list[str], str]:
        """Of ``reports``, those a text dates, strictly ("inspected in March 2019": inspected in that
        month; "published in 2021": that year), and the date as said; all of them when it names none."""
        this_year = date.today().year
        text = THIS_YEAR.sub(lambda m: str(this_year - (m.group(1).lower() == "last")), text)
        years, _, since, span, months = years_named(text, bounds=True)
        pool = [self.reports[r] for r in reports if r in self.reports]
        inspected = bool(INSPECTION_WORDS.search(text) or ON_SITE.search(text))
        if months:
            said = _or([f"{MONTHS[m - 1].title()} {y}" for m, y in sorted(months)])
            return [i.id for i in pool if any(_in_month(i, m, y, inspected) for m, y in months)], said
        # "published 2021-2023" dates by the cover; "inspected 2021-2023" by the visit; unsaid, either will do
        published, visited = bool(PUBLISHED.search(text)), bool(VISITED.search(text))

        def years_of(i: ReportInfo) -> set[str]:
            if published and not visited:
                return {i.year}
            return (set(i.inspection_years) or {i.year}) if visited else {i.year, *i.inspection_years}

        if since:
            return [i.id for i in pool if max(years_of(i)) >= since], f"since {since}"
        if span:
            found = [i for i in pool if any(span[0] <= y <= span[1] for y in years_of(i))]
            return [i.id for i in found], span_said(span)
        if years:
            found = [i for i in pool if (i.inspection_years if inspected else {i.year}) & years]
            return [i.id for i in found], _or(sorted(years))
        return [i.id for i in pool], ""

    def scope(self, question: str, authority: str | None = None, year: str | int | None = None,
              report: str | None = None) -> list[str]:
        """The reports a question is about (see ``read``); empty when none matches."""
        return list(self.read(question, Scope(authority, year, report)).reports)

    def _keys_of(self, reports: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.reports[r].authority_key for r in reports if r in self.reports))

    def _names_report(self, text: str) -> bool:
        """Does a text name a report by year, kind or order ("and in 2022?", "and last time?")?"""
        return bool(YEAR.search(text) or KIND.search(text) or relative_named(text))

    def _who(self, keys: list[str]) -> str:
        names = [next(i.authority for i in self.reports.values() if i.authority_key == k) for k in keys]
        return " and ".join(names) if names else "None of the loaded reports"

    def _listing(self, pool: list[ReportInfo]) -> str:
        """"Leeds has reports published in 2015 (SIF), 2018 (short inspection) …" as one line."""
        by_authority: dict[str, list[ReportInfo]] = defaultdict(list)
        for i in pool or list(self.reports.values()):
            by_authority[i.authority].append(i)
        return "; ".join(
            f"{a} has {'reports' if len(infos) > 1 else 'a report'} published in " + _and([f"{i.year} ({i.kind_label}, inspected {month_year(i.inspection_start)})"
                                                     if i.inspection_start else i.year for i in infos])
            for a, infos in by_authority.items()
        ) + "."

    def _latest(self, pool: list[ReportInfo], key: str) -> ReportInfo:
        return max((i for i in pool if i.authority_key == key), key=_by_date)

    def _relative(self, pool: list[ReportInfo], relative: str, previous: tuple[str, ...]) -> list[str]:
        """Each authority's latest, first, or the report before the one the conversation was on."""
        chosen = []
        for key in dict.fromkeys(i.authority_key for i in pool):
            mine = sorted((i for i in pool if i.authority_key == key), key=_by_date)
            if relative == "latest":
                chosen.append(mine[-1].id)
            elif relative == "first":
                chosen.append(mine[0].id)
            else:
                seen = [self.reports[r] for r in previous if r in self.reports and self.reports[r].authority_key == key]
                before = min(seen, key=_by_date) if seen else mine[-1]
                earlier = [i for i in mine if _by_date(i) < _by_date(before)]
                if earlier:
                    chosen.append(earlier[-1].id)
        return chosen


def asks_only_what_changed(topic: str, ignore: frozenset[str]) -> bool:
    """"How has X changed since 2016?": a change over time with no topic of its own (``ignore``:
    words that frame a question)."""
    return bool(COMPARING.search(topic)) and not [w for w in words(COMPARING.sub(" ", topic)) if w not in ignore]


def _match_years(pool: list[ReportInfo], years: set[str], months: set[tuple[int, str]], says_inspected: bool) -> list[ReportInfo]:
    """Reports a year names: by publication or inspection year; where both readings find reports,
    "inspected"/"inspection" picks the inspection year, else the year on the cover."""
    published = [i for i in pool if i.year in years]
    inspected = [i for i in pool if i.inspection_years & years]
    chosen = (inspected if says_inspected else published) or published or inspected
    if months:
        in_month = [i for i in chosen if any(_in_month(i, month, year) for month, year in months)]
        chosen = in_month or chosen
    return chosen


def _in_month(info: ReportInfo, month: int, year: str, inspected_only: bool = False) -> bool:
    stamp = f"{year}-{month:02d}"
    start, end = info.inspection_start[:7], (info.inspection_end or info.inspection_start)[:7]
    return bool(start and start <= stamp <= end) or (not inspected_only and info.published_on[:7] == stamp)


def _alias(spelling: str) -> str:
    """A name as matched: lower case, "&" written "and", no commas or full stops."""
    return squashed(spelling.lower().replace("&", "and").replace(",", " ").replace(".", " "))


def _tidy_authority(name: str) -> str:
    """"Leeds City" → "Leeds", "the Isle of Wight" → "Isle of Wight", "St. Helens" → "St Helens"."""
    tidied = AUTHORITY_FILLER.sub("", name.replace("St. ", "St ").replace(" & ", " and ")).strip()
    return tidied or name


def _authority_key(report: str, authority: str) -> str:
    """One key for an authority however a report spells it: the report id's name part ("leeds-2025-08-12")."""
    m = re.match(r"^(.*?)-(?:19|20)\d\d(?:-\d\d){0,2}$", report)
    return m.group(1) if m else _alias(_tidy_authority(authority)).replace(" ", "-")


def _info(report: str, entry: dict) -> ReportInfo:
    authority = entry.get("authority") or entry.get("title") or report
    judgements = {area: grade for area, grade in entry.get("judgements", [])}
    return ReportInfo(
        id=report,
        authority=authority,
        kind=entry.get("kind", "") or "",
        inspection_start=entry.get("inspection_start") or "",
        inspection_end=entry.get("inspection_end") or "",
        published_on=entry.get("published_on") or "",
        judgements=judgements,
        paragraphs=int(entry.get("passages") or 0),
        source=entry.get("source", "") or "",
        title=entry.get("title", "") or "",
        authority_key=_authority_key(report, authority),
    )


def _by_date(info: ReportInfo) -> tuple:
    return (info.published_on or info.inspection_start, info.id)


def _chronological(info: ReportInfo) -> tuple:
    return (info.authority, *_by_date(info))


def _and(items: list[str], word: str = "and") -> str:
    """"2015, 2018 and 2022"."""
    return "" if not items else items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _or(items: list[str]) -> str:
    return _and(items, "or")
