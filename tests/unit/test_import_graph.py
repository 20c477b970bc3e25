"""scripts/import_graph.py, on which the architecture test stands: it must see every import
(lazy, under TYPE_CHECKING, relative) and name a cycle, or the rules pass on a graph with holes.
"""

from __future__ import annotations

from pathlib import Path

from scripts.import_graph import build_graph, cyclic_components, find_cycles, package_of

FILES = {
    "causerie/__init__.py": "",
    "causerie/errors.py": "",
    "causerie/config.py": (
        "def check():\n    from causerie.irc.profile import parse  # lazy\n    return parse\n"
    ),
    "causerie/core/__init__.py": "",
    "causerie/core/hub.py": (
        "from typing import TYPE_CHECKING\n"
        "from . import rooms\n"
        "from .policy.names import rule\n"
        "if TYPE_CHECKING:\n"
        "    from causerie.store.base import Store\n"
    ),
    "causerie/core/rooms.py": "import causerie.errors as errors\n",
    "causerie/core/policy/__init__.py": "from ..rooms import *\n",
    "causerie/core/policy/names.py": "from .. import hub\nfrom causerie import __version__\n",
    "causerie/irc/__init__.py": "",
    "causerie/irc/profile.py": "import json\nfrom causerie.config import check\n",
    "causerie/store/__init__.py": "",
    "causerie/store/base.py": "class Store: ...\n" * 700,
}


def _tree(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        path = tmp_path / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "src"


def _edges(tmp_path: Path) -> set[tuple[str, str]]:
    graph = build_graph(_tree(tmp_path))
    return {(found.importer, found.imported) for found in graph.imports}


def test_lazy_and_type_checking_imports_count(tmp_path: Path) -> None:
    edges = _edges(tmp_path)

    assert ("causerie.config", "causerie.irc.profile") in edges
    assert ("causerie.core.hub", "causerie.store.base") in edges


def test_relative_imports_resolve_against_the_file(tmp_path: Path) -> None:
    edges = _edges(tmp_path)

    assert ("causerie.core.hub", "causerie.core.rooms") in edges  # from . import rooms
    assert ("causerie.core.hub", "causerie.core.policy.names") in edges  # from .policy.names
    assert ("causerie.core.policy.names", "causerie.core.hub") in edges  # from .. import hub
    assert ("causerie.core.policy", "causerie.core.rooms") in edges  # in an __init__.py


def test_names_resolve_to_the_module_that_defines_them(tmp_path: Path) -> None:
    edges = _edges(tmp_path)

    assert ("causerie.irc.profile", "causerie.config") in edges  # a function of config.py
    assert ("causerie.core.rooms", "causerie.errors") in edges  # import a.b as c
    assert ("causerie.core.policy.names", "causerie") in edges  # the package's __init__.py
    assert not any(target.startswith("json") for _, target in edges)  # outside: not counted


def test_packages_lines_and_paths(tmp_path: Path) -> None:
    graph = build_graph(_tree(tmp_path))

    assert package_of("causerie.core.policy.names") == "core"
    assert package_of("causerie.config") == "config"
    assert graph.package_edges()["config"] == {"irc"}
    assert graph.lines["causerie.store.base"] == 700
    assert graph.paths["causerie.core.policy"] == "src/causerie/core/policy/__init__.py"


def test_cycles_found_with_a_short_path_per_knot() -> None:
    edges = {"a": {"b"}, "b": {"c", "a"}, "c": {"a"}, "d": {"d"}, "e": {"a"}}

    assert cyclic_components(edges) == [["a", "b", "c"], ["d"]]
    assert find_cycles(edges) == [["a", "b", "a"], ["d", "d"]]


def test_no_cycle_in_a_layered_graph() -> None:
    edges = {"http": {"node", "core"}, "node": {"core"}, "core": {"errors"}}

    assert cyclic_components(edges) == [] and find_cycles(edges) == []


def test_long_chains_do_not_overflow_the_stack() -> None:
    edges = {f"m{i}": {f"m{i + 1}"} for i in range(5000)}
    edges["m5000"] = {"m0"}

    (knot,) = cyclic_components(edges)
    assert len(knot) == 5001
