"""Which indexed report a parsed file is, from what the report says about itself, never from its path.

A report is one inspection of one authority: the authority named on its front page and the
inspection dates printed there. The same report under another file name, or re-saved, is the same
report; a different report never takes another's place unless the caller says ``replace``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace as copy_with
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from ingest import ParsedReport
from ingest.pdf_front import slugify


def content_key(authority: str, inspection_start: str, inspection_end: str, published_on: str = "") -> str:
    """One inspection of one authority, as the report states it (the publication date only when the
    report prints no inspection dates)."""
    when = f"{inspection_start}/{inspection_end}" if inspection_start else published_on
    return f"{slugify(authority)}|{when}"


def key_of(entry: dict) -> str:
    return content_key(
        entry.get("authority", ""), entry.get("inspection_start", ""), entry.get("inspection_end", ""),
        entry.get("published_on", ""),
    )


def text_digest(parsed: ParsedReport) -> str:
    """sha256 of what was read from the file (passages and front matter): a re-saved copy of a PDF has
    other bytes but the same text."""
    digest = hashlib.sha256()
    for p in parsed.paragraphs:
        digest.update(f"{p.label}\x1f{p.section}\x1f{p.text}\x1e".encode())
    digest.update(repr(parsed.judgements).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Placement:
    """Where a parsed file goes: indexed as ``report`` (replacing ``replaces`` when set), left alone
    because that report is indexed already with the same text, or refused with the reason."""

    action: Literal["index", "unchanged", "refuse"]
    report: str
    reason: str = ""
    replaces: dict | None = None


def _described(entry: dict) -> str:
    dates = entry.get("inspection_dates") or entry.get("published_on") or "no printed dates"
    return f"{entry.get('authority') or 'an unnamed authority'}'s inspection ({dates})"


def place(
    parsed: ParsedReport, source: str, digest: str, text_sha: str, indexed: dict[str, dict], *, replace: bool = False
) -> Placement:
    """Decide where ``parsed`` (read from ``source``, whose bytes hash to ``digest``) goes among the
    ``indexed`` reports (id → manifest entry)."""
    key = content_key(parsed.authority, parsed.inspection_start, parsed.inspection_end, parsed.published_on)
    same = next((report for report, entry in indexed.items() if key_of(entry) == key), None)
    mine = {"authority": parsed.authority, "inspection_dates": parsed.inspection_dates,
            "published_on": parsed.published_on}
    if same is not None:
        entry = indexed[same]
        same_file = _same_file(entry.get("source", ""), source)
        if entry.get("sha256") == digest or (entry.get("text_sha256") == text_sha and not same_file):
            return Placement("unchanged", same, f"the same report as {same} (indexed from {entry.get('source')})")
        if replace or same_file:  # a new version of the same file (or read by a newer parser), or asked for
            return Placement("index", same, replaces=entry)
        return Placement(
            "refuse", same,
            f"it is {_described(mine)}, already indexed as {same} from {entry.get('source')} with different "
            "text; pass --replace (replace=True) to replace that one with this file",
        )
    taken = indexed.get(parsed.report)
    if taken is None:
        return Placement("index", parsed.report)
    if replace:
        return Placement("index", parsed.report, replaces=taken)
    return Placement(
        "refuse", parsed.report,
        f"it is {_described(mine)}, but the id its file name gives it, {parsed.report}, is already "
        f"{_described(taken)}; rename the file or pass --replace (replace=True) to replace that report",
    )


def _same_file(indexed_from: str, source: str) -> bool:
    return bool(indexed_from) and Path(indexed_from).resolve() == Path(source).resolve()


def renamed(parsed: ParsedReport, report: str) -> ParsedReport:
    """The parsed report under the id it is indexed by (an earlier copy's, so its citations stay the same)."""
    if parsed.report == report:
        return parsed
    return copy_with(parsed, report=report, paragraphs=[copy_with(p, report=report) for p in parsed.paragraphs])


def replacement_record(old: dict, new_sha: str, new_source: str) -> dict:
    """One line of a report's replacement history: what was replaced, when, by what."""
    return {
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "old_sha256": old.get("sha256", ""),
        "new_sha256": new_sha,
        "old_source": old.get("source", ""),
        "new_source": new_source,
        "old_authority": old.get("authority", ""),
    }
