"""The quality gate: overall metrics checked against floors (``min``) and ceilings (``max``)."""

from __future__ import annotations

import json
from pathlib import Path

DEFAULT_FLOORS = Path(__file__).parent / "floors.json"


def load_floors(path: str | Path = DEFAULT_FLOORS) -> dict[str, dict[str, float]]:
    """Floors from JSON: ``{"metric": {"min": x} | {"max": y} | both}``; raises ValueError on other keys."""
    floors = json.loads(Path(path).read_text(encoding="utf-8"))
    for name, bound in floors.items():
        if not isinstance(bound, dict) or not bound or set(bound) - {"min", "max"}:
            raise ValueError(f"{path}: {name}: expected {{'min': x}} and/or {{'max': y}}, got {bound!r}")
    return floors


def check_floors(summary: dict, floors: dict[str, dict[str, float]]) -> list[str]:
    """Violations of the floors by the overall means of a summary; a metric not measured is one."""
    means = summary["overall"]["means"]
    violations = []
    for name, bound in floors.items():
        value = means.get(name)
        if value is None:
            violations.append(f"{name}: not measured (bound {bound})")
            continue
        if "min" in bound and value < bound["min"]:
            violations.append(f"{name} = {value:.3f} is below the floor {bound['min']:.3f}")
        if "max" in bound and value > bound["max"]:
            violations.append(f"{name} = {value:.3f} is above the ceiling {bound['max']:.3f}")
    return violations
