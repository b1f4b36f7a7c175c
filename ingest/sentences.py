"""Split a passage into sentences: the units the extractive answerer quotes."""

import re

# A sentence ends at . ! ? followed by space and a capital, digit or opening quote/bracket.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'’”)]?\s+(?=[A-Z0-9‘'\"(])")
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|No|St|vs)\.$", re.I)
_BULLET = re.compile(r"^\s*[-•*]\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; each line of a list is its own sentence, led by the line that introduces it."""
    sentences: list[str] = []
    lead = ""
    for raw in text.split("\n"):
        line = _BULLET.sub("", raw).strip()
        if not line:
            continue
        if line == raw.strip() and len(line) > 80 and not line.endswith(":"):
            lead = ""  # a line of prose, not a list item, ends the list
        if line.endswith(":"):
            lead = line  # "Children looked after in this area:" gives the items below it their subject
            continue
        pieces = [p.strip() for p in _BOUNDARY.split(line) if p.strip()]
        for n, piece in enumerate(pieces):
            if sentences and n > 0 and _joins_previous(sentences[-1], piece):
                sentences[-1] = f"{sentences[-1]} {piece}"
            else:
                sentences.append(f"{lead} {piece}" if lead and n == 0 else piece)
    return sentences


def _joins_previous(previous: str, piece: str) -> bool:
    if piece.startswith("(") and piece.endswith(")") and len(piece) < 40:
        return True  # "(Recommendation)" belongs to the sentence before it
    return bool(_ABBREVIATIONS.search(previous))
