"""Everyday words → the inspection's own terms: "swamped" → "caseloads", "run away" → "missing".

Staff and board members ask in plain words ("do kids in care turn up at school?"); the reports use
the framework's terms ("attendance"). Both searches, and the sentence scorer, miss a passage that
shares no word with the question, and the embedding model does not bridge phrases such as "swamped
with work" and "caseloads are manageable". This table is the framework's glossary read backwards:
for each of the concepts Ofsted reports on, the terms its reports use, then the ways people say it.
It is written from the inspection framework's topics, not from any question, and kept as data in
``glossary.toml``; a phrase is matched on its word stems, so "swamped"/"swamp" and "runs away"/"ran
away" need one entry each at most.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from assistant.reading.report_names import MONTHS
from assistant.text import stem, words

_DATE_WORD = re.compile(rf"(?:19|20)\d\d(?:[-–/]\d\d)?|{'|'.join(MONTHS)}", re.I)  # a year, a period or a month

GLOSSARY = Path(__file__).with_name("glossary.toml")


def _concepts() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(the reports' terms, the everyday phrases that mean them), as ``glossary.toml`` lists them."""
    with GLOSSARY.open("rb") as handle:
        return tuple((c["terms"], tuple(c["phrases"])) for c in tomllib.load(handle)["concept"])


CONCEPTS = _concepts()


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[tuple[str, ...], str], ...]:
    """Every everyday phrase as its word stems, longest first, with the terms it stands for."""
    table = [(tuple(stem(w) for w in words(phrase)), terms) for terms, phrases in CONCEPTS for phrase in phrases]
    return tuple(sorted(table, key=lambda entry: -len(entry[0])))


@lru_cache(maxsize=1024)
def report_terms(question: str) -> tuple[str, ...]:
    """The reports' terms for the everyday phrases in ``question`` that it does not already use,
    once each. Cached: retrieval, the sentence scorer and the figure check each ask."""
    # Dates say when, not what: "led the July 2019 inspection" is "led the inspection".
    stems: list[str | None] = [stem(w) for w in words(question) if not _DATE_WORD.fullmatch(w)]
    said = set(stems)
    found: list[str] = []
    for phrase, concept in _phrases():  # longest first; a word matched once is not matched again
        if phrase[0] not in said:
            continue
        n = len(phrase)
        for i in range(len(stems) - n + 1):
            if tuple(stems[i:i + n]) == phrase:
                stems[i:i + n] = [None] * n
                if concept not in found:
                    found.append(concept)
    # A concept the question already names in the reports' own words adds nothing.
    return tuple(c for c in found if not {stem(w) for w in words(c)} <= said)


def with_plain_words_explained(question: str) -> str:
    """The question followed by the reports' terms for its everyday phrases, for both searches and the scorer."""
    found = report_terms(question)
    return f"{question} ({'; '.join(found)})" if found else question
