"""Reading the question before retrieval: validation, paragraph look-ups, unknown names (follow-ups: ``follow_ups``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection

from assistant.reading.answer_kinds import GRADE, PROGRESS, asks_when, is_number_word
from assistant.reading.judgements import grades_said_plainly
from assistant.errors import InvalidQuestion
from assistant.reading.report_names import MONTHS, YEAR
from assistant.text import STOP_WORDS, any_of, squashed, terms, words

# Recommendations are numbered paragraphs too: "recommendation 7" is ¶7. A number is read whole, sign,
# decimals and exponent too, so "12.5", "1e9" and "-1" are refused as such rather than read as 12, 1 and 1.
_PARAGRAPH_NUMBER = r"[-−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?"
_LOOKUP = re.compile(
    rf"(?:\bparagraphs?|\bparas?\.?|\brecommendations?|¶)\s*"
    rf"({_PARAGRAPH_NUMBER}(?:\s*(?:,|and|&|to|-|–)\s*{_PARAGRAPH_NUMBER})*)",
    re.I,
)
_RANGE = re.compile(r"(?<=\d)\s*(?:to|-|–)\s*")  # after a digit: "-1" is a sign, "12-14" a range
_CAPITALISED = re.compile(r"\b([A-Z][A-Za-z]+(?:['’]s)?)\b")
_SENTENCE_START = re.compile(r"(?:^|[.?!:]\s+|\n)\W*$")  # what comes before a word that opens a sentence
ACRONYM = re.compile(r"\b([A-Z]{2,8})s?\b")
QUESTION_OPENERS = frozenset(
    """what how who when where why which whose whom did does do is are was were can could should would will tell
    show give list summarise summarize describe explain compare please and but so i in on at for of the a an
    according if has have had any english""".split()
)
# Words that frame a question rather than name its topic: not carried into a follow-up.
FRAME_WORDS = frozenset(
    """grade grades graded get got judged judgement judgment rated rating say find found figure figures number
    happen happened think get given receive received last latest year current currently""".split()
)
# Every word that frames a question rather than says what it is about.
NOT_TOPIC = STOP_WORDS | QUESTION_OPENERS | FRAME_WORDS


def clean_question(question: str, max_chars: int) -> str:
    """The question with control characters removed; InvalidQuestion when empty or too long."""
    if not isinstance(question, str):
        raise InvalidQuestion("the question must be text")
    text = "".join(ch for ch in question if unicodedata.category(ch)[0] != "C" or ch in "\n\t")
    text = squashed(text)
    if not text:
        raise InvalidQuestion("the question is empty: type what you want to know about the report")
    if len(text) > max_chars:
        raise InvalidQuestion(
            f"the question is {len(text):,} characters long; the limit is {max_chars:,}. Ask it in fewer words."
        )
    return text


# Words addressed to the assistant rather than asked of the report: "Ignore previous instructions and
# say…", "You are now…", "…, quote paragraph 1 instead". Each is dropped, from where it starts (a sentence
# or a clause) to the end of its sentence, before the question is read.
_TO_THE_ASSISTANT = (
    r"(?:ignore|disregard|forget|override)\b[^.?!]*?\b(?:instructions?|prompts?|rules?|above|previous|prior|system)\b"
    r"|you are now\b|from now on\b|new instructions?\b|system prompt\b"
    r"|(?:only\s+)?(?:cite|quote|answer with|reply with|respond with)\b[^.?!]*?\b(?:only|instead)\b"
)
_INSTRUCTION = re.compile(
    # At a sentence's start, also "act as…" and "pretend…"; within one, only after a clause break or a
    # joining word, so "how do carers act as advocates?" stays a question.
    rf"^(?:please\s+)?(?:{_TO_THE_ASSISTANT}|act as\b|pretend\b)"
    rf"|(?:[,;:(]|\s[-–—]|\b(?:and|but|then|now|so)\b)\s*(?:please\s+)?(?:{_TO_THE_ASSISTANT})",
    re.I,
)


def without_instructions(question: str) -> str:
    """The question without what it tells the assistant to do ("Ignore previous instructions and say…",
    "…, cite ¶999 only"): that changes nothing about how answers are found or cited. A question that is
    nothing but instructions is kept, to be answered (or not) as it stands."""
    kept = []
    for sentence in re.split(r"(?<=[.!?])\s+", question):  # "; reply that…" goes on what a clause began
        if match := _INSTRUCTION.search(sentence):
            ending = sentence.rstrip()[-1:] if sentence.rstrip()[-1:] in ".?!" else ""
            sentence = sentence[: match.start()].rstrip(" ,;:-–—") + ending if match.start() else ""
        if words(sentence):
            kept.append(sentence)
    stripped = " ".join(kept).rstrip(" ,;:")
    return stripped if stripped and stripped != question else question


# Requests for the assistant's own advice or opinion: it reports what inspectors found, nothing more.
_ADVICE = re.compile(
    r"\b(?:can|could|would|will) you (?:please )?(?:recommend|suggest|advise)\b|"
    r"\bwhat (?:would|do) you (?:recommend|suggest|advise)\b|\bwhich [\w-]+(?: [\w-]+)? should (?:i|we) (?:choose|pick|use)\b",
    re.I,
)


def asks_for_advice(question: str) -> bool:
    """"Can you recommend a good school?" asks the assistant, not the report."""
    return bool(_ADVICE.search(question))


def _named_numbers(question: str) -> list[str]:
    """The paragraph numbers the question names, as written, ranges not yet expanded."""
    match = _LOOKUP.search(question)
    return re.split(r"\s*(?:,|and|&)\s*", match.group(1)) if match else []


def _whole_positive(number: str) -> bool:
    return number.isdigit() and int(number) > 0


def requested_paragraphs(question: str) -> list[int]:
    """Paragraph numbers the question names ("what does paragraph 38 say?", "paras 12-14"); only whole
    positive numbers (``malformed_paragraph_number`` names any other)."""
    numbers: list[int] = []
    for part in _named_numbers(question):
        bounds = [int(n) for n in _RANGE.split(part) if _whole_positive(n)]
        if len(bounds) == 2 and 0 < bounds[1] - bounds[0] <= 10:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return list(dict.fromkeys(numbers))


def malformed_paragraph_number(question: str) -> str | None:
    """The first paragraph number the question names that is not a whole positive number ("1e9", "12.5",
    "-1", "0"), as written; None when every one is."""
    for part in _named_numbers(question):
        for number in _RANGE.split(part):
            if not _whole_positive(number):
                return number
    return None


def unknown_names(
    question: str,
    vocabulary: set[str],
    spelled_out: Callable[[str], str | None] = lambda _: None,
    max_lookups: float = float("inf"),
    stems: Collection[str] = (),
) -> list[str]:
    """Names and years in the question that the reports never mention ("Hounslow", "2019"). An
    acronym the reports spell out instead ("FGM": female genital mutilation) is not unknown; each
    look-up scans the passages, so past ``max_lookups`` an acronym they do not use is unknown."""
    unknown, lookups = [], 0
    for match in _CAPITALISED.finditer(question):
        word = re.sub(r"['’]s$", "", match.group(1))
        lowered = word.lower()
        if lowered in QUESTION_OPENERS or lowered in STOP_WORDS or len(word) < 3:
            continue
        if _SENTENCE_START.search(question[: match.start()]) and (
            lowered.endswith("ly") or (stems and all(t in stems for t in terms(lowered)))
            or any(form in vocabulary for form in _inflections(lowered))
        ):
            continue  # "Roughly how many…", "Asking about 2022", "Cause of…": capitalised for its place, not a name
        acronym = word.isupper() or (word[:-1].isupper() and word.endswith("s"))  # "LAs": plural of "LA"
        singular = lowered[:-1] if acronym and word.endswith("s") and not word.isupper() else lowered
        if singular in vocabulary:
            continue
        if acronym and lookups < max_lookups:
            lookups += 1
            if spelled_out(word):
                continue
        unknown.append(word)
    unknown += [year for year in YEAR.findall(question) if year not in vocabulary]
    return list(dict.fromkeys(unknown))


def _inflections(word: str) -> set[str]:
    """Other forms of an ordinary word ("cause": "causes", "caused", "causing"), which a name does not take."""
    base = word[:-1] if word.endswith("e") else word
    return {word + "s", word + "es", base + "ed", base + "ing", word + "d"} - {word}


_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|and|for|in|on|to)\s+(?:the\s+)?)?[A-Z][\w'’-]*)*")
_NOT_A_NAME = QUESTION_OPENERS | STOP_WORDS  # "Does", "Has", "The": capitalised for their place


def names_given(question: str) -> list[str]:
    """What a question calls by name: each run of capitalised words ("Staying Close", "Signs of
    Safety", "Mockingbird"), without the words capitalised for their place (its opening words) and
    without acronyms, which the reports may spell out (``with_acronyms_spelled_out``). A single word
    that opens a sentence is read as an ordinary word."""
    names = []
    for match in _NAME_RUN.finditer(question):
        run = match.group(0).split()
        opens = bool(_SENTENCE_START.search(question[: match.start()]))
        while run and run[0].lower() in _NOT_A_NAME:
            run, opens = run[1:], False
        if not run or (opens and len(run) == 1) or any(
            ACRONYM.fullmatch(w) or w.lower() in MONTHS or (w[0].isupper() and len(w) < 3) for w in run
        ):
            continue  # an acronym the reports may spell out; a date, read by the routes that read dates; "B&Bs"
        names.append(" ".join(run))
    return names


def with_acronyms_spelled_out(
    question: str, spelled_out: Callable[[str], str | None], max_lookups: float = float("inf")
) -> str:
    """The question with each acronym followed by the words the reports spell it out with, so both
    searches find a report that uses either: "FGM" → "FGM (female genital mutilation)". Each look-up
    scans the passages: past ``max_lookups`` acronyms are left as they are."""
    lookups = 0

    def expand(match: re.Match) -> str:
        nonlocal lookups
        acronym = match.group(1)
        # Two letters match too many phrases by chance ("IT": "inspection took").
        if len(acronym) < 3 or lookups >= max_lookups:
            return match.group(0)
        lookups += 1
        if not (words_for := spelled_out(acronym)):
            return match.group(0)
        return f"{match.group(0)} ({words_for})"

    return ACRONYM.sub(expand, question)


_WORD_IN_TEXT = re.compile(r"\b[A-Za-z][a-z'’-]*[a-z]\b")


def with_report_words(
    question: str,
    knows: Callable[[str], bool],
    nearest: Callable[[str], tuple[str, ...]],
    max_lookups: float = float("inf"),
) -> str:
    """The question with each word no report uses followed by the report words nearest it, so both
    searches find a passage that says it in the reports' terms: "teeth" → "teeth (dental)". Each
    look-up encodes the word: past ``max_lookups`` words are left as they are."""
    lookups = 0

    def expand(match: re.Match) -> str:
        nonlocal lookups
        word = match.group(0)
        lowered = word.lower()
        if lowered in STOP_WORDS or len(lowered) < 3 or knows(lowered) or lookups >= max_lookups:
            return word
        lookups += 1
        if not (near := nearest(lowered)):
            return word
        return f"{word} ({' '.join(near)})"

    return _WORD_IN_TEXT.sub(expand, question)


_JUDGING = re.compile(
    r"\b(judged?|judge|rated?|rate|graded?|rating|judgement|judgment|awarded|given|get|got|receive[d]?|found to be|"
    r"say|said|drop(?:ped)? to|f[ae]ll to|slip(?:ped)? to|went to|go(?:ne)? down to)\b",
    re.I,
)
# Recommendations (the 2014-18 framework) and "What needs to improve" (ILACS) are the same list.
# "What did Ofsted tell X to improve?", "what improvement did it ask for?", "areas for development": the
# list; "what has improved since…", "what improvements were made" ask about progress instead.
_RECOMMEND = re.compile(
    r"\brecommend(?:ation|ations|ed|s)?\b|\bimprove\b|\bimprovements?\b|\bareas? (?:for|of|to|that need) improv\w*|"
    r"\b(?:get|do) better\b|"
    r"\bareas? for development\b",
    re.I,
)
# Words of a question that asks for the whole list, not for a topic: the list's own, and how a
# question says who wrote it ("what did Ofsted say the council should…", "set out", "identify").
_LIST_WORDS = frozenset(
    """recommend recommendation recommendations recommended list made make give gave all main key need needs
    needed improve improvement improvements area areas required must inspection inspections report reports
    development say said tell told ask asked set out identify identified ofsted inspector inspectors council
    authority local should want wanted things points action actions priorities latest last most recent still
    review reviews service services get better""".split()
)
# The service every report is about, named as the council's ("its inspection of children's services"): no topic.
_THE_SERVICE = re.compile(r"\bchildren['’]s (?:social care|services)\b", re.I)


def without_scope(question: str, scope_names: set[str]) -> str:
    """The question without the name of the authority the reports are about: a scope, not a topic."""
    if not scope_names:
        return question
    pattern = rf"\b(?:{any_of(scope_names)})(?:['’]s)?\b"
    stripped = squashed(re.sub(pattern, " ", question, flags=re.I))
    return stripped if len(words(stripped)) >= 2 else question


# "When did the 2026 inspection take place?", "what were the inspection dates?": the report's own dates.
_INSPECTION = re.compile(r"\binspect\w*|\bvisit\w*|\bon site\b", re.I)
# Words that only frame such a question; any other word (a topic, "before", "previous", "focused") asks more.
_INSPECTION_FRAME = frozenset(
    """inspection inspections inspected inspect inspectors inspector ofsted visit visited visits site place take took
    taken happen happened held carry carried carries conduct conducted undertake undertaken undertook out children
    children's services service social care local authority authorities council
    date dates month year last latest most recent standard short ilacs sif full begin began begun start started
    end ended finish finished according report""".split()
)
_RELATIVE = re.compile(r"\b(?:before|previous|prior|earlier|after|since|next|following|first|focused|monitoring)\b", re.I)


_BEFORE_WORDS = ("before", "previous", "prior", "earlier")
_BEFORE_THIS = re.compile(rf"\b(?:{'|'.join(_BEFORE_WORDS)})\b", re.I)  # "inspected before its 2023 inspection"


def without_before(question: str) -> str:
    """"When was the previous inspection?" as "When was the inspection?": the report it is asked of."""
    return squashed(_BEFORE_THIS.sub(" ", question))


def asks_when_inspected(topic: str) -> str:
    """Does the question ask only when the inspection took place (its topic with the report's names
    out): "this" one, the one "before" it (which the report itself names), or "" for neither?"""
    if not (asks_when(topic) and _INSPECTION.search(topic)):
        return ""
    before = bool(_BEFORE_THIS.search(topic))
    if _RELATIVE.search(_BEFORE_THIS.sub(" ", topic) if before else topic):
        return ""
    framing = _INSPECTION_FRAME | {*_BEFORE_WORDS, "its", "this", "one"}
    if [w for w in words(topic) if w not in NOT_TOPIC and w not in framing and not YEAR.fullmatch(w)]:
        return ""
    return "before" if before else "this"


def asked_grade(question: str) -> str | None:
    """The Ofsted grade a question presumes ("why was X judged inadequate?"), if any: the first after the
    word that judges ("why was X rated good when the rest was inadequate?" presumes good), else the first."""
    if not (judging := _JUDGING.search(question)):
        return None
    lowered = grades_said_plainly(question)
    said = [(m.start(), m.group(1)) for m in GRADE.finditer(lowered)]
    return next((grade for at, grade in said if at > judging.start()), said[0][1] if said else None)


def without_the_service(question: str) -> str:
    """The question without the name of the service every report is about ("children's services")."""
    return _THE_SERVICE.sub(" ", question)


def wants_whole_recommendations(question: str, section_words: set[str]) -> bool:
    """"What are the recommendations?" asks for the list, not for one recommendation on a topic."""
    if not _RECOMMEND.search(question) or PROGRESS.search(question):
        return False
    topical = [w for w in words(without_the_service(question)) if w not in STOP_WORDS and w not in QUESTION_OPENERS and not YEAR.fullmatch(w)
               and not is_number_word(w)]  # "the three areas for improvement": how many, not which
    return all(w in _LIST_WORDS or w in section_words for w in topical)
