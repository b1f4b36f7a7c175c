"""The gold set: one question per JSON line, with the passages and facts a good answer has."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

TYPES = (
    "numeric", "factoid", "summary", "list", "comparison",
    "synthesis", "paraphrase", "lookup", "followup", "unanswerable",
)
DEFAULT_GOLD = Path(__file__).parent / "gold.jsonl"


@dataclass(frozen=True)
class GoldItem:
    """One gold question; ``key_facts`` is a list of facts, each a list of accepted spellings."""

    id: str
    type: str
    question: str
    answerable: bool
    gold: list[str] = field(default_factory=list)
    neighbours: list[str] = field(default_factory=list)
    key_facts: list[list[str]] = field(default_factory=list)
    turns: list[str] = field(default_factory=list)
    reference: str = ""
    standalone: str = ""  # a follow-up asked on its own, to compare the two
    form: str = ""  # how the question names its report(s): publication-year, latest, unscoped, … (GOLD_MULTI.md)
    answer_kind: str = ""  # what the answer must hold: count, share, money, duration, date, person, … (GOLD_GENERAL.md)
    must_not_name: list[str] = field(default_factory=list)  # authorities an aggregate answer must not name (GOLD_GRADES.md)


def parse_item(data: dict) -> GoldItem:
    """A GoldItem from one decoded JSON line; raises ValueError on a malformed record."""
    missing = [k for k in ("id", "type", "question", "answerable") if k not in data]
    if missing:
        raise ValueError(f"missing fields {missing}")
    if data["type"] not in TYPES:
        raise ValueError(f"unknown type {data['type']!r}")
    if not isinstance(data["answerable"], bool):
        raise ValueError("'answerable' must be true or false")
    facts = [[f] if isinstance(f, str) else list(f) for f in data.get("key_facts") or []]
    if any(not f or not all(isinstance(s, str) and s.strip() for s in f) for f in facts):
        raise ValueError("each key fact must be a non-empty list of non-empty strings")
    return GoldItem(
        id=str(data["id"]),
        type=data["type"],
        question=data["question"],
        answerable=data["answerable"],
        gold=list(data.get("gold") or []),
        neighbours=list(data.get("neighbours") or []),
        key_facts=facts,
        turns=list(data.get("turns") or []),
        reference=data.get("reference") or "",
        standalone=data.get("standalone") or "",
        form=data.get("form") or "",
        answer_kind=data.get("answer_kind") or "",
        must_not_name=list(data.get("must_not_name") or []),
    )


def load_gold(path: str | Path = DEFAULT_GOLD) -> list[GoldItem]:
    """All gold items in a JSONL file (blank lines skipped); errors name the line."""
    items, seen = [], set()
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = parse_item(json.loads(line))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: {exc}") from exc
        if item.id in seen:
            raise ValueError(f"{path}:{n}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    return items
