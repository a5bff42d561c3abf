"""The package's layers: data flows one way, so the import graph has no cycle.

content knows nothing of rendering, rendering nothing of writers, writers nothing
of each other or of the batch; only the pipeline session and the commands above
it see everything. Read from the source (every import, including those inside
functions; `if TYPE_CHECKING:` blocks aside, as they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "briefgen"


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in SRC.rglob("*.py")}


class _Imports(ast.NodeVisitor):
    def __init__(self, module: str, package: str) -> None:
        self.module, self.package, self.found = module, package, set()

    def visit_If(self, node: ast.If) -> None:
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = self.package.split(".")
        if node.level:
            base = base[: len(base) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        for alias in node.names:
            full = f"{target}.{alias.name}"
            found = full if full in MODULES else target
            if found in MODULES and found != self.module:
                self.found.add(found)

    def visit_Import(self, node: ast.Import) -> None:
        self.found |= {a.name for a in node.names if a.name in MODULES}


def _graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        visitor = _Imports(module, package)
        visitor.visit(ast.parse(path.read_text("utf-8")))
        graph[module] = visitor.found
    return graph


GRAPH = _graph()


def _layer(module: str) -> str:
    """briefgen.content.loader → content; briefgen.build → build."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_module_imports_itself_round_a_cycle():
    assert _cycles(GRAPH) == []


def test_no_package_imports_itself_round_a_cycle():
    layers: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        layers.setdefault(_layer(module), set()).update(
            _layer(t) for t in targets if _layer(t) != _layer(module))
    assert _cycles(layers) == []


# what each layer may not import (beyond the cycle rule)
FORBIDDEN = {
    "content": {"render", "writers", "batch", "pipeline", "build", "parity", "cli", "i18n",
                "project", "serve"},
    "render": {"writers", "batch", "pipeline", "build", "parity", "cli", "serve"},
    "writers": {"batch", "pipeline", "build", "parity", "cli", "serve"},
    "pipeline": {"batch", "build", "parity", "cli", "serve"},
    # the preview is a client of the session, like a build; builds and batches never
    # need a web server
    "serve": {"batch", "build", "cli", "writers"},
    "batch": {"serve"},
    "build": {"serve"},
}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_the_layers_below_it(layer):
    wrong = sorted((module, target) for module, targets in GRAPH.items()
                   if _layer(module) == layer for target in targets
                   if _layer(target) in FORBIDDEN[layer])
    assert wrong == []


def test_writers_know_nothing_of_each_other():
    formats = {"briefgen.writers.pdf", "briefgen.writers.html", "briefgen.writers.docx"}

    def writer(module: str) -> str | None:
        return next((f for f in formats if module == f or module.startswith(f + ".")), None)

    crossing = sorted((m, t) for m, targets in GRAPH.items() for t in targets
                      if writer(m) and writer(t) and writer(m) != writer(t))
    assert crossing == []


def test_the_readme_module_map_names_every_module():
    """README's "For developers" map matches the tree: a new module is added there too."""
    readme = (SRC.parents[1] / "README.md").read_text("utf-8")
    section = readme.split("## For developers", 1)[1]
    modules = [p for p in SRC.rglob("*.py") if p.name != "__init__.py"]
    assert sorted(p.relative_to(SRC).as_posix() for p in modules if p.name not in section) == []
    packages = {p.parent.name for p in SRC.rglob("__init__.py") if p.parent != SRC}
    assert sorted(name for name in packages if f"{name}/" not in section) == []
