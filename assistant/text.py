"""Words as the keyword index and the sentence scorer see them: lower case, no stop words, light stems."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")

STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be been before being below between both but by
    can could did do does doing down during each few for from further had has have having he her here hers him his
    how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out
    over own same she should so some such than that the their theirs them then there these they this those through
    to too under until up very was we were what when where which while who whom why will with would you your yours
    tell show give say said says report inspectors inspector ofsted please much many""".split()
)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """A crude suffix strip: enough to match "fostered"/"fostering", "plans"/"plan"."""
    word = word.replace("'", "")
    if word.endswith("es") and not word.endswith(("sses", "xes", "zes", "ches", "shes", "ies")):
        word = word[:-1]  # "advocates", "cases": drop the plural s only, to meet "advocate", "case"
    for suffix, keep, shortest in (("ies", "y", 3), ("ing", "", 3), ("ed", "", 3), ("es", "", 3), ("ly", "", 5), ("s", "", 3)):
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def words(text: str) -> list[str]:
    """Lower-case word tokens, possessives dropped."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"(?<=\d)[–—](?=\d)", "-", text)  # "2015–16" and "2015-16" are one term
    return [w[:-2] if w.endswith("'s") else w for w in _WORD.findall(text)]


def terms(text: str) -> list[str]:
    """Content terms of ``text``: the keys of the keyword index."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def squashed(text: str) -> str:
    """``text`` with each run of spaces, tabs and newlines made one space, and trimmed."""
    return " ".join(text.split())


def any_of(phrases: Iterable[str]) -> str:
    """A pattern that matches any of ``phrases`` as written, the longest first ("north yorkshire" before "york")."""
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=lambda p: (-len(p), p)))


def says_phrase(phrase: str, text: str) -> bool:
    """Does ``text`` hold ``phrase`` as whole words ("hull" in "kingston upon hull", not in "hullo")?"""
    return re.search(rf"\b{re.escape(phrase)}\b", text) is not None


_PLAIN = re.compile(r"[a-z][a-z'’-]*[a-z]")


def embeddable(vocabulary: Iterable[str]) -> set[str]:
    """The words worth embedding on their own: letters only (hyphens and apostrophes allowed),
    three or more, not stop words."""
    return {w for w in vocabulary if len(w) >= 3 and w not in STOP_WORDS and _PLAIN.fullmatch(w)}
