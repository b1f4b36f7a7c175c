"""The folders show the flow (README, How it works): reading → retrieval → answering → the pipeline
and the facade; a layer imports only those before it, no module imports one that imports it back,
and no module grows past 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("reading", "retrieval", "answering")  # in the order data flows through them
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for package in ("assistant", "ingest"):
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``path`` imports, at run time or for type checking alike."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            # "from assistant.retrieval import index" imports the module, not only the package
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            imported |= {n for n in names if n in modules} or ({node.module} & modules.keys())
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names} & modules.keys()
    return imported


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 2 and parts[1] in LAYERS else None


def test_a_layer_imports_only_the_layers_before_it(graph):
    upward = [
        f"{module} imports {target}"
        for module, targets in graph.items() for target in targets
        if _layer(module) is not None and _layer(target) is not None and _layer(target) > _layer(module)
    ]
    assert not upward


def test_the_layers_do_not_import_the_pipeline_or_the_facade(graph):
    above = {"assistant.pipeline", "assistant.core", "assistant.conversation", "assistant.cli", "assistant"}
    wrong = [f"{m} imports {t}" for m, targets in graph.items() if _layer(m) is not None for t in targets & above]
    assert not wrong


def test_no_module_imports_one_that_imports_it_back(graph):
    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            module = todo.pop()
            if module == goal:
                return True
            if module not in seen:
                seen.add(module)
                todo += graph.get(module, ())
        return False

    circles = sorted({" ↔ ".join(sorted((m, t))) for m, targets in graph.items() for t in targets if reaches(t, m)})
    assert not circles


def test_no_module_is_longer_than_400_lines():
    long = {name: n for name, path in _modules().items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert not long
