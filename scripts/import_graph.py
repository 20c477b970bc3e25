"""Causerie's import graph, read from the source: what imports what, and the longest files.

Standard library only; nothing is imported, every file is parsed with ``ast``. Every import
counts — at the top of a file, inside a function, under ``if TYPE_CHECKING:`` — because a
reader has to follow each of them, and a cycle hidden behind a lazy import is still a cycle.
Relative imports are resolved against the importing file.

A *package* is a top-level folder of ``src/causerie`` (``core``, ``node`` …); a top-level module
(``config.py``, ``errors.py`` …) is a package of its own. Inside a package every file is a
node, those of its subpackages included.

``tests/unit/test_architecture.py`` checks the rules of docs/architecture.md on this graph.
Run this script to see it::

    .venv/bin/python scripts/import_graph.py            # package edges, cycles, longest files
    .venv/bin/python scripts/import_graph.py --files 30
"""

from __future__ import annotations

import argparse
import ast
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent / "src"
ROOT_PACKAGE = "causerie"
MAX_LINES = 600


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement's target inside Causerie, where it was written."""

    importer: str  # dotted module name, "causerie.node.runtime"
    imported: str  # the Causerie module it loads, resolved to a file of the tree
    line: int

    def describe(self, graph: ImportGraph) -> str:
        return f"{graph.paths[self.importer]}:{self.line}: imports {self.imported}"


@dataclass(frozen=True, slots=True)
class ImportGraph:
    """Every Causerie module, its file and length, and every import between modules."""

    paths: Mapping[str, str]  # module -> path relative to the repository ("src/causerie/...")
    lines: Mapping[str, int]  # module -> number of lines
    imports: tuple[Import, ...]

    def module_edges(self) -> dict[str, set[str]]:
        edges: dict[str, set[str]] = defaultdict(set)
        for found in self.imports:
            if found.imported != found.importer:
                edges[found.importer].add(found.imported)
        return edges

    def package_edges(self) -> dict[str, set[str]]:
        edges: dict[str, set[str]] = defaultdict(set)
        for found in self.imports:
            source, target = package_of(found.importer), package_of(found.imported)
            if source != target:
                edges[source].add(target)
        return edges


def package_of(module: str) -> str:
    """``causerie.core.policy.names`` -> ``core``; ``causerie.config`` -> ``config``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def module_of(path: Path, source_root: Path) -> str:
    parts = list(path.relative_to(source_root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(name: str, modules: Mapping[str, str]) -> str | None:
    """The module of the tree ``name`` loads: itself, or the nearest package holding it."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The dotted names an import statement loads (before resolution to files)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        # ``from . import x`` in causerie/a/b.py is relative to causerie.a; in
        # causerie/a/__init__.py it is relative to causerie.a itself.
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        origin = ".".join([*base, node.module] if node.module else base)
    else:
        origin = node.module or ""
    # ``from causerie.core import hub`` loads the module causerie.core.hub when there is one,
    # otherwise a name defined in causerie.core; _resolve keeps whichever exists.
    return [f"{origin}.{alias.name}" for alias in node.names if alias.name != "*"] or [origin]


def build_graph(source_root: Path = SOURCE_ROOT, package: str = ROOT_PACKAGE) -> ImportGraph:
    files = sorted((source_root / package).rglob("*.py"))
    repository = source_root.parent
    paths = {module_of(path, source_root): path for path in files}
    imports: list[Import] = []
    lines: dict[str, int] = {}
    for module, path in paths.items():
        text = path.read_text(encoding="utf-8")
        lines[module] = len(text.splitlines())
        tree = ast.parse(text, filename=str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):  # every statement, nested ones included
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _targets(node, module, is_package):
                if name != package and not name.startswith(package + "."):
                    continue
                target = _resolve(name, paths)
                if target is not None:
                    imports.append(Import(module, target, node.lineno))
    return ImportGraph(
        paths={module: str(path.relative_to(repository)) for module, path in paths.items()},
        lines=lines,
        imports=tuple(sorted(set(imports), key=lambda i: (i.importer, i.line, i.imported))),
    )


def cyclic_components(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components that hold a cycle, each sorted, in sorted order.

    Tarjan's algorithm, iterative so that a long chain of imports cannot overflow the stack.
    """
    graph = {node: sorted(set(targets)) for node, targets in edges.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def enter(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)

    for root in sorted(graph):
        if root in index:
            continue
        enter(root)
        work = [(root, iter(graph.get(root, ())))]
        while work:
            node, successors = work[-1]
            target = next(successors, None)
            if target is not None:
                if target not in index:
                    enter(target)
                    work.append((target, iter(graph.get(target, ()))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    components.append(sorted(component))
    return sorted(components)


def find_cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """One cycle per knot of mutually dependent nodes, as a closed path [a, b, a]: the shortest
    through the knot's first node, so that a failure names a short path to break."""
    graph = {node: sorted(set(targets)) for node, targets in edges.items()}
    return [
        _shortest_cycle(component[0], graph, set(component))
        for component in cyclic_components(graph)
    ]


def _shortest_cycle(start: str, graph: Mapping[str, list[str]], members: set[str]) -> list[str]:
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in graph.get(node, ()):
                if target not in members:
                    continue
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if target not in came_from:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"{start} is in a strongly connected component but on no cycle")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=15, help="how many longest files to list")
    arguments = parser.parse_args()
    graph = build_graph()
    print("Packages and what they import (every import counted):")
    edges = graph.package_edges()
    for package in sorted({package_of(module) for module in graph.paths}):
        print(f"  {package:<13} -> {', '.join(sorted(edges.get(package, ()))) or '-'}")
    knots = cyclic_components(edges)
    print("\nCycles between packages:" if knots else "\nNo cycle between packages.")
    for knot, cycle in zip(knots, find_cycles(edges), strict=True):
        print(f"  {len(knot)} packages import each other: {', '.join(knot)}")
        print("    for instance " + " -> ".join(cycle))
        for package in knot:
            inside = sorted(set(edges.get(package, ())) & set(knot))
            print(f"    {package} -> {', '.join(inside)}")
    print(f"\nLongest files (limit {MAX_LINES} lines):")
    longest = sorted(graph.lines.items(), key=lambda item: -item[1])[: arguments.files]
    for module, count in longest:
        mark = "  over the limit" if count > MAX_LINES else ""
        print(f"  {count:>6}  {graph.paths[module]}{mark}")


if __name__ == "__main__":
    main()
