"""Assemble printed lines into blocks: headings, numbered paragraphs, list items and prose.

Works on `Line` records alone (no PDF), after page furniture is gone, so it can be tested with
made-up lines. The rules, from how Ofsted's reports are set:

- a heading is set larger than the body, or bold; a heading that wraps is one heading;
- a numbered paragraph starts with "12. " at the left margin and carries on in the lines indented
  under its text (a hanging indent) — across page breaks, and around footnotes already removed;
  a report without hanging indents carries on until a paragraph gap or the next block;
  a number printed without its full stop ("34 Most …") starts a paragraph only where that number is
  the next one due, at the number column, after a paragraph gap;
- a list item starts with a bullet; its wrapped lines are indented under its text;
- prose paragraphs are separated by a gap larger than the line spacing; a paragraph cut by a page
  break carries on at the top of the next page when it had not ended a sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.pdf_layout import Line, body_size

NUMBERED = re.compile(r"^(\d{1,3})\.{1,2}(?:\s+|(?=[A-Z\u2018\u201c'\"(])|$)(.*)$")
# "34 Most children …": a paragraph number printed without its full stop (a slip in a few reports);
# taken as a number only where the next number is due, at the number column, after a paragraph gap.
BARE_NUMBER = re.compile(r"^(\d{1,3})\s+(?=[A-Z\u2018\u201c])(.*)$")
BULLET = re.compile(r"^([•◼▪■●◦○‣∙·\-–—*])\s*(.*)$")
SENTENCE_END = re.compile(r"[.:;!?)\]’”'\"]\s*$")


@dataclass
class Block:
    kind: str  # "heading" | "numbered" | "bullet" | "text"
    lines: list[Line] = field(default_factory=list)
    number: int | None = None
    parts: list[str] = field(default_factory=list)  # text pieces; "\n" starts a list line

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def last(self) -> Line:
        return self.lines[-1]

    @property
    def text(self) -> str:
        out = ""
        for part in self.parts:
            if not out:
                out = part.lstrip("\n")
            elif part.startswith("\n"):
                out = out.rstrip() + part
            elif out.endswith("-") and not out.endswith(" -") and part[:1].islower() and self.kind != "heading":
                out = out + part  # "multi-" + "agency": the line-end hyphen is part of the word
            else:
                out = out.rstrip() + " " + part
        return re.sub(r"[ \t]+", " ", out).strip()


@dataclass
class Layout:
    """What the body text of a report looks like: its type size, left margin, and where numbers stand."""

    size: float
    margin: float
    number_columns: tuple[float, ...] = ()

    @classmethod
    def of(cls, lines: list[Line]) -> "Layout":
        size = body_size(lines) or 12.0
        lefts = Counter(round(line.left) for line in lines if abs(line.size - size) < 0.6)
        margin = min((left for left, n in lefts.items() if n >= max(3, 0.05 * sum(lefts.values()))), default=72)
        # Numbered paragraphs stand at the margin in most reports, indented in some: the columns
        # where several numbered lines start are where paragraph numbers stand in this report.
        starts = Counter(
            round(line.left) for line in lines if NUMBERED.match(line.text) and abs(line.size - size) < 0.6
        )
        total = sum(starts.values())
        columns = sorted(left for left, n in starts.items() if n >= 2 or total < 4)
        merged: list[float] = []
        for left in columns:
            if not merged or left - merged[-1] > 3:
                merged.append(float(left))
        return cls(size=size, margin=float(margin), number_columns=tuple(merged) or (float(margin),))

    def at_number_column(self, line: Line) -> bool:
        return any(column - 10 <= line.left <= column + 10 for column in self.number_columns)


def is_heading(line: Line, layout: Layout) -> bool:
    if NUMBERED.match(line.text) and not (line.bold and line.size > layout.size + 1.2):
        return False  # a paragraph whose number (or first line) is set large is still a paragraph
    if line.size >= layout.size + 1.2:
        return True
    return line.bold and line.size >= layout.size - 0.6 and len(line.text) <= 200


def _gap(previous: Line, line: Line) -> float:
    return line.top - previous.bottom


def _paragraph_gap(previous: Line, line: Line, layout: Layout) -> bool:
    return line.page != previous.page or _gap(previous, line) > 0.45 * layout.size or line.top < previous.top


def assemble(lines: list[Line], layout: Layout | None = None) -> list[Block]:
    """Blocks in reading order."""
    layout = layout or Layout.of(lines)
    blocks: list[Block] = []
    hanging_seen: set[int] = set()  # numbered blocks that carried on in an indented line
    last_number = 0  # the number of the latest numbered paragraph

    def new(kind: str, line: Line, text: str, number: int | None = None) -> Block:
        block = Block(kind, [line], number, [text])
        blocks.append(block)
        return block

    def carry_on(block: Block, line: Line, text: str) -> None:
        block.lines.append(line)
        block.parts.append(text)

    for line in lines:
        if BULLET.fullmatch(line.text.strip()) and len(line.text.strip()) == 1:
            continue  # a bullet symbol left on a line of its own, its item elsewhere or empty
        current = blocks[-1] if blocks else None
        text = line.text
        numbered = NUMBERED.match(text)
        bullet = BULLET.match(text)
        if bullet and not bullet.group(2):
            bullet = None
        at_margin = line.left <= layout.margin + 12
        if is_heading(line, layout):
            if (
                current is not None
                and current.kind == "heading"
                and current.last.page == line.page
                and abs(current.last.size - line.size) < 0.6
                and current.last.bold == line.bold
                and line.top > current.last.top
                and _gap(current.last, line) < 0.6 * line.size
            ):
                carry_on(current, line, text)
            else:
                new("heading", line, text)
            continue
        # "… once they reach" / "16. Many …": a number that only ends a wrapped line is not a paragraph.
        wrapped = (
            current is not None
            and current.kind != "heading"
            and current.last.page == line.page
            and not _paragraph_gap(current.last, line, layout)
            and not SENTENCE_END.search(current.last.text)
        )
        under_text = (
            current is not None
            and current.kind == "numbered"
            and line.left >= (current.lines[1].left if len(current.lines) > 1 else current.first.left + 8) - 4
        )
        if numbered and layout.at_number_column(line) and not wrapped and not under_text:
            last_number = int(numbered.group(1))
            new("numbered", line, numbered.group(2), last_number)
            continue
        bare = None if numbered else BARE_NUMBER.match(text)
        if (
            bare
            and last_number
            and int(bare.group(1)) == last_number + 1
            and layout.at_number_column(line)
            and not under_text
            and current is not None
            and _paragraph_gap(current.last, line, layout)
            and SENTENCE_END.search(current.last.text)
        ):
            last_number += 1
            new("numbered", line, bare.group(2), last_number)
            continue
        indented = current is not None and line.left > current.first.left + 8
        if current is not None and current.kind == "numbered" and indented:
            hanging_seen.add(id(current))
            if bullet and bullet.group(1) not in "-–—":
                carry_on(current, line, "\n• " + bullet.group(2))  # a list inside the numbered paragraph
            else:
                carry_on(current, line, text)
            continue
        if current is not None and current.kind == "bullet" and indented and not bullet:
            carry_on(current, line, text)  # the wrapped line of a list item
            continue
        if (
            current is not None
            and current.kind == "numbered"
            and id(current) not in hanging_seen
            and not bullet
            and at_margin
            and not _paragraph_gap(current.last, line, layout)
        ):
            carry_on(current, line, text)  # no hanging indent in this report: carries on at the margin
            continue
        if bullet and bullet.group(2):
            new("bullet", line, bullet.group(2))
            continue
        if (
            current is not None
            and current.kind == "text"
            and (
                not _paragraph_gap(current.last, line, layout)
                or (current.last.page != line.page and not SENTENCE_END.search(current.text))
            )
        ):
            carry_on(current, line, text)
            continue
        if (
            current is not None
            and current.kind in ("numbered", "bullet")
            and current.last.page != line.page
            and not SENTENCE_END.search(current.text)
        ):
            carry_on(current, line, text)  # cut by a page break, carried on at the margin of the next
            continue
        new("text", line, text)
    return blocks
