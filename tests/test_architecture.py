"""The layers of docs/architecture.md hold in the code: every import between packages is one the
table allows, nothing in the library imports the faces (api/, cli/), and no module imports
itself back through others."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TREES = {"kg": "claimgraph", "api": "claimgraph.api", "cli": "claimgraph.cli"}
TABLE_ROW = re.compile(r"^\| `(claimgraph[\w.]*)` \| (.*?) \|\s*(.*?)\s*\|$")


def modules() -> dict[str, tuple[Path, bool]]:
    found: dict[str, tuple[Path, bool]] = {}
    for tree, pkg in TREES.items():
        for path in (ROOT / tree).rglob("*.py"):
            if "static" in path.parts:
                continue
            parts = list(path.relative_to(ROOT / tree).with_suffix("").parts)
            init = parts[-1] == "__init__"
            found[".".join([pkg, *(parts[:-1] if init else parts)])] = (path, init)
    return found


def imports() -> dict[str, set[str]]:
    """module -> the claimgraph modules it imports (top level or inside functions)."""
    mods = modules()
    edges: dict[str, set[str]] = {}
    for name, (path, init) in mods.items():
        package = name if init else name.rpartition(".")[0]
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    out.add(sub if sub in mods else target)
            elif isinstance(node, ast.Import):
                out.update(a.name for a in node.names)
        edges[name] = {m for m in out if m in mods and m != name}
    return edges


def package_of(module: str, packages: list[str]) -> str:
    """The most specific table package that contains `module`."""
    best = max((p for p in packages if module == p or module.startswith(p + ".")), key=len)
    return best


def table() -> dict[str, set[str]]:
    rows: dict[str, set[str]] = {}
    for line in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines():
        m = TABLE_ROW.match(line.strip())
        if m:
            uses = {u.strip() for u in m.group(3).split(",") if u.strip()}
            rows[m.group(1)] = {u if u.startswith("claimgraph") else f"claimgraph.{u}" for u in uses}
    return rows


def test_the_table_names_every_package() -> None:
    rows = table()
    assert len(rows) >= 8, "docs/architecture.md lost its layer table"
    packages = {name for name, (_, init) in modules().items() if init} | {"claimgraph.errors"}
    for pkg in packages:
        covering = package_of(pkg, list(rows))
        assert covering, f"{pkg} is in no row of docs/architecture.md"
    for row in rows:
        assert row in packages, f"docs/architecture.md lists {row}, which is not a package or module"


def violations(edges: dict[str, set[str]], rows: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in edges.items():
        here = package_of(module, list(rows))
        for target in targets:
            there = package_of(target, list(rows))
            if there != here and there not in rows[here]:
                wrong.append(f"{module} -> {target} ({here} may use: {', '.join(sorted(rows[here])) or '-'})")
    return sorted(wrong)


def test_every_import_is_allowed_by_the_table() -> None:
    wrong = violations(imports(), table())
    assert not wrong, "imports docs/architecture.md does not allow:\n" + "\n".join(wrong)


def test_the_table_is_layered() -> None:
    # 'may use' read as arrows must have no cycle, or the drawing is not a stack of layers
    rows = table()
    state: dict[str, int] = {}

    def visit(p: str, path: list[str]) -> None:
        if state.get(p) == 1:
            pytest.fail("the layers loop: " + " -> ".join([*path, p]))
        if state.get(p) == 2:
            return
        state[p] = 1
        for q in sorted(rows.get(p, ())):
            visit(q, [*path, p])
        state[p] = 2

    for p in rows:
        visit(p, [])


def test_no_import_cycles() -> None:
    edges = imports()
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(m: str, path: list[str]) -> None:
        if state.get(m) == 1:
            cycles.append(" -> ".join([*path[path.index(m):], m]))
            return
        if state.get(m) == 2:
            return
        state[m] = 1
        for t in sorted(edges[m]):
            visit(t, [*path, m])
        state[m] = 2

    for m in sorted(edges):
        visit(m, [])
    # a package's __init__ re-exporting its own modules is not a cycle of the architecture
    real = [c for c in cycles if not all(x.startswith(c.split(" -> ")[0]) for x in c.split(" -> "))]
    assert not real, "import cycles:\n" + "\n".join(real)


def test_the_library_never_imports_its_faces() -> None:
    for module, targets in imports().items():
        if is_face(module):
            continue
        faces = sorted(t for t in targets if is_face(t))
        assert not faces, f"{module} imports {faces}: kg/ knows nothing of HTTP or the CLI"


def is_face(module: str) -> bool:
    return any(module == f or module.startswith(f + ".") for f in ("claimgraph.api", "claimgraph.cli"))


def test_the_checker_sees_an_upward_import() -> None:
    """The check can fail: an import from the model up to the store, or from rdf to extract, is caught."""
    edges = imports()
    edges["claimgraph.model.core"] = edges["claimgraph.model.core"] | {"claimgraph.store.base"}
    edges["claimgraph.rdf.mapper"] = edges["claimgraph.rdf.mapper"] | {"claimgraph.extract.pipeline"}
    wrong = violations(edges, table())
    assert [w.split(" (")[0] for w in wrong] == ["claimgraph.model.core -> claimgraph.store.base",
                                                 "claimgraph.rdf.mapper -> claimgraph.extract.pipeline"]


@pytest.mark.parametrize("old,new", [
    ("claimgraph.trace", "claimgraph.views.trace"), ("claimgraph.embedded", "claimgraph.store.embedded"),
    ("claimgraph.mapper", "claimgraph.rdf.mapper"), ("claimgraph.annotation", "claimgraph.model.annotation"),
    ("claimgraph.magic", "claimgraph.client.magic"), ("claimgraph.sparql_service", "claimgraph.store.sparql_service"),
])
def test_old_import_paths_are_the_new_modules(old: str, new: str) -> None:
    import importlib

    assert importlib.import_module(old) is importlib.import_module(new)
