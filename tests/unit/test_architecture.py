"""The layering docs/architecture.md promises, checked on every import of src/causerie.

Every import counts — at the top of a file, inside a function, under `if TYPE_CHECKING:` —
since a reader follows each, and a cycle behind a lazy import is still a cycle. The graph is
read from the source by scripts/import_graph.py (run it to see the package graph and the
longest files). The rules:

- no cycle between packages (a top-level module such as config.py is a package of its own);
- no cycle between the files of one package (the files of its subpackages are nodes too);
- `causerie.core` imports only `causerie.core` and `causerie.errors`;
- `causerie.node` and `causerie.irc` import nothing from `causerie.ws`;
- `causerie.games` imports only `causerie.games` (a game is pure and knows no node);
- no module over 600 lines (generated data goes in data files, not modules).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import pytest
from scripts.import_graph import (
    MAX_LINES,
    Import,
    ImportGraph,
    build_graph,
    cyclic_components,
    find_cycles,
    package_of,
)

# -- KNOWN_DEBT: what the reshaping of node/, ws/, irc/, http/ and the hub still owes ------------
# Issue 18 reshapes these while this test exists; until then their current violations are
# allowed, and only theirs (test_known_debt_is_only_where_the_reshaping_is). Each entry is one
# of:
#   "node -> ws"                                    a package edge (any import between them)
#   "causerie.node.bans -> causerie.node.runtime"   a file edge (imports between two modules)
#   "src/causerie/node/runtime.py"                  a module over the line limit
# An entry that is no longer a violation fails test_known_debt_is_still_owed: delete it then,
# so the set only shrinks. Empty, it is done (as now: keep it so).
KNOWN_DEBT: frozenset[str] = frozenset()
# Where debt may be: the parts being reshaped, and the composition root being written.
RESHAPED = ("node", "ws", "irc", "http", "assembly")
RESHAPED_MODULES = ("causerie.core.hub",)


def _is_reshaped(module_or_package: str) -> bool:
    package = package_of(module_or_package) if "." in module_or_package else module_or_package
    return package in RESHAPED or module_or_package.startswith(RESHAPED_MODULES)


def _debt_edges(*, files: bool) -> set[tuple[str, str]]:
    edges = set()
    for entry in KNOWN_DEBT:
        source, arrow, target = entry.partition(" -> ")
        if arrow and ("." in source) == files:
            edges.add((source, target))
    return edges


def _debt_files() -> set[str]:
    return {entry for entry in KNOWN_DEBT if " -> " not in entry}


@pytest.fixture(scope="module")
def graph() -> ImportGraph:
    return build_graph()


def _statements(graph: ImportGraph, source: str, target: str, *, files: bool) -> list[str]:
    """The import statements that make the edge source -> target, as `path:line: imports x`."""
    level = (lambda module: module) if files else package_of
    return [
        "      " + found.describe(graph)
        for found in graph.imports
        if level(found.importer) == source and level(found.imported) == target
    ]


def _explain(
    graph: ImportGraph,
    edges: dict[str, set[str]],
    knot: list[str],
    cycle: list[str],
    *,
    files: bool,
) -> str:
    """The shortest cycle with the statements behind each step, then every edge of the knot
    (breaking the one cycle shown may leave others among the same nodes)."""
    lines = [f"  {' -> '.join(cycle)}"]
    for source, target in pairwise(cycle):
        lines.append(f"    {source} -> {target}:")
        lines.extend(_statements(graph, source, target, files=files))
    lines.append(f"  all {len(knot)} depend on each other:")
    for member in knot:
        inside = sorted(set(edges.get(member, ())) & set(knot))
        lines.append(f"    {member} -> {', '.join(inside)}")
    return "\n".join(lines)


def _package_edges(graph: ImportGraph) -> dict[str, set[str]]:
    allowed = _debt_edges(files=False)
    return {
        source: {target for target in targets if (source, target) not in allowed}
        for source, targets in graph.package_edges().items()
    }


def _file_edges_by_package(graph: ImportGraph) -> dict[str, dict[str, set[str]]]:
    allowed = _debt_edges(files=True)
    edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for source, targets in graph.module_edges().items():
        for target in targets:
            package = package_of(source)
            if package == package_of(target) and (source, target) not in allowed:
                edges[package][source].add(target)
    return edges


def _edges_into(
    graph: ImportGraph, packages: tuple[str, ...], forbidden: tuple[str, ...]
) -> list[Import]:
    allowed = _debt_edges(files=False)
    return [
        found
        for found in graph.imports
        if package_of(found.importer) in packages
        and package_of(found.imported) in forbidden
        and (package_of(found.importer), package_of(found.imported)) not in allowed
    ]


# -- the rules ----------------------------------------------------------------------------------


def test_graph_reads_every_module_of_the_tree(graph: ImportGraph) -> None:
    # A graph that missed files or imports would pass every rule below.
    assert len(graph.paths) > 150
    assert {"core", "node", "store", "config", "errors"} <= {package_of(m) for m in graph.paths}
    assert len(graph.imports) > 500


def test_no_cycle_between_packages(graph: ImportGraph) -> None:
    edges = _package_edges(graph)
    knots = cyclic_components(edges)

    explained = [
        _explain(graph, edges, knot, cycle, files=False)
        for knot, cycle in zip(knots, find_cycles(edges), strict=True)
    ]
    assert not knots, "packages that import each other:\n" + "\n".join(explained)


def test_no_cycle_between_files_of_a_package(graph: ImportGraph) -> None:
    explained = []
    for package, edges in sorted(_file_edges_by_package(graph).items()):
        for knot, cycle in zip(cyclic_components(edges), find_cycles(edges), strict=True):
            explanation = _explain(graph, edges, knot, cycle, files=True)
            explained.append(f"in {package}/:\n{explanation}")

    assert not explained, "files that import each other:\n" + "\n".join(explained)


def test_core_imports_only_core_and_errors(graph: ImportGraph) -> None:
    outside = [
        found.describe(graph)
        for found in graph.imports
        if package_of(found.importer) == "core"
        and package_of(found.imported) not in ("core", "errors")
    ]

    assert not outside, "core/ must stay pure and self-contained:\n" + "\n".join(outside)


def test_games_import_only_games(graph: ImportGraph) -> None:
    outside = [
        found.describe(graph)
        for found in graph.imports
        if package_of(found.importer) == "games" and package_of(found.imported) != "games"
    ]

    assert not outside, "a game is pure and knows no node (docs/games.md):\n" + "\n".join(outside)


def test_node_and_irc_import_nothing_from_ws(graph: ImportGraph) -> None:
    found = _edges_into(graph, ("node", "irc"), ("ws",))

    assert not found, "the WebSocket adapter is no one's API:\n" + "\n".join(
        statement.describe(graph) for statement in found
    )


def test_no_module_over_the_line_limit(graph: ImportGraph) -> None:
    allowed = _debt_files()
    oversize = sorted(
        f"{graph.paths[module]}: {count} lines"
        for module, count in graph.lines.items()
        if count > MAX_LINES and graph.paths[module] not in allowed
    )

    assert not oversize, f"split by topic, at most {MAX_LINES} lines:\n" + "\n".join(oversize)


# -- the debt itself ----------------------------------------------------------------------------


def test_known_debt_is_only_where_the_reshaping_is() -> None:
    elsewhere = []
    for entry in KNOWN_DEBT:
        source, arrow, target = entry.partition(" -> ")
        if arrow:
            if not (_is_reshaped(source) or _is_reshaped(target)):
                elsewhere.append(entry)
        else:
            module = entry.removeprefix("src/").removesuffix(".py").replace("/", ".")
            if not _is_reshaped(module.removesuffix(".__init__")):
                elsewhere.append(entry)

    assert not elsewhere, f"only {', '.join(RESHAPED)} and the hub may owe:\n" + "\n".join(
        elsewhere
    )


def test_known_debt_is_still_owed(graph: ImportGraph) -> None:
    package_edges = {(s, t) for s, targets in graph.package_edges().items() for t in targets}
    file_edges = {(s, t) for s, targets in graph.module_edges().items() for t in targets}
    oversize = {graph.paths[m] for m, count in graph.lines.items() if count > MAX_LINES}

    paid = sorted(
        (_debt_edges(files=False) - package_edges)
        | (_debt_edges(files=True) - file_edges)
        | (_debt_files() - oversize),
        key=str,
    )

    assert not paid, "no longer a violation, delete from KNOWN_DEBT:\n" + "\n".join(map(str, paid))
