"""The package structure holds: no import cycles, and the solver packages stay pure.

The import graph comes from grimp (the graph behind import-linter); it sees every
import, those inside functions and under ``TYPE_CHECKING`` included.

Pure means (DESIGN.md, "Architecture"): `matcher`, `roster` and their shared `solving`
import no database, HTTP, CLI or pandas, nothing of `api`, and of `data` only the pure
helpers (languages, travel, geography) — which in turn import none of those — and
importing them reads no file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("matcher", "roster", "solving", "data", "api")
PURE = ("matcher", "roster", "solving")
#: The modules of `data` the pure packages may import: domain helpers with no I/O.
PURE_HELPERS = frozenset({"data.languages", "data.travel", "data.geography"})
#: Third-party packages a pure package must not reach, however indirectly.
IMPURE_LIBRARIES = frozenset(
    {
        "sqlalchemy",
        "sqlmodel",
        "alembic",
        "psycopg",
        "fastapi",
        "starlette",
        "uvicorn",
        "httpx",
        "pydantic_settings",
        "typer",
        "rich",
        "pandas",
        "openpyxl",
        "faker",
        "jinja2",
    }
)
#: Cycles being removed on another branch; each entry names where. Keep this empty.
#: Cycles tolerated for now, each with the reason; empty since the jobs' runners left the
#: worker module (issue 24).
KNOWN_CYCLES: dict[frozenset[str], str] = {}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, include_external_packages=True, cache_dir=None)


def strongly_connected(
    nodes: Iterable[str], successors: Mapping[str, Iterable[str]]
) -> list[frozenset[str]]:
    """Tarjan's strongly connected components with more than one member (the cycles)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in successors.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


def project_cycles(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    ours = {m for m in graph.modules if m.split(".")[0] in PACKAGES}
    successors = {m: sorted(graph.find_modules_directly_imported_by(m) & ours) for m in ours}
    return strongly_connected(ours, successors)


def test_cycle_finder_finds_a_cycle_and_only_cycles():
    successors = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["e"], "e": []}
    assert strongly_connected(successors, successors) == [frozenset({"a", "b", "c"})]


def test_no_import_cycles(graph: grimp.ImportGraph):
    cycles = [c for c in project_cycles(graph) if c not in KNOWN_CYCLES]
    assert not cycles, "import cycles: " + "; ".join(" ↔ ".join(sorted(c)) for c in cycles)


def test_known_cycle_exceptions_are_still_cycles(graph: grimp.ImportGraph):
    # an exception that no longer matches a cycle hides nothing: drop it
    assert set(KNOWN_CYCLES) <= set(project_cycles(graph))


def impure_dependencies(graph: grimp.ImportGraph, package: str) -> dict[str, tuple[str, ...]]:
    """Each module `package` must not reach, with one chain of imports that reaches it."""
    reached = graph.find_upstream_modules(package, as_package=True)
    bad = sorted(
        m
        for m in reached
        if m.split(".")[0] in IMPURE_LIBRARIES
        or m.split(".")[0] == "api"
        or (m.startswith("data.") and m not in PURE_HELPERS)
    )
    chains = {}
    for module in bad:
        found = graph.find_shortest_chains(importer=package, imported=module, as_packages=True)
        chains[module] = min(found, key=len) if found else ()
    return chains


@pytest.mark.parametrize("package", PURE)
def test_pure_package_imports_no_database_http_or_front_end(graph: grimp.ImportGraph, package: str):
    chains = impure_dependencies(graph, package)
    assert not chains, "\n".join(f"{m}: {' → '.join(c)}" for m, c in chains.items())


def test_purity_check_sees_an_impure_import():
    graph = grimp.build_graph("matcher", "data", include_external_packages=True, cache_dir=None)
    graph.add_import(importer="matcher.core", imported="data.db")
    assert "data.db" in impure_dependencies(graph, "matcher")


def test_domain_does_not_import_the_front_ends(graph: grimp.ImportGraph):
    assert not graph.chain_exists(importer="data", imported="api", as_packages=True)
    assert not graph.chain_exists(importer="solving", imported="data", as_packages=True)


#: Run in a fresh interpreter: import every module of the pure packages and list each
#: file opened by our own code (the first caller outside the standard library and the
#: installed packages), Python sources aside.
_IMPORT_PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys, sysconfig
    from pathlib import Path

    root = Path.cwd().resolve()
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    opened = []

    def ours(filename):
        path = Path(filename).resolve()
        return root in path.parents and ".venv" not in path.relative_to(root).parts

    def library(filename):
        return filename.startswith("<") or stdlib in Path(filename).resolve().parents

    def hook(event, args):
        if event != "open" or not isinstance(args[0], (str, Path)):
            return
        if str(args[0]).endswith((".py", ".pyc")):
            return
        frame = sys._getframe(1)
        while frame is not None and library(frame.f_code.co_filename):
            frame = frame.f_back
        if frame is not None and ours(frame.f_code.co_filename):
            opened.append(f"{args[0]} (from {frame.f_code.co_filename}:{frame.f_lineno})")

    sys.addaudithook(hook)
    for package in sys.argv[1:]:
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, package + "."):
            importlib.import_module(info.name)
    print(json.dumps(opened))
    """
)


def files_opened_on_import(*packages: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE, *packages],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_pure_packages_reads_no_file():
    assert files_opened_on_import(*PURE) == []


def test_import_probe_sees_a_file_read(tmp_path, monkeypatch):
    package = tmp_path / "probe_reads"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from pathlib import Path\n"
        "SETTINGS = Path(__file__).with_name('settings.txt').read_text()\n"
    )
    (package / "settings.txt").write_text("x")
    # the probe counts files opened by code under the project root: put the package there
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    opened = files_opened_on_import("probe_reads")
    assert len(opened) == 1 and "settings.txt" in opened[0]
