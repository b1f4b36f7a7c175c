"""A follow-up read with the question before it: whether it leans on it, and the topic it carries from it
("And what about their health? (children in care Derby 2022)")."""

from __future__ import annotations

import re

from assistant.reading.answer_kinds import COMPARISON_WORDS
from assistant.reading.question import ACRONYM, FRAME_WORDS, QUESTION_OPENERS
from assistant.reading.report_names import YEAR, without_report_names
from assistant.text import STOP_WORDS, words

# Words by which a question asks for a kind of answer ("how many", "how well", "what share"): said of
# its topic, not part of it, so a follow-up with a topic of its own ("and how many went to
# university?") does not carry them.
_ASKING_WORDS = frozenset("many much long well often share proportion percentage average".split())
# "What about X?" asks the question before of X in place of what X stands for: the group it was
# asked of (who) or what it asked about them (what). The words that name a group of people:
_GROUP_WORDS = frozenset(
    """children child kids young people person leavers leaver care-experienced looked families family parents
    carers foster adopters adopted unaccompanied asylum-seeking asylum seeking disabled teenagers adolescents babies
    siblings girls boys""".split()
)
# Words that are part of a group's name beside one of those: "children in care", "children in need",
# "care leavers" (not "care" in "the quality of care").
_GROUP_QUALIFIERS = frozenset("care need".split())
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\b", re.I)
_ANAPHORA = re.compile(r"\b(they|them|their|theirs|it|its|those|these|this|that|he|she|her|his|there)\b", re.I)
_CONTINUATION = re.compile(r"^\s*(and|but|so|also|what about|how about|what of|and what about)\b", re.I)


# Words that say what a figure is compared with, not what it is of: "what's the average for similar
# councils?" has no topic of its own.
_COMPARED_WITH = COMPARISON_WORDS | frozenset("averages similar councils authorities statistical".split())


def is_follow_up(question: str) -> bool:
    """Does the question lean on an earlier turn ("and how many of them…?", "how long did they wait?",
    "what's the average for similar councils?")?"""
    content = _topic_words(question)
    return bool(_CONTINUATION.search(question) or _ANAPHORA.search(question) or len(content) <= 1)


def _topic_words(question: str) -> list[str]:
    """Its words less those every question uses and those that say what a figure is compared with."""
    return [w for w in words(question) if w not in STOP_WORDS and w not in _COMPARED_WITH]


_CARRIED = re.compile(r"\s*\(([^()]*)\)$")  # the topic ``standalone`` carries over, in brackets at the end


def own_words(standalone_text: str) -> str:
    """A follow-up made standalone as text ("And how many lived outside? (children looked after)"),
    without the topic carried from before: what a caller of ``Assistant.retrieve`` passes is read so."""
    match = _CARRIED.search(standalone_text)
    return standalone_text[: match.start()] if match else standalone_text


def standalone(
    question: str, earlier: list[str], scope_words: frozenset[str] = frozenset(), carry: bool = False
) -> str:
    """Make a follow-up retrievable on its own by carrying the topic words of the previous question;
    a follow-up that only names other reports ("and last time?", "and in 2022?", "what about Leeds?")
    asks the previous question again, so it carries all of it, the words that frame it too. With
    ``carry``, the question is read as a follow-up whether or not it leans on the one before."""
    if not earlier or not (carry or is_follow_up(question)):
        return question
    own = set(words(question))
    rescopes = not [
        w for w in words(without_report_names(question))
        if w not in STOP_WORDS and w not in QUESTION_OPENERS and w not in FRAME_WORDS and w not in scope_words
    ]
    names_a_year = bool(YEAR.search(question))  # "and in 2024?" moves the scope: the earlier year stays behind
    # A follow-up that names its own report leaves behind the words that named the earlier one.
    topic = [
        w
        for w in words(without_report_names(earlier[-1]) if rescopes else earlier[-1])
        if w not in STOP_WORDS and w not in own and w not in QUESTION_OPENERS
        and (rescopes or (w not in FRAME_WORDS and w not in _ASKING_WORDS))
        and not (names_a_year and YEAR.fullmatch(w))
    ]
    # "What about the England average?" names no topic: it asks the question before again, of another comparison.
    if _WHAT_ABOUT.match(question) and not rescopes and _topic_words(question):
        # "And what about their education?" after one on their health: the children, not the health;
        # "what about care leavers?": the health, not the children. "What about once they become care
        # leavers?": "they" are still the children.
        new_group = any(w in _GROUP_WORDS for w in own) and not _ANAPHORA.search(question)
        group = _GROUP_WORDS | _group_qualifiers(words(earlier[-1]))
        topic = [w for w in topic if (w in group) != new_group or w in scope_words or YEAR.fullmatch(w)]
    if not topic:
        return question
    # Acronyms keep their capitals ("FGM"), so they are still read as acronyms.
    acronyms = {m.lower(): m for m in ACRONYM.findall(earlier[-1])}
    return f"{question} ({' '.join(acronyms.get(w, w) for w in dict.fromkeys(topic))})"


def _group_qualifiers(tokens: list[str]) -> set[str]:
    """The words of ``tokens`` that complete a group's name: "care" in "children in care" and "care leavers"."""
    return {
        w for i, w in enumerate(tokens) if w in _GROUP_QUALIFIERS and (
            (i + 1 < len(tokens) and tokens[i + 1] in _GROUP_WORDS)
            or (i >= 2 and tokens[i - 1] == "in" and tokens[i - 2] in _GROUP_WORDS)
        )
    }
