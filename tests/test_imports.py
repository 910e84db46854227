"""The package's import structure, read from the source with ``ast``: one store boundary (only
``migkg.store`` imports pyoxigraph or reaches into the engine), and no import cycles among modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "migkg"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute name a ``from … import`` refers to (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module: str) -> set[str]:
    """Every module ``module`` imports (at the top or inside a function), by absolute name; a
    ``from package import name`` counts the submodule when ``name`` is one."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES)
    return found


def _ours(name: str) -> str | None:
    """The migkg module an imported name is (a name inside a module counts as the module)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _graph(lazy: bool) -> dict[str, set[str]]:
    """Module -> the migkg modules it imports; with ``lazy`` False only the module-level imports."""
    out: dict[str, set[str]] = {}
    for module in MODULES:
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        nodes = ast.walk(tree) if lazy else iter(tree.body)
        names: set[str] = set()
        for node in nodes:
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(module, node)
                names.add(target)
                names.update(f"{target}.{a.name}" for a in node.names)
        out[module] = {m for n in names if (m := _ours(n)) and m != module}
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _parents(module: str) -> set[str]:
    """A module's enclosing packages: importing ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` first."""
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_only_the_store_package_imports_pyoxigraph() -> None:
    offenders = sorted(m for m in MODULES if not (m == "migkg.store" or m.startswith("migkg.store."))
                       and any(n == "pyoxigraph" or n.startswith("pyoxigraph.") for n in imports(m)))
    assert offenders == [], f"modules outside migkg.store importing pyoxigraph: {offenders}"


def test_no_module_outside_the_store_reaches_into_the_engine() -> None:
    """``store.oxigraph`` (the engine object) is the store package's own business."""
    offenders = []
    for module, path in MODULES.items():
        if module == "migkg.store" or module.startswith("migkg.store."):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("oxigraph", "_ox", "ox_quads", "ox_facts"):
                offenders.append(f"{module}:{node.lineno} .{node.attr}")
    assert offenders == []


def test_the_store_package_is_where_pyoxigraph_is_imported() -> None:
    """The check above must be able to fail: the store's modules do import pyoxigraph."""
    assert any("pyoxigraph" in imports(m) for m in MODULES if m.startswith("migkg.store."))
    assert "migkg.store.remote" in MODULES and "migkg.store.embedded" in MODULES


@pytest.mark.parametrize("lazy", [False, True], ids=["module-level", "with-imports-in-functions"])
def test_no_import_cycles(lazy: bool) -> None:
    graph = _graph(lazy)
    # a package's __init__ importing its own submodules is how a package is made, not a cycle
    for module, targets in graph.items():
        graph[module] = {t for t in targets if t not in _parents(module)}
    if not lazy:
        assert cycles(graph) == []
        return
    # lazy imports inside functions: the ones issue 12 named must be gone; no new cycle may appear
    found = cycles(graph)
    for pair in (("migkg.store", "migkg.store.remote"), ("migkg.draw.page", "migkg.draw.render")):
        assert not any(set(pair) <= set(c) for c in found), (pair, found)
    assert found == KNOWN_LAZY_CYCLES, found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


# Cycles closed only by an import inside a function (the import runs when called, so they load),
# recorded so that a new one is noticed; see the test's failure message for the current list.
KNOWN_LAZY_CYCLES: list[list[str]] = []
