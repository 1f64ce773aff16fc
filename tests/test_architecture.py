"""The import layering of docs/architecture.md: which package may import which, and no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "celery_fix"
CODEMODS = ROOT / "codemods"  # installed as celery_fix.codemods

INDEX_MODEL = {"celery_fix.index.values", "celery_fix.index.model", "celery_fix.index.evaluate", "celery_fix.index.facts"}

# layer -> the layers it may import (besides itself and the package's own `__init__`)
ALLOWED = {
    "front": {"engine", "index", "index-model", "constructs", "syntax", "ruleset", "rules", "codemods", "report"},
    "report": {"engine", "index-model"},
    "engine": {"ruleset", "rules", "constructs", "index-model", "syntax"},
    "index": {"engine", "constructs", "index-model", "syntax"},
    "rules": {"ruleset", "codemods", "constructs", "index-model", "syntax"},
    "ruleset": {"codemods", "constructs", "index-model", "syntax"},
    "codemods": {"constructs", "index-model", "syntax"},
    "constructs": {"index-model", "syntax"},
    "index-model": set(),
    "syntax": set(),
}


def layer_of(module: str) -> str:
    if module in INDEX_MODEL:
        return "index-model"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else "front"


def modules() -> dict[str, Path]:
    found = {}
    for base, prefix in ((PACKAGE, "celery_fix"), (CODEMODS, "celery_fix.codemods")):
        for path in base.rglob("*.py"):
            rel = path.relative_to(base).with_suffix("").parts
            if rel[-1] == "__init__":
                rel = rel[:-1]
            found[".".join((prefix, *rel))] = path
    return found


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """Every celery_fix module `module` imports, at any depth (function bodies and TYPE_CHECKING too)."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith("celery_fix"):
                while name not in known and "." in name:
                    name = name.rsplit(".", 1)[0]
                if name in known and name != module:
                    out.add(name)
    return out


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def test_every_layer_is_named():
    assert {layer_of(m) for m in modules()} <= set(ALLOWED)


def test_imports_follow_the_layering():
    wrong = []
    for module, targets in graph().items():
        layer = layer_of(module)
        for target in targets:
            other = layer_of(target)
            if target != "celery_fix" and other != layer and other not in ALLOWED[layer]:
                wrong.append(f"{module} ({layer}) imports {target} ({other})")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles():
    edges = graph()
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert not cycles, cycles


def test_the_checker_catches_a_wrong_import(tmp_path):
    wrong = tmp_path / "x.py"
    wrong.write_text("from celery_fix.engine import checker\n")
    found = imports_of("celery_fix.rules.x", wrong, {"celery_fix.engine", "celery_fix.engine.checker"})
    assert found == {"celery_fix.engine", "celery_fix.engine.checker"}
    assert "engine" not in ALLOWED[layer_of("celery_fix.rules.x")]


def test_the_architecture_page_names_every_package():
    page = (ROOT / "docs" / "architecture.md").read_text()
    for layer in ALLOWED:
        if layer not in ("front", "index-model"):
            assert f"`{layer}/`" in page, layer
